package dev.windowpane.pipelines.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windowpane.pipelines.dashboard.FeedDashboardFn;
import dev.windowpane.transforms.json.EventTimestamps;
import dev.windowpane.transforms.json.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reify;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.ValueInSingleWindow;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The sink of a top-N pipeline. Each input element is one firing of one sliding window: its
 * ranking, best first. With an output directory, every rank becomes a JSON line {@code
 * {"windowStart":T,"windowEnd":T,"rank":1,"<name>":"...","<total>":42}} in {@code
 * DIR/rankings-*.jsonl}, one file per slide of event time; without one, each firing is printed
 * as a table (a late refinement is marked "(update)" and replaces the earlier table): as windows
 * fire for an unbounded input, in window order once the input has been read for a bounded one. Counts
 * "windowpane":"windowsEmitted". O(N) per firing.
 *
 * <p>A window's later firings (late refinements, {@link PaneInfo#getIndex()} 1, 2, ...) carry
 * {@code "pane":i} after {@code windowEnd}, so that a reader of the files can tell which ranking of
 * a window is the latest: the one with the highest pane, a line without {@code pane} being the
 * window's first firing (pane 0). The file names cannot tell it: their {@code pane-N} counts the
 * firings of the file (one slide of event time), which may hold several rankings of one window,
 * in no particular order.
 */
public final class WriteRankings extends PTransform<PCollection<List<KV<String, Long>>>, PDone> {
  private final RankingFormat format;
  private final @Nullable String output;
  private final Duration slide;
  private final Duration windowEndOffset;
  private final Duration allowedLateness;
  private final @Nullable WriteKafkaLines kafka;
  private final @Nullable String dashboardRunId;

  private WriteRankings(
      RankingFormat format,
      @Nullable String output,
      Duration slide,
      Duration windowEndOffset,
      Duration allowedLateness,
      @Nullable WriteKafkaLines kafka,
      @Nullable String dashboardRunId) {
    this.format = format;
    this.output = output;
    this.slide = slide;
    this.windowEndOffset = windowEndOffset;
    this.allowedLateness = allowedLateness;
    this.kafka = kafka;
    this.dashboardRunId = dashboardRunId;
  }

  /**
   * Rankings of windows of {@code window} every {@code slide} starting at {@code offset} plus a
   * multiple of the slide, refined up to {@code allowedLateness}, as JSON lines under {@code
   * output} (a file per slide, named by the slide that ends with its window), or as tables on the
   * console when {@code output} is null.
   */
  public static WriteRankings of(
      RankingFormat format,
      @Nullable String output,
      Duration window,
      Duration slide,
      Duration offset,
      Duration allowedLateness) {
    long endOffset = Math.floorMod(offset.getMillis() + window.getMillis(), slide.getMillis());
    return new WriteRankings(format, output, slide, Duration.millis(endOffset), allowedLateness, null, null);
  }

  /**
   * These rankings written to a Kafka topic instead (when {@code sink} is not null): each rank one
   * record, its JSON line the value, keyed by window and name ({@code
   * <windowStart>/<windowEnd>/<name>}), so a compacted topic keeps each name's latest line of a
   * window.
   */
  public WriteRankings toKafka(@Nullable WriteKafkaLines sink) {
    return new WriteRankings(format, output, slide, windowEndOffset, allowedLateness, sink, dashboardRunId);
  }

  /**
   * These rankings also handed, as the same JSON lines, to the live dashboard of run {@code runId}
   * in this JVM (step {@code FeedDashboard}), when {@code runId} is not null.
   */
  public WriteRankings toDashboard(@Nullable String runId) {
    return new WriteRankings(format, output, slide, windowEndOffset, allowedLateness, kafka, runId);
  }

  @Override
  public PDone expand(PCollection<List<KV<String, Long>>> rankings) {
    if (dashboardRunId != null) {
      RankingFormat names = format;
      rankings.apply(
          "FeedDashboard",
          ParDo.of(
              FeedDashboardFn.<List<KV<String, Long>>>of(
                  dashboardRunId, (ranking, window, pane) -> lines(names, (IntervalWindow) window, pane, ranking))));
    }
    if (kafka != null) {
      return rankings
          .apply("ToKeyedJsonLines", ParDo.of(new ToJsonLinesFn(format, true)))
          .apply("WriteToKafka", kafka);
    }
    if (output == null) {
      if (rankings.isBounded() == PCollection.IsBounded.BOUNDED) {
        rankings.apply("PrintTablesInOrder", new PrintTablesInOrder(format));
      } else {
        rankings
            .apply("WithWindows", Reify.windows())
            .apply("OneWindow", Window.into(new GlobalWindows()))
            .apply("OneKey", WithKeys.of(0))
            .apply("PrintInWindowOrder", ParDo.of(new PrintAsWatermarkPassesFn(format, rankings.getCoder())));
      }
      return PDone.in(rankings.getPipeline());
    }
    return rankings
        .apply("ToJsonLines", ParDo.of(new ToJsonLinesFn(format, false)))
        .apply("Values", Values.create())
        .apply(
            "WriteFiles",
            OutputFiles.windowed(
output, "rankings", slide, windowEndOffset, allowedLateness));
  }

  /**
   * Each rank's JSON line, keyed by {@code <windowStart>/<windowEnd>/<name>} when {@code keyed},
   * else by "".
   */
  private static final class ToJsonLinesFn extends DoFn<List<KV<String, Long>>, KV<String, String>> {
    private final Counter windowsEmitted = Metrics.counter("windowpane", "windowsEmitted");
    private final RankingFormat format;
    private final boolean keyed;

    ToJsonLinesFn(RankingFormat format, boolean keyed) {
      this.format = format;
      this.keyed = keyed;
    }

    @ProcessElement
    public void processElement(
        @Element List<KV<String, Long>> ranking,
        BoundedWindow window,
        PaneInfo pane,
        OutputReceiver<KV<String, String>> out) {
      windowsEmitted.inc();
      IntervalWindow interval = (IntervalWindow) window;
      String prefix =
          keyed ? EventTimestamps.format(interval.start()) + "/" + EventTimestamps.format(interval.end()) + "/" : null;
      List<String> lines = lines(format, interval, pane, ranking);
      for (int i = 0; i < lines.size(); i++) {
        out.output(KV.of(prefix == null ? "" : prefix + ranking.get(i).getKey(), lines.get(i)));
      }
    }
  }

  /**
   * The console sink of an unbounded input: a table is printed once the watermark passes its
   * ranking's timestamp, and the tables due together are printed in window order, so windows that
   * fire in one step (a watermark that jumps several slides) still come out in order. Holds the
   * rankings not yet printed, one key: O(pending rankings) per watermark step.
   */
  private static final class PrintAsWatermarkPassesFn
      extends DoFn<KV<Integer, ValueInSingleWindow<List<KV<String, Long>>>>, Void> {
    private final Counter windowsEmitted = Metrics.counter("windowpane", "windowsEmitted");
    private final RankingFormat format;

    @StateId("pending")
    private final StateSpec<BagState<ValueInSingleWindow<List<KV<String, Long>>>>> pending;

    @StateId("nextPrint")
    private final StateSpec<ValueState<Instant>> nextPrint = StateSpecs.value(InstantCoder.of());

    @TimerId("print")
    private final TimerSpec print = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    PrintAsWatermarkPassesFn(RankingFormat format, Coder<List<KV<String, Long>>> rankingCoder) {
      this.format = format;
      this.pending = StateSpecs.bag(ValueInSingleWindow.Coder.of(rankingCoder, IntervalWindow.getCoder()));
    }

    @ProcessElement
    public void processElement(
        @Element KV<Integer, ValueInSingleWindow<List<KV<String, Long>>>> firing,
        @Timestamp Instant timestamp,
        @StateId("pending") BagState<ValueInSingleWindow<List<KV<String, Long>>>> pending,
        @StateId("nextPrint") ValueState<Instant> nextPrint,
        @TimerId("print") Timer print) {
      pending.add(firing.getValue());
      Instant next = nextPrint.read();
      if (next == null || timestamp.isBefore(next)) {
        print.set(timestamp);
        nextPrint.write(timestamp);
      }
    }

    @OnTimer("print")
    public void onPrint(
        @Timestamp Instant due,
        @StateId("pending") BagState<ValueInSingleWindow<List<KV<String, Long>>>> pending,
        @StateId("nextPrint") ValueState<Instant> nextPrint,
        @TimerId("print") Timer print) {
      List<ValueInSingleWindow<List<KV<String, Long>>>> now = new ArrayList<>();
      List<ValueInSingleWindow<List<KV<String, Long>>>> later = new ArrayList<>();
      for (ValueInSingleWindow<List<KV<String, Long>>> firing : pending.read()) {
        (firing.getTimestamp().isAfter(due) ? later : now).add(firing);
      }
      now.sort(IN_WINDOW_ORDER);
      StringBuilder tables = new StringBuilder();
      for (ValueInSingleWindow<List<KV<String, Long>>> firing : now) {
        windowsEmitted.inc();
        tables.append(
            table(format, (IntervalWindow) firing.getWindow(), firing.getPane(), firing.getValue()));
      }
      ConsoleOutput.print(tables.toString());
      pending.clear();
      later.forEach(pending::add);
      Instant next =
          later.stream().map(ValueInSingleWindow::getTimestamp).min(Comparator.naturalOrder()).orElse(null);
      if (next == null) {
        nextPrint.clear();
      } else {
        print.set(next);
        nextPrint.write(next);
      }
    }
  }

  /** Window start, then end, then firing. */
  private static final Comparator<ValueInSingleWindow<List<KV<String, Long>>>> IN_WINDOW_ORDER =
      Comparator.comparing(
              (ValueInSingleWindow<List<KV<String, Long>>> firing) ->
                  ((IntervalWindow) firing.getWindow()).start())
          .thenComparing(firing -> ((IntervalWindow) firing.getWindow()).end())
          .thenComparingLong(firing -> firing.getPane().getIndex());

  /** The JSON lines of one firing, one per rank, best first. */
  public static List<String> lines(
      RankingFormat format, IntervalWindow window, PaneInfo pane, List<KV<String, Long>> ranking) {
    String start = EventTimestamps.format(window.start());
    String end = EventTimestamps.format(window.end());
    List<String> lines = new ArrayList<>(ranking.size());
    int rank = 1;
    for (KV<String, Long> entry : ranking) {
      ObjectNode line = Json.mapper().createObjectNode();
      line.put("windowStart", start);
      line.put("windowEnd", end);
      if (pane.getIndex() > 0) {
        line.put("pane", pane.getIndex());
      }
      line.put("rank", rank++);
      line.put(format.nameField(), entry.getKey());
      line.put(format.totalField(), entry.getValue());
      lines.add(Json.write(line));
    }
    return lines;
  }

  /**
   * The console sink of a bounded input: every firing is gathered once the input has been read
   * and the tables are printed in window order (start, then end, then firing), not in the order
   * the windows happened to fire in. Holds all rankings of the run in one place, O(windows x N).
   */
  private static final class PrintTablesInOrder
      extends PTransform<PCollection<List<KV<String, Long>>>, PDone> {
    private final RankingFormat format;

    PrintTablesInOrder(RankingFormat format) {
      this.format = format;
    }

    @Override
    public PDone expand(PCollection<List<KV<String, Long>>> rankings) {
      rankings
          .apply("WithWindows", Reify.windows())
          .apply(
              "OneWindow",
              Window.<ValueInSingleWindow<List<KV<String, Long>>>>into(new GlobalWindows())
                  .triggering(DefaultTrigger.of())
                  .withAllowedLateness(Duration.ZERO)
                  .discardingFiredPanes())
          .apply("OneKey", WithKeys.of(0))
          .apply("GatherTables", GroupByKey.create())
          .apply("PrintInOrder", ParDo.of(new PrintInOrderFn(format)));
      return PDone.in(rankings.getPipeline());
    }
  }

  private static final class PrintInOrderFn
      extends DoFn<KV<Integer, Iterable<ValueInSingleWindow<List<KV<String, Long>>>>>, Void> {
    private final Counter windowsEmitted = Metrics.counter("windowpane", "windowsEmitted");
    private final RankingFormat format;

    PrintInOrderFn(RankingFormat format) {
      this.format = format;
    }

    @ProcessElement
    public void processElement(
        @Element KV<Integer, Iterable<ValueInSingleWindow<List<KV<String, Long>>>>> firings) {
      List<ValueInSingleWindow<List<KV<String, Long>>>> sorted = new ArrayList<>();
      firings.getValue().forEach(sorted::add);
      sorted.sort(IN_WINDOW_ORDER);
      StringBuilder tables = new StringBuilder();
      for (ValueInSingleWindow<List<KV<String, Long>>> firing : sorted) {
        windowsEmitted.inc();
        tables.append(
            table(format, (IntervalWindow) firing.getWindow(), firing.getPane(), firing.getValue()));
      }
      ConsoleOutput.print(tables.toString());
    }
  }

  /**
   * How a name is shown in a table: as it is, or as a JSON string (quoted, escaped) when it could
   * not be told apart or would break the table: empty, with a control character, with white space
   * at an end, or starting with a quote ({@code ""} is the empty name, {@code "\"\""} a name of two
   * quotes).
   */
  static String shown(String name) {
    boolean quoted =
        name.isEmpty()
            || name.startsWith("\"")
            || Character.isWhitespace(name.codePointAt(0))
            || Character.isWhitespace(name.codePointBefore(name.length()))
            || name.codePoints().anyMatch(c -> Character.getType(c) == Character.CONTROL || Character.getType(c) == Character.FORMAT);
    if (!quoted) {
      return name;
    }
    return Json.write(name);
  }

  /**
   * The columns {@code text} takes in a terminal: two for East Asian wide and full-width characters
   * (CJK, Hangul, full-width forms, emoji), none for combining marks, one for the others.
   */
  static int columns(String text) {
    return text.codePoints().map(WriteRankings::columnsOf).sum();
  }

  private static int columnsOf(int c) {
    int type = Character.getType(c);
    if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || c == 0x200B) {
      return 0;
    }
    boolean wide =
        (c >= 0x1100 && c <= 0x115F)
            || (c >= 0x2E80 && c <= 0xA4CF && c != 0x303F)
            || (c >= 0xAC00 && c <= 0xD7A3)
            || (c >= 0xF900 && c <= 0xFAFF)
            || (c >= 0xFE30 && c <= 0xFE4F)
            || (c >= 0xFF00 && c <= 0xFF60)
            || (c >= 0xFFE0 && c <= 0xFFE6)
            || (c >= 0x1F300 && c <= 0x1F64F)
            || (c >= 0x1F900 && c <= 0x1F9FF)
            || (c >= 0x20000 && c <= 0x3FFFD);
    return wide ? 2 : 1;
  }

  private static String padded(String text, int width) {
    return text + " ".repeat(Math.max(0, width - columns(text)));
  }

  /**
   * The printed form of one firing: a title line, a header and one row per rank, the columns as
   * wide as their widest value.
   */
  static String table(
      RankingFormat format, IntervalWindow window, PaneInfo pane, List<KV<String, Long>> ranking) {
    int nameWidth = format.nameField().length();
    int totalWidth = Math.max(format.totalField().length(), 8);
    for (KV<String, Long> entry : ranking) {
      nameWidth = Math.max(nameWidth, columns(shown(entry.getKey())));
      totalWidth = Math.max(totalWidth, String.valueOf(entry.getValue()).length());
    }
    int rankWidth = Math.max(4, String.valueOf(ranking.size()).length());
    String row = "  %" + rankWidth + "s  %s  %" + totalWidth + "s%n";
    StringBuilder table = new StringBuilder();
    table.append(
        String.format(
            "%n%s, window %s .. %s%s%n",
            format.title(),
            EventTimestamps.format(window.start()),
            EventTimestamps.format(window.end()),
            pane.getTiming() == PaneInfo.Timing.LATE ? " (update)" : ""));
    table.append(String.format(row, "rank", padded(format.nameField(), nameWidth), format.totalField()));
    int rank = 1;
    for (KV<String, Long> entry : ranking) {
      table.append(String.format(row, rank++, padded(shown(entry.getKey()), nameWidth), entry.getValue()));
    }
    return table.toString();
  }
}
