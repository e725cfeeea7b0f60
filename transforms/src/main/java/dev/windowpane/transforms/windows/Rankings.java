package dev.windowpane.transforms.windows;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.beam.sdk.values.KV;

/**
 * The one ranking order of windowpane: total descending, ties broken by key ascending, and the
 * bounded selection of the top N in that order. Selecting N of M totals costs O(M log N).
 */
public final class Rankings {
  private Rankings() {}

  /** Orders {@code KV<key, total>} best first: larger total first, then smaller key. */
  public static <K extends Comparable<? super K>> Comparator<KV<K, Long>> order() {
    return new RankOrder<>();
  }

  /** The top {@code n} of {@code totals} in rank order (fewer when there are fewer keys). */
  public static <K extends Comparable<? super K>> List<KV<K, Long>> top(Map<K, Long> totals, int n) {
    RankOrder<K> order = new RankOrder<>();
    PriorityQueue<KV<K, Long>> worstFirst = new PriorityQueue<>(n + 1, order.reversed());
    for (Map.Entry<K, Long> e : totals.entrySet()) {
      offer(worstFirst, KV.of(e.getKey(), e.getValue()), n, order);
    }
    return drain(worstFirst, order);
  }

  /** The top {@code n} of {@code totals} in rank order; each key should occur once. */
  public static <K extends Comparable<? super K>> List<KV<K, Long>> top(
      Iterable<KV<K, Long>> totals, int n) {
    RankOrder<K> order = new RankOrder<>();
    PriorityQueue<KV<K, Long>> worstFirst = new PriorityQueue<>(n + 1, order.reversed());
    for (KV<K, Long> kv : totals) {
      offer(worstFirst, kv, n, order);
    }
    return drain(worstFirst, order);
  }

  /** The top {@code n} of engine totals in rank order (package use: the pane engine's output). */
  static <K extends Comparable<? super K>> List<KV<K, Long>> topOfEntries(
      Iterable<Map.Entry<K, PaneEntry<Long>>> totals, int n) {
    RankOrder<K> order = new RankOrder<>();
    PriorityQueue<KV<K, Long>> worstFirst = new PriorityQueue<>(n + 1, order.reversed());
    for (Map.Entry<K, PaneEntry<Long>> e : totals) {
      long total = e.getValue().value;
      if (worstFirst.size() == n) {
        // Most keys do not make the top: compare before allocating a candidate.
        KV<K, Long> worst = worstFirst.peek();
        long worstTotal = worst.getValue();
        if (total < worstTotal || (total == worstTotal && e.getKey().compareTo(worst.getKey()) >= 0)) {
          continue;
        }
      }
      offer(worstFirst, KV.of(e.getKey(), total), n, order);
    }
    return drain(worstFirst, order);
  }

  private static <K extends Comparable<? super K>> void offer(
      PriorityQueue<KV<K, Long>> worstFirst, KV<K, Long> candidate, int n, RankOrder<K> order) {
    if (worstFirst.size() < n) {
      worstFirst.add(candidate);
    } else if (order.compare(candidate, worstFirst.peek()) < 0) {
      worstFirst.poll();
      worstFirst.add(candidate);
    }
  }

  private static <K extends Comparable<? super K>> List<KV<K, Long>> drain(
      PriorityQueue<KV<K, Long>> worstFirst, RankOrder<K> order) {
    List<KV<K, Long>> result = new ArrayList<>(worstFirst);
    result.sort(order);
    return result;
  }

  private static final class RankOrder<K extends Comparable<? super K>>
      implements Comparator<KV<K, Long>>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(KV<K, Long> a, KV<K, Long> b) {
      int byTotal = Long.compare(b.getValue(), a.getValue());
      return byTotal != 0 ? byTotal : a.getKey().compareTo(b.getKey());
    }
  }
}
