package dev.windowpane.pipelines.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windowpane.pipelines.dashboard.FeedDashboardFn;
import dev.windowpane.transforms.json.EventTimestamps;
import dev.windowpane.transforms.json.Json;
import dev.windowpane.transforms.sessions.SessionSummary;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Optional;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.joda.time.Duration;

/**
 * The sink of session-stats. A session summary becomes the JSON line {@code
 * {"session":"s-1","first":T,"last":T,"events":3,"total":37.5,"average":12.5}} in {@code
 * DIR/sessions-*.jsonl}; a running update the same line with {@code "update":true} in {@code
 * DIR/updates-*.jsonl}. Without a directory each is printed as one readable line. One file for a
 * bounded input, one per minute of event time (and per firing) otherwise. Counts
 * "windowpane":"sessionsEmitted" or "updatesEmitted". O(1) per summary.
 *
 * <p>{@code total} and {@code average} are the exact total (and the exact total divided by the
 * count) rounded once to the nearest double, so a replay writes the same bytes. One that lies
 * beyond the range of a double is still written as a JSON number, never as {@code "Infinity"}: the
 * exact value rounded to 17 significant digits, as in {@code "total":2.5953862697246314E+308} (JSON
 * numbers have no range; a reader that parses them as doubles sees an infinity).
 */
public final class WriteSessionStats
    extends PTransform<PCollection<KV<String, SessionSummary>>, PDone> {
  private static final Duration UNBOUNDED_FILE_WINDOW = Duration.standardMinutes(1);

  private final boolean update;
  private final @Nullable String output;
  private final Duration allowedLateness;
  private final @Nullable WriteKafkaLines kafka;
  private final @Nullable String dashboardRunId;

  private WriteSessionStats(
      boolean update,
      @Nullable String output,
      Duration allowedLateness,
      @Nullable WriteKafkaLines kafka,
      @Nullable String dashboardRunId) {
    this.update = update;
    this.output = output;
    this.allowedLateness = allowedLateness;
    this.kafka = kafka;
    this.dashboardRunId = dashboardRunId;
  }

  /**
   * Writes final session summaries, re-emitted when a late event refines them: a refinement of a
   * session that ends at {@code end} carries timestamp {@code end - 1} and comes while the
   * watermark is at most {@code end - 1 + allowedLateness}, the pipeline's allowed lateness.
   */
  public static WriteSessionStats summaries(Optional<String> output, Duration allowedLateness) {
    return new WriteSessionStats(false, output.orElse(null), allowedLateness, null, null);
  }

  /**
   * Writes running updates, marked {@code "update":true}. An update carries its event's time, and
   * an event up to {@code gap + allowedLateness} behind the watermark still counts in its session,
   * so updates that late are still written.
   */
  public static WriteSessionStats updates(
      Optional<String> output, Duration allowedLateness, Duration gap) {
    return new WriteSessionStats(true, output.orElse(null), allowedLateness.plus(gap), null, null);
  }

  /**
   * These summaries written to a Kafka topic instead (when {@code sink} is not null): each one
   * record, its JSON line the value, keyed by session and first event time ({@code
   * <session>/<first>}), so a compacted topic keeps each session's latest summary.
   */
  public WriteSessionStats toKafka(@Nullable WriteKafkaLines sink) {
    return new WriteSessionStats(update, output, allowedLateness, sink, dashboardRunId);
  }

  /**
   * These summaries also handed, as the same JSON lines, to the live dashboard of run {@code runId}
   * in this JVM (step {@code FeedDashboard}), when {@code runId} is not null.
   */
  public WriteSessionStats toDashboard(@Nullable String runId) {
    return new WriteSessionStats(update, output, allowedLateness, kafka, runId);
  }

  @Override
  public PDone expand(PCollection<KV<String, SessionSummary>> stats) {
    if (dashboardRunId != null) {
      boolean updates = update;
      stats.apply(
          "FeedDashboard",
          ParDo.of(
              FeedDashboardFn.<KV<String, SessionSummary>>ofLine(
                  dashboardRunId, summary -> toJson(summary.getKey(), summary.getValue(), updates))));
    }
    if (kafka != null) {
      return stats
          .apply("ToKeyedJsonLines", ParDo.of(new ToJsonLineFn(update, true)))
          .apply("WriteToKafka", kafka);
    }
    if (output == null) {
      stats.apply("Print", ParDo.of(new PrintFn(update)));
      return PDone.in(stats.getPipeline());
    }
    String name = update ? "updates" : "sessions";
    PCollection<String> lines =
        stats.apply("ToJsonLines", ParDo.of(new ToJsonLineFn(update, false))).apply("Values", Values.create());
    return lines.apply(
        "WriteFiles",
        OutputFiles.windowedIfUnbounded(output, name, UNBOUNDED_FILE_WINDOW, allowedLateness));
  }

  /**
   * The JSON line of {@code stats} of {@code session}; {@code update} adds {@code "update":true}.
   */
  public static String toJson(String session, SessionSummary stats, boolean update) {
    ObjectNode line = Json.mapper().createObjectNode();
    line.put("session", session);
    line.put("first", EventTimestamps.format(stats.first()));
    line.put("last", EventTimestamps.format(stats.last()));
    line.put("events", stats.events());
    putNumber(line, "total", stats.total(), stats.exactTotal());
    putNumber(line, "average", stats.average(), stats.exactAverage(BEYOND_DOUBLE));
    if (update) {
      line.put("update", true);
    }
    return Json.write(line);
  }

  /** The rounding of a total or average beyond the range of a double: 17 significant digits. */
  private static final MathContext BEYOND_DOUBLE = new MathContext(17, RoundingMode.HALF_EVEN);

  private static void putNumber(ObjectNode line, String field, double nearest, BigDecimal exact) {
    if (Double.isFinite(nearest)) {
      line.put(field, nearest);
    } else {
      line.put(field, beyondDouble(exact));
    }
  }

  private static BigDecimal beyondDouble(BigDecimal exact) {
    return exact.round(BEYOND_DOUBLE).stripTrailingZeros();
  }

  private static String shown(double nearest, BigDecimal exact) {
    return Double.isFinite(nearest) ? String.valueOf(nearest) : beyondDouble(exact).toString();
  }

  /** The printed form: one line per summary, a late refinement or a running update marked so. */
  static String printed(String session, SessionSummary stats, boolean update, PaneInfo pane) {
    String mark =
        update
            ? " (update, so far)"
            : pane.getTiming() == PaneInfo.Timing.LATE ? " (late, replaces earlier)" : "";
    return String.format(
        "Session %s%s: %d %s, total %s, average %s, %s .. %s%n",
        session,
        mark,
        stats.events(),
        stats.events() == 1 ? "event" : "events",
        shown(stats.total(), stats.exactTotal()),
        shown(stats.average(), stats.exactAverage(BEYOND_DOUBLE)),
        EventTimestamps.format(stats.first()),
        EventTimestamps.format(stats.last()));
  }

  private static Counter counter(boolean update) {
    return Metrics.counter("windowpane", update ? "updatesEmitted" : "sessionsEmitted");
  }

  /** Each summary's JSON line, keyed by {@code <session>/<first>} when {@code keyed}, else by "". */
  private static final class ToJsonLineFn extends DoFn<KV<String, SessionSummary>, KV<String, String>> {
    private final Counter emitted;
    private final boolean update;
    private final boolean keyed;

    ToJsonLineFn(boolean update, boolean keyed) {
      this.update = update;
      this.keyed = keyed;
      this.emitted = counter(update);
    }

    @ProcessElement
    public void processElement(
        @Element KV<String, SessionSummary> stats, OutputReceiver<KV<String, String>> out) {
      emitted.inc();
      String key = keyed ? stats.getKey() + "/" + EventTimestamps.format(stats.getValue().first()) : "";
      out.output(KV.of(key, toJson(stats.getKey(), stats.getValue(), update)));
    }
  }

  private static final class PrintFn extends DoFn<KV<String, SessionSummary>, Void> {
    private final Counter emitted;
    private final boolean update;

    PrintFn(boolean update) {
      this.update = update;
      this.emitted = counter(update);
    }

    @ProcessElement
    public void processElement(@Element KV<String, SessionSummary> stats, PaneInfo pane) {
      emitted.inc();
      ConsoleOutput.print(printed(stats.getKey(), stats.getValue(), update, pane));
    }
  }
}
