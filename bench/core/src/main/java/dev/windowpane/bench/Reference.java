package dev.windowpane.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The exact answer, computed directly in memory: per-key totals over sliding windows of
 * {@code ratio * period} every {@code period}, top {@code n} per window (total descending, key
 * ascending), for every window that holds at least one event. Costs O(events log events +
 * windows * keys) time and O(events + keys) memory, so it also checks the timed runs, with a
 * million keys.
 */
public final class Reference {
  /** Total descending, then key ascending: windowpane's Rankings order. */
  public static final Comparator<Ranked> ORDER =
      Comparator.comparingLong(Ranked::total).reversed().thenComparing(Ranked::key);

  private Reference() {}

  public static WindowTops topPerWindow(Workload workload, int ratio, long periodMillis, int n) {
    long events = workload.events();
    long firstSlide = Long.MAX_VALUE;
    long lastSlide = Long.MIN_VALUE;
    for (long i = 0; i < events; i++) {
      long slide = Math.floorDiv(workload.timestampMillis(i), periodMillis);
      firstSlide = Math.min(firstSlide, slide);
      lastSlide = Math.max(lastSlide, slide);
    }
    int slides = (int) (lastSlide - firstSlide + 1);
    // Each slide's (key, value) pairs, then its per-key totals: sparse, so that a million keys
    // cost what the events cost, not slides x keys.
    int[] counts = new int[slides];
    for (long i = 0; i < events; i++) {
      counts[(int) (Math.floorDiv(workload.timestampMillis(i), periodMillis) - firstSlide)]++;
    }
    long[][] pairs = new long[slides][];
    for (int s = 0; s < slides; s++) {
      pairs[s] = new long[counts[s]];
      counts[s] = 0;
    }
    for (long i = 0; i < events; i++) {
      int s = (int) (Math.floorDiv(workload.timestampMillis(i), periodMillis) - firstSlide);
      pairs[s][counts[s]++] = ((long) workload.keyIndex(i) << 32) | workload.value(i);
    }
    int[][] paneKeys = new int[slides][];
    long[][] paneTotals = new long[slides][];
    for (int s = 0; s < slides; s++) {
      long[] p = pairs[s];
      pairs[s] = null;
      java.util.Arrays.sort(p);
      int distinct = 0;
      for (int j = 0; j < p.length; j++) {
        if (j == 0 || (p[j] >>> 32) != (p[j - 1] >>> 32)) {
          distinct++;
        }
      }
      paneKeys[s] = new int[distinct];
      paneTotals[s] = new long[distinct];
      int d = -1;
      for (int j = 0; j < p.length; j++) {
        if (j == 0 || (p[j] >>> 32) != (p[j - 1] >>> 32)) {
          d++;
          paneKeys[s][d] = (int) (p[j] >>> 32);
        }
        paneTotals[s][d] += p[j] & 0xFFFFFFFFL;
      }
    }
    WindowTops tops = new WindowTops();
    long[] window = new long[workload.keys()];
    // The window ending at slide e (exclusive) holds slides e - ratio .. e - 1.
    for (int e = 1; e <= slides - 1 + ratio; e++) {
      if (e - 1 < slides) {
        add(window, paneKeys[e - 1], paneTotals[e - 1], 1);
      }
      if (e - 1 - ratio >= 0) {
        add(window, paneKeys[e - 1 - ratio], paneTotals[e - 1 - ratio], -1);
      }
      tops.put((firstSlide + e) * periodMillis, top(window, workload, n));
    }
    return tops;
  }

  /** The window ends such a run produces, first and last, in epoch millis. */
  public static long[] windowEndRange(Workload workload, int ratio, long periodMillis) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (long i = 0; i < workload.events(); i++) {
      long t = workload.timestampMillis(i);
      min = Math.min(min, t);
      max = Math.max(max, t);
    }
    long first = (Math.floorDiv(min, periodMillis) + 1) * periodMillis;
    long last = (Math.floorDiv(max, periodMillis) + ratio) * periodMillis;
    return new long[] {first, last};
  }

  private static void add(long[] window, int[] keys, long[] totals, int sign) {
    for (int j = 0; j < keys.length; j++) {
      window[keys[j]] += sign * totals[j];
    }
  }

  private static List<Ranked> top(long[] window, Workload workload, int n) {
    PriorityQueue<Ranked> worstFirst = new PriorityQueue<>(n + 1, ORDER.reversed());
    for (int k = 0; k < window.length; k++) {
      if (window[k] == 0) {
        continue;
      }
      Ranked r = new Ranked(workload.keyName(k), window[k]);
      if (worstFirst.size() < n) {
        worstFirst.add(r);
      } else if (ORDER.compare(r, worstFirst.peek()) < 0) {
        worstFirst.poll();
        worstFirst.add(r);
      }
    }
    List<Ranked> result = new ArrayList<>(worstFirst);
    result.sort(ORDER);
    return result;
  }
}
