package dev.windowpane.pipelines;

import dev.windowpane.pipelines.cli.CommandLine;
import dev.windowpane.pipelines.cli.UsageException;
import dev.windowpane.pipelines.events.SessionEvent;
import dev.windowpane.pipelines.generator.EventKind;
import dev.windowpane.pipelines.io.ReadEvents;
import dev.windowpane.pipelines.io.SourceOptions;
import dev.windowpane.pipelines.io.WriteKafkaLines;
import dev.windowpane.pipelines.io.WriteSessionStats;
import dev.windowpane.transforms.sessions.RunningSessionSummaries;
import dev.windowpane.transforms.sessions.SessionSummaries;
import dev.windowpane.transforms.time.Durations;
import java.util.Optional;
import java.util.Set;
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

  private static final String EMIT_SESSIONS = "sessions";
  private static final String EMIT_UPDATES = "updates";

  private SessionStatsPipeline() {}

  /**
   * Options of session-stats: the shared source options, the gap, lateness, what to emit and where.
   */
  @Description("Sessions")
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

  /** Checks {@code options} once, before the pipeline is built; {@code given}: the options named. */
  public static void validate(Options options, Set<String> given) {
    SourceOptions.validate(options, given);
    CommandLine.positiveDuration("gap", options.getGap());
    CommandLine.duration("allowedLateness", options.getAllowedLateness());
    if (!EMIT_SESSIONS.equals(options.getEmit()) && !EMIT_UPDATES.equals(options.getEmit())) {
      throw new UsageException(
          "Option --emit must be " + EMIT_SESSIONS + " or " + EMIT_UPDATES + ", got '" + options.getEmit() + "'.");
    }
  }

  public static void buildPipeline(Pipeline pipeline, Options options) {
    Duration gap = Durations.parse(options.getGap());
    Duration allowedLateness = Durations.parse(options.getAllowedLateness());
    Optional<String> output = Optional.ofNullable(options.getOutput());
    WriteKafkaLines sink = WriteKafkaLines.forResults(options);

    PCollection<KV<String, Double>> values =
        pipeline
            .apply("ReadSessionEvents", ReadEvents.of(EventKind.SESSIONS, options))
            .apply(
                "ValuePerSession",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.doubles()))
                    .via((SessionEvent event) -> KV.of(event.session(), event.value())));
    values
        .apply(
            "SessionSummaries",
            SessionSummaries.<String>withGap(gap).withAllowedLateness(allowedLateness))
        .apply(
            "WriteSessions",
            WriteSessionStats.summaries(output, allowedLateness)
                .toKafka(sink)
                .toDashboard(options.getDashboardRunId()));
    if (EMIT_UPDATES.equals(options.getEmit())) {
      values
          .apply("RunningSessionSummaries", RunningSessionSummaries.withGap(gap))
          .apply("WriteUpdates", WriteSessionStats.updates(output, allowedLateness, gap).toKafka(sink == null ? null : sink.part("updates")));
    }
  }

  public static void main(String[] args) {
    Main.runAndExit(NAME, args);
  }
}
