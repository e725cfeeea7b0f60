package dev.windowpane.transforms.testing;

import dev.windowpane.transforms.windows.Rankings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;

/** Sliding-window results computed straight from the definition, to check transforms against. */
public final class SlidingReference {
  private SlidingReference() {}

  /** Per-key totals of every sliding window [start, start + size), start a multiple of period. */
  public static TreeMap<Long, Map<String, Long>> totals(
      List<TimestampedValue<KV<String, Long>>> events, long size, long period) {
    TreeMap<Long, Map<String, Long>> totalsByStart = new TreeMap<>();
    for (TimestampedValue<KV<String, Long>> e : events) {
      long t = e.getTimestamp().getMillis();
      for (long start = Math.floorDiv(t, period) * period; start > t - size; start -= period) {
        totalsByStart
            .computeIfAbsent(start, s -> new HashMap<>())
            .merge(e.getValue().getKey(), e.getValue().getValue(), Long::sum);
      }
    }
    return totalsByStart;
  }

  /** Each window's top n, formatted as {@link FormatRankingWithWindow} formats a result. */
  public static List<String> topN(
      List<TimestampedValue<KV<String, Long>>> events, long size, long period, int n) {
    List<String> expected = new ArrayList<>();
    totals(events, size, period)
        .forEach(
            (start, totals) ->
                expected.add(
                    format(
                        new IntervalWindow(new Instant(start), new Instant(start + size)),
                        Rankings.top(totals, n))));
    return expected;
  }

  static String format(IntervalWindow window, List<KV<String, Long>> ranking) {
    return window + " " + ranking;
  }

  /** Formats each ranking with its window, so whole results compare as strings. */
  public static class FormatRankingWithWindow extends DoFn<List<KV<String, Long>>, String> {
    @ProcessElement
    public void process(
        @Element List<KV<String, Long>> ranking, BoundedWindow window, OutputReceiver<String> out) {
      out.output(format((IntervalWindow) window, ranking));
    }
  }
}
