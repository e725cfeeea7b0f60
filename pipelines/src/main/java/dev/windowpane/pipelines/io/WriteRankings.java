package dev.windowpane.pipelines.io;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windowpane.transforms.json.EventTimestamps;
import dev.windowpane.transforms.json.Json;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * The sink of a top-N pipeline. Each input element is one firing of one sliding window: its
 * ranking, best first. With an output directory, every rank becomes a JSON line {@code
 * {"windowStart":T,"windowEnd":T,"rank":1,"<name>":"...","<total>":42}} in {@code
 * DIR/rankings-*.jsonl}, one file per slide of event time; without one, each firing is printed
 * as a table (a late refinement is marked "(update)" and replaces the earlier table). Counts
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
  private final RankingSettings settings;

  private WriteRankings(RankingFormat format, RankingSettings settings) {
    this.format = format;
    this.settings = settings;
  }

  public static WriteRankings of(RankingFormat format, RankingSettings settings) {
    return new WriteRankings(format, settings);
  }

  @Override
  public PDone expand(PCollection<List<KV<String, Long>>> rankings) {
    if (!settings.output().isPresent()) {
      rankings.apply("PrintTables", ParDo.of(new PrintTableFn(format)));
      return PDone.in(rankings.getPipeline());
    }
    return rankings
        .apply("ToJsonLines", ParDo.of(new ToJsonLinesFn(format)))
        .apply(
            "WriteFiles",
            OutputFiles.windowed(
                settings.output().get(), "rankings", settings.slide(), settings.allowedLateness()));
  }

  private static final class ToJsonLinesFn extends DoFn<List<KV<String, Long>>, String> {
    private final Counter windowsEmitted = Metrics.counter("windowpane", "windowsEmitted");
    private final RankingFormat format;

    ToJsonLinesFn(RankingFormat format) {
      this.format = format;
    }

    @ProcessElement
    public void processElement(
        @Element List<KV<String, Long>> ranking,
        BoundedWindow window,
        PaneInfo pane,
        OutputReceiver<String> out) {
      windowsEmitted.inc();
      lines(format, (IntervalWindow) window, pane, ranking).forEach(out::output);
    }
  }

  private static final class PrintTableFn extends DoFn<List<KV<String, Long>>, Void> {
    private final Counter windowsEmitted = Metrics.counter("windowpane", "windowsEmitted");
    private final RankingFormat format;

    PrintTableFn(RankingFormat format) {
      this.format = format;
    }

    @ProcessElement
    public void processElement(
        @Element List<KV<String, Long>> ranking, BoundedWindow window, PaneInfo pane) {
      windowsEmitted.inc();
      System.out.print(table(format, (IntervalWindow) window, pane, ranking));
      System.out.flush();
    }
  }

  /** The JSON lines of one firing, one per rank, best first. */
  static List<String> lines(
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

  /** The printed form of one firing: a title line, a header and one row per rank. */
  static String table(
      RankingFormat format, IntervalWindow window, PaneInfo pane, List<KV<String, Long>> ranking) {
    int nameWidth = format.nameField().length();
    for (KV<String, Long> entry : ranking) {
      nameWidth = Math.max(nameWidth, entry.getKey().length());
    }
    String row = "  %4s  %-" + nameWidth + "s  %" + Math.max(format.totalField().length(), 8) + "s%n";
    StringBuilder table = new StringBuilder();
    table.append(
        String.format(
            "%n%s, window %s .. %s%s%n",
            format.title(),
            EventTimestamps.format(window.start()),
            EventTimestamps.format(window.end()),
            pane.getTiming() == PaneInfo.Timing.LATE ? " (update)" : ""));
    table.append(String.format(row, "rank", format.nameField(), format.totalField()));
    int rank = 1;
    for (KV<String, Long> entry : ranking) {
      table.append(String.format(row, rank++, entry.getKey(), entry.getValue()));
    }
    return table.toString();
  }
}
