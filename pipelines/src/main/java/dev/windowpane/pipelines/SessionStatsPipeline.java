package dev.windowpane.pipelines;

import dev.windowpane.pipelines.cli.OptionValues;
import dev.windowpane.pipelines.cli.UsageException;
import dev.windowpane.pipelines.events.SessionEvent;
import dev.windowpane.pipelines.generator.EventKind;
import dev.windowpane.pipelines.io.ReadEvents;
import dev.windowpane.pipelines.io.SourceOptions;
import dev.windowpane.pipelines.io.SourceSettings;
import dev.windowpane.pipelines.io.WriteSessionStats;
import dev.windowpane.transforms.sessions.RunningSessionSummaries;
import dev.windowpane.transforms.sessions.SessionSummaries;
import java.util.Optional;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Session statistics: per session id, the sessions of its events in event time (a session ends
 * after {@code --gap} without events) and, for each, the number of events, their total and average
 * value, and the first and last event time, through {@code SessionSummaries} (Beam's session
 * windows, O(1) per event). With {@code --emit=updates} also, per event, its session's running
 * summary in arrival order, through {@code RunningSessionSummaries} ({@code MapWithState}).
 */
public final class SessionStatsPipeline {
  public static final String NAME = "session-stats";
  public static final String DESCRIPTION =
      "Count, total, average, first and last event time of every session: session events in,"
          + " one summary per finished session out.";

  private SessionStatsPipeline() {}

  /**
   * Options of session-stats: the shared source options, the gap, lateness, what to emit and where.
   */
  public interface Options extends SourceOptions {
    @Description("The inactivity gap that ends a session (500ms, 90s, 1m, 30m, 1h ...).")
    @Default.String("30m")
    String getGap();

    void setGap(String value);

    @Description(
        "How late (in event time, behind the watermark) an event may arrive and still update its"
            + " session; its session's summary is then emitted again, complete. Later events are"
            + " dropped.")
    @Default.String("0s")
    String getAllowedLateness();

    void setAllowedLateness(String value);

    @Description(
        "sessions: one summary per finished session; updates: also, per event, its session's"
            + " running summary in arrival order, marked \"update\": true.")
    @Default.String("sessions")
    String getEmit();

    void setEmit(String value);

    @Description(
        "Write summaries as JSON lines under this directory (sessions-*.jsonl, updates-*.jsonl);"
            + " without it, print them.")
    String getOutput();

    void setOutput(String value);
  }

  public static void buildPipeline(Pipeline pipeline, Options options) {
    SourceSettings source = SourceSettings.from(options);
    Duration gap = OptionValues.positiveDuration("gap", options.getGap());
    Duration allowedLateness =
        OptionValues.duration("allowedLateness", options.getAllowedLateness());
    boolean updates = emitsUpdates(options.getEmit());
    Optional<String> output = Optional.ofNullable(options.getOutput());

    PCollection<KV<String, Double>> values =
        pipeline
            .apply("ReadSessionEvents", ReadEvents.of(EventKind.SESSIONS, source))
            .apply(
                "ValuePerSession",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.doubles()))
                    .via((SessionEvent event) -> KV.of(event.session(), event.value())));
    values
        .apply(
            "SessionSummaries",
            SessionSummaries.<String>withGap(gap).withAllowedLateness(allowedLateness))
        .apply("WriteSessions", WriteSessionStats.summaries(output, allowedLateness));
    if (updates) {
      values
          .apply("RunningSessionSummaries", RunningSessionSummaries.withGap(gap))
          .apply("WriteUpdates", WriteSessionStats.updates(output, allowedLateness, gap));
    }
  }

  private static boolean emitsUpdates(String emit) {
    if ("sessions".equals(emit)) {
      return false;
    }
    if ("updates".equals(emit)) {
      return true;
    }
    throw new UsageException("Option --emit must be sessions or updates, got '" + emit + "'.");
  }

  public static void main(String[] args) {
    Main.runAndExit(NAME, args);
  }
}
