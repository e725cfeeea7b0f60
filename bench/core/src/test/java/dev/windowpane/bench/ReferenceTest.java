package dev.windowpane.bench;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReferenceTest {
  private static final long P = 60_000;

  /** The same answer computed the slow, obvious way: every window scans every event. */
  private static WindowTops bruteForce(Workload w, int ratio, int n) {
    long[] range = Reference.windowEndRange(w, ratio, P);
    WindowTops tops = new WindowTops();
    for (long end = range[0]; end <= range[1]; end += P) {
      Map<String, Long> totals = new HashMap<>();
      for (long i = 0; i < w.events(); i++) {
        long t = w.timestampMillis(i);
        if (t >= end - ratio * P && t < end) {
          totals.merge(w.key(i), w.value(i), Long::sum);
        }
      }
      List<Ranked> all = new ArrayList<>();
      totals.forEach((k, v) -> all.add(new Ranked(k, v)));
      all.sort(Reference.ORDER);
      tops.put(end, all.subList(0, Math.min(n, all.size())));
    }
    return tops;
  }

  @Test
  void slidingTopTenEqualsTheBruteForceAnswer() {
    Workload small = Workload.of(7, 3_000, 30 * 60_000, 5_000, 40, 1.1, 5);
    for (int ratio : new int[] {1, 4, 45}) {
      WindowTops expected = bruteForce(small, ratio, 10);
      WindowTops actual = Reference.topPerWindow(small, ratio, P, 10);
      assertThat("W/P " + ratio, actual.asMap(), equalTo(expected.asMap()));
      long[] range = Reference.windowEndRange(small, ratio, P);
      assertThat(actual.windows(), equalTo((int) ((range[1] - range[0]) / P + 1)));
    }
  }

  @Test
  void tiesAreBrokenByKeyAscending() {
    // Two keys with equal totals in every window: few keys, one value.
    Workload workload = Workload.of(3, 400, 10 * 60_000, 0, 3, 0.0, 1);
    WindowTops tops = Reference.topPerWindow(workload, 1, P, 3);
    int ties = 0;
    for (List<Ranked> ranking : tops.asMap().values()) {
      for (int r = 1; r < ranking.size(); r++) {
        Ranked a = ranking.get(r - 1);
        Ranked b = ranking.get(r);
        ties += a.total() == b.total() ? 1 : 0;
        boolean ordered = a.total() > b.total()
            || (a.total() == b.total() && a.key().compareTo(b.key()) < 0);
        assertThat(a + " before " + b, ordered);
      }
    }
    assertThat("some windows have equal totals", ties > 0);
  }
}
