package dev.windowpane.bench;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

class CoverageTest {
  @Test
  void anEventIsProcessedOnceItsLastWindowIsEmitted() {
    Workload workload = Workload.standard(7, 20_000);
    long period = 60_000;
    for (int ratio : new int[] {1, 10, 60, 1440}) {
      Coverage coverage = Coverage.of(workload, ratio, period);
      long[] range = Reference.windowEndRange(workload, ratio, period);
      assertThat(coverage.processedThrough(range[0] - period), is(0L));
      assertThat(coverage.processedThrough(range[1]), is(workload.events()));
      for (long end = range[0]; end <= range[1]; end += Math.max(period, (range[1] - range[0]) / 37)) {
        long expected = 0;
        for (long i = 0; i < workload.events(); i++) {
          long t = workload.timestampMillis(i);
          if (Math.floorDiv(t, period) * period + ratio * period <= end) {
            expected++;
          }
        }
        assertThat("W/P " + ratio + ", windows through " + end, coverage.processedThrough(end), is(expected));
      }
    }
  }
}
