package dev.windowpane.transforms.testing;

import dev.windowpane.transforms.windows.InvertibleSlidingReduce;
import dev.windowpane.transforms.windows.Rankings;
import dev.windowpane.transforms.windows.SlidingCombine;
import dev.windowpane.transforms.windows.SlidingTopN;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * Runs {@link SlidingTopN}, {@link SlidingCombine} and {@link InvertibleSlidingReduce} beside
 * Beam's built-in {@code SlidingWindows} + {@code Sum} on one {@link LateDataScenario} in one
 * pipeline, and lists every difference: of each window's last pane, of the late counters and of
 * the late data. The built-in result is also checked against the scenario's definition, so the
 * definition itself is under test. Results are collected in this JVM (the Direct runner and
 * embedded Flink).
 */
public final class SlidingComparison {
  private static final Map<String, Queue<Row>> RESULTS = new ConcurrentHashMap<>();

  private final LateDataScenario scenario;
  private final boolean bounded;
  private final String run = UUID.randomUUID().toString();

  /** On the scenario's timeline (a {@code TestStream}). */
  public SlidingComparison(LateDataScenario scenario) {
    this(scenario, false);
  }

  /** On the timeline, or {@code bounded}, on its events as one bounded input ({@code Create}). */
  public SlidingComparison(LateDataScenario scenario, boolean bounded) {
    this.scenario = scenario;
    this.bounded = bounded;
  }

  /** One output element: window end, pane index, key (or a ranking) and value. */
  private static final class Row {
    final long end;
    final long pane;
    final String key;
    final long value;
    final List<KV<String, Long>> ranking;

    Row(long end, long pane, String key, long value, List<KV<String, Long>> ranking) {
      this.end = end;
      this.pane = pane;
      this.key = key;
      this.value = value;
      this.ranking = ranking;
    }
  }

  /** Adds every branch for every config of the scenario to {@code p}. */
  public void addTo(Pipeline p) {
    PCollection<KV<String, Long>> input =
        bounded
            ? p.apply(
                "Events",
                Create.timestamped(scenario.events()).withCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())))
            : p.apply("Timeline", scenario.testStream());
    for (int c = 0; c < scenario.configs.size(); c++) {
      LateDataScenario.Config config = scenario.configs.get(c);
      Duration size = Duration.millis(config.size);
      Duration period = Duration.millis(config.period);
      Duration lateness = Duration.millis(config.lateness);
      Duration offset = Duration.millis(config.offset);
      String name = "Case" + c;
      input
          .apply(
              name + "BuiltInWindows",
              Window.<KV<String, Long>>into(SlidingWindows.of(size).every(period).withOffset(offset))
                  .triggering(AfterWatermark.pastEndOfWindow().withLateFirings(AfterPane.elementCountAtLeast(1)))
                  .withAllowedLateness(lateness)
                  .accumulatingFiredPanes())
          .apply(name + "BuiltInSum", Sum.longsPerKey())
          .apply(name + "CollectBuiltIn", ParDo.of(new CollectTotals(key(c, "builtin"))));
      SlidingTopN.Result<String> top =
          input.apply(
              name + "TopN",
              SlidingTopN.<String>of(config.top, size, period)
                  .withOffset(offset)
                  .withAllowedLateness(lateness)
                  .withShards(config.shards));
      top.rankings().apply(name + "CollectTopN", ParDo.of(new CollectRankings(key(c, "topn"))));
      top.lateData().apply(name + "CollectLateData", ParDo.of(new CollectTotals(key(c, "late"))));
      input
          .apply(
              name + "Combine",
              SlidingCombine.<String, Long, long[], Long>perKey(Sum.ofLongs(), size, period)
                  .<String>withAllowedLateness(lateness)
                  .withOffset(offset)
                  .withShards(config.shards))
          .apply(name + "CollectCombine", ParDo.of(new CollectTotals(key(c, "combine"))));
      input
          .apply(
              name + "Invertible",
              InvertibleSlidingReduce.<String>sumLongs(size, period)
                  .<String>withAllowedLateness(lateness)
                  .withOffset(offset)
                  .withShards(config.shards))
          .apply(name + "CollectInvertible", ParDo.of(new CollectTotals(key(c, "invertible"))));
    }
  }

  private String key(int config, String branch) {
    return run + "/" + config + "/" + branch;
  }

  /** The differences after {@code result} finished; empty when everything agrees. */
  public List<String> mismatches(PipelineResult result) {
    List<String> problems = new ArrayList<>();
    for (int c = 0; c < scenario.configs.size(); c++) {
      LateDataScenario.Config config = scenario.configs.get(c);
      LateDataScenario.Expected expected = scenario.expected(config, bounded);
      String where = scenario + ", config " + c + " (" + config + ")";
      compare(problems, where + ", built-in", expected.totals, lastPanes(rows(c, "builtin")));
      compare(problems, where + ", SlidingCombine", expected.totals, lastPanes(rows(c, "combine")));
      TreeMap<Long, Map<String, Long>> nonZero = new TreeMap<>();
      expected.totals.forEach(
          (end, totals) -> {
            Map<String, Long> kept = new TreeMap<>();
            totals.forEach((k, v) -> { if (v != 0) kept.put(k, v); });
            if (!kept.isEmpty()) nonZero.put(end, kept);
          });
      Map<String, Integer> emissions = new HashMap<>();
      for (Row row : rows(c, "invertible")) {
        emissions.merge(row.end + "/" + row.key, 1, Integer::sum);
      }
      emissions.forEach((k, n) -> { if (n != 1) problems.add(where + ", InvertibleSlidingReduce emitted " + k + " " + n + " times"); });
      compare(problems, where + ", InvertibleSlidingReduce", nonZero, lastPanes(rows(c, "invertible")));
      TreeMap<Long, List<KV<String, Long>>> expectedTop = new TreeMap<>();
      expected.totals.forEach((end, totals) -> expectedTop.put(end, Rankings.top(totals, config.top)));
      TreeMap<Long, List<KV<String, Long>>> actualTop = new TreeMap<>();
      TreeMap<Long, Long> lastPane = new TreeMap<>();
      for (Row row : rows(c, "topn")) {
        if (!lastPane.containsKey(row.end) || lastPane.get(row.end) < row.pane) {
          lastPane.put(row.end, row.pane);
          actualTop.put(row.end, row.ranking);
        }
      }
      if (!expectedTop.equals(actualTop)) {
        problems.add(where + ", SlidingTopN: expected " + expectedTop + " but got " + actualTop);
      }
      Map<String, Long> late = new TreeMap<>();
      for (Row row : rows(c, "late")) {
        late.merge(row.key, row.value, Long::sum);
      }
      if (!late.equals(expected.tooLate)) {
        problems.add(where + ", SlidingTopN late data: expected " + expected.tooLate + " but got " + late);
      }
      for (String step : new String[] {"TopN", "Combine", "Invertible"}) {
        long dropped = counter(result, "Case" + c + step, "lateEventsDropped");
        long missed = counter(result, "Case" + c + step, "lateWindowUpdatesDropped");
        if (dropped != expected.lateEventsDropped || missed != expected.lateWindowUpdatesDropped) {
          problems.add(
              where + ", " + step + " counters: expected lateEventsDropped " + expected.lateEventsDropped
                  + " and lateWindowUpdatesDropped " + expected.lateWindowUpdatesDropped
                  + ", got " + dropped + " and " + missed);
        }
      }
    }
    RESULTS.keySet().removeIf(k -> k.startsWith(run));
    return problems;
  }

  private List<Row> rows(int config, String branch) {
    Queue<Row> rows = RESULTS.get(key(config, branch));
    return rows == null ? List.of() : new ArrayList<>(rows);
  }

  /** Of each (window, key), the value of the highest pane index. */
  private static TreeMap<Long, Map<String, Long>> lastPanes(List<Row> rows) {
    Map<String, Long> paneOf = new HashMap<>();
    TreeMap<Long, Map<String, Long>> last = new TreeMap<>();
    for (Row row : rows) {
      String id = row.end + "/" + row.key;
      Long pane = paneOf.get(id);
      if (pane == null || pane < row.pane) {
        paneOf.put(id, row.pane);
        last.computeIfAbsent(row.end, e -> new TreeMap<>()).put(row.key, row.value);
      }
    }
    return last;
  }

  private static void compare(
      List<String> problems, String what, TreeMap<Long, Map<String, Long>> expected, TreeMap<Long, Map<String, Long>> actual) {
    TreeMap<Long, Map<String, Long>> e = new TreeMap<>();
    expected.forEach((end, totals) -> e.put(end, new TreeMap<>(totals)));
    if (!e.equals(actual)) {
      problems.add(what + ": expected " + e + " but got " + actual);
    }
  }

  private static long counter(PipelineResult result, String step, String name) {
    long sum = 0;
    for (MetricResult<Long> c :
        result.metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named("windowpane", name))
                    .addStep(step)
                    .build())
            .getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }

  private static final class CollectTotals extends DoFn<KV<String, Long>, Void> {
    private final String key;

    CollectTotals(String key) {
      this.key = key;
    }

    @ProcessElement
    public void process(@Element KV<String, Long> total, BoundedWindow window, PaneInfo pane) {
      long end = window.maxTimestamp().getMillis() + 1;
      RESULTS.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>())
          .add(new Row(end, pane.getIndex(), total.getKey(), total.getValue(), null));
    }
  }

  private static final class CollectRankings extends DoFn<List<KV<String, Long>>, Void> {
    private final String key;

    CollectRankings(String key) {
      this.key = key;
    }

    @ProcessElement
    public void process(@Element List<KV<String, Long>> ranking, BoundedWindow window, PaneInfo pane) {
      long end = window.maxTimestamp().getMillis() + 1;
      RESULTS.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>())
          .add(new Row(end, pane.getIndex(), null, 0, new ArrayList<>(ranking)));
    }
  }
}
