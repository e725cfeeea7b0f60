package dev.windowpane.transforms.windows;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.Test;

/**
 * The candidates' ranking equals a full ranking of the running totals after any sequence of
 * changes (totals up and down, zero and negative, keys leaving, the totals cleared, ties), and a
 * ranking reads the running totals whole only when the candidates cannot answer.
 */
class RankingCandidatesTest {
  /** A store that counts the scans of its running totals. */
  static final class CountingStore extends MemoryStore<String, Long> {
    int scans;

    @Override
    public Iterable<Map.Entry<String, PaneEntry<Long>>> runningEntries() {
      scans++;
      return super.runningEntries();
    }

    @Override
    public void setTimer(long firesAt, Long holdAt) {}

    @Override
    public void clearTimer() {}
  }

  @Test
  void theTopOfTheCandidatesIsTheTopOfTheRunningTotals() {
    Random random = new Random(5);
    for (int round = 0; round < 200; round++) {
      int n = 1 + random.nextInt(5);
      int keys = 1 + random.nextInt(random.nextBoolean() ? 30 : 300);
      int spread = 1 + random.nextInt(random.nextBoolean() ? 3 : 1000);
      CountingStore store = new CountingStore();
      for (int call = 0; call < 60; call++) {
        // One engine call: a few changes, sometimes a ranking, then the candidates are written back.
        RankingCandidates.Tracking<String, Long> tracking = new RankingCandidates.Tracking<>(store, n, 4 * n);
        int changes = random.nextInt(random.nextBoolean() ? 5 : 200);
        for (int c = 0; c < changes; c++) {
          String key = "k" + random.nextInt(keys);
          if (random.nextBoolean()) {
            // Often a key of the current top, so that the top falls below keys left untouched.
            Map<String, Long> now = new HashMap<>();
            store.running.forEach((k, v) -> now.put(k, v.value));
            List<KV<String, Long>> top = Rankings.top(now, n);
            if (!top.isEmpty()) {
              key = top.get(random.nextInt(top.size())).getKey();
            }
          }
          int what = random.nextInt(100);
          if (what < 3) {
            tracking.clearRunning();
          } else if (what < 20) {
            tracking.removeRunning(key);
          } else {
            PaneEntry<Long> old = store.running(key);
            long delta = random.nextInt(2 * spread + 1) - spread;
            tracking.putRunning(key, new PaneEntry<>((old == null ? 0 : old.value) + delta, 1));
          }
        }
        if (random.nextInt(3) > 0) {
          List<KV<String, Long>> got = new ArrayList<>();
          for (Map.Entry<String, PaneEntry<Long>> e : tracking.top()) {
            got.add(KV.of(e.getKey(), e.getValue().value));
          }
          Map<String, Long> totals = new HashMap<>();
          store.running.forEach((k, v) -> totals.put(k, v.value));
          assertThat("round " + round + " call " + call, got, equalTo(Rankings.top(totals, n)));
        }
        tracking.flush();
      }
      RankingCandidates.Tracking<String, Long> last = new RankingCandidates.Tracking<>(store, n, 4 * n);
      last.clearRunning();
      last.flush();
      assertThat("no candidates are kept for a shard without running totals", store.candidates, nullValue());
    }
  }

  @Test
  void aRankingReadsOnlyTheCandidatesWhileTheyHoldTheTop() {
    CountingStore store = new CountingStore();
    RankingCandidates.Tracking<String, Long> first = new RankingCandidates.Tracking<>(store, 3, 12);
    first.clearRunning();
    for (int k = 0; k < 1000; k++) {
      first.putRunning("k" + k, new PaneEntry<>((long) k, 1));
    }
    first.top();
    first.flush();
    int scansAfterFirst = store.scans;
    // Slides that change a few keys, up and down, keep the top within the candidates.
    Random random = new Random(9);
    for (int slide = 0; slide < 100; slide++) {
      RankingCandidates.Tracking<String, Long> tracking = new RankingCandidates.Tracking<>(store, 3, 12);
      for (int c = 0; c < 10; c++) {
        String key = "k" + random.nextInt(1000);
        tracking.putRunning(key, new PaneEntry<>(store.running(key).value + random.nextInt(5) - 2, 1));
      }
      tracking.top();
      tracking.flush();
    }
    assertThat(store.scans - scansAfterFirst, lessThan(5));
  }

  @Test
  void aKeyLeftOutKeepsItsPlaceAboveLowerKeysTrimmedLater() {
    CountingStore store = new CountingStore();
    RankingCandidates.Tracking<String, Long> scan = new RankingCandidates.Tracking<>(store, 1, 2);
    scan.clearRunning();
    long[] totals = {100, 90, 80, 70};
    for (int k = 0; k < totals.length; k++) {
      scan.putRunning("k" + k, new PaneEntry<>(totals[k], 1));
    }
    scan.flush();
    // A full scan keeps k0 and k1; k2 (80) is the best of the keys left out.
    store.candidates = null;
    RankingCandidates.Tracking<String, Long> ranked = new RankingCandidates.Tracking<>(store, 1, 2);
    assertThat(ranked.top().get(0).getKey(), equalTo("k0"));
    ranked.flush();
    // Two low keys change, are ranked and trimmed again: the bound stays at k2, not at them.
    RankingCandidates.Tracking<String, Long> low = new RankingCandidates.Tracking<>(store, 1, 2);
    low.putRunning("k8", new PaneEntry<>(10L, 1));
    low.putRunning("k9", new PaneEntry<>(5L, 1));
    assertThat(low.top().get(0).getKey(), equalTo("k0"));
    low.flush();
    // The top falls below k2, which never changed.
    RankingCandidates.Tracking<String, Long> fall = new RankingCandidates.Tracking<>(store, 1, 2);
    fall.putRunning("k0", new PaneEntry<>(50L, 1));
    fall.putRunning("k1", new PaneEntry<>(40L, 1));
    assertThat(fall.top().get(0).getKey(), equalTo("k2"));
  }
}
