package dev.windowpane.bench;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

class WorkloadTest {
  private static final long EVENTS = 200_000;
  private final Workload workload = Workload.standard(42, EVENTS);

  @Test
  void sameSeedGivesTheSameEventsAndAnotherSeedOthers() {
    Workload again = Workload.standard(42, EVENTS);
    Workload other = Workload.standard(43, EVENTS);
    int differentKeys = 0;
    for (long i = 0; i < 1000; i++) {
      assertThat(Event.of(again, i), equalTo(Event.of(workload, i)));
      if (!other.key(i).equals(workload.key(i))) {
        differentKeys++;
      }
    }
    assertThat(differentKeys, greaterThan(500));
  }

  @Test
  void eventsSpreadEvenlyOverSixHoursWithUpToFiveSecondsOfDelay() {
    assertThat(workload.nominalMillis(0), equalTo(Workload.START_MILLIS));
    assertThat(workload.nominalMillis(EVENTS - 1), lessThan(Workload.START_MILLIS + Workload.SIX_HOURS_MILLIS));
    assertThat(workload.nominalMillis(EVENTS / 2), equalTo(Workload.START_MILLIS + Workload.SIX_HOURS_MILLIS / 2));
    long maxDelay = 0;
    for (long i = 0; i < EVENTS; i++) {
      long delay = workload.timestampMillis(i) - workload.nominalMillis(i);
      assertThat(delay, both(greaterThanOrEqualTo(0L)).and(lessThan(5_000L)));
      maxDelay = Math.max(maxDelay, delay);
    }
    assertThat(maxDelay, greaterThan(4_900L));
  }

  @Test
  void aWatermarkOfLargestTimestampMinusFiveSecondsIsNeverPassedByALaterEvent() {
    long maxSeen = Long.MIN_VALUE / 2;
    boolean outOfOrder = false;
    for (long i = 0; i < EVENTS; i++) {
      long t = workload.timestampMillis(i);
      assertThat(t, greaterThan(maxSeen - 5_000));
      outOfOrder |= t < maxSeen;
      maxSeen = Math.max(maxSeen, t);
    }
    assertThat("the events arrive out of order", outOfOrder);
  }

  @Test
  void keysFollowZipfAndValuesAreOneToFive() {
    long[] counts = new long[workload.keys()];
    long[] valueCounts = new long[7];
    for (long i = 0; i < EVENTS; i++) {
      counts[workload.keyIndex(i)]++;
      valueCounts[(int) workload.value(i)]++;
    }
    double harmonic = 0;
    for (int k = 1; k <= 10_000; k++) {
      harmonic += 1 / Math.pow(k, 1.1);
    }
    assertThat((double) counts[0] / EVENTS, closeTo(1 / harmonic, 0.005));
    assertThat((double) counts[9] / EVENTS, closeTo(1 / harmonic / Math.pow(10, 1.1), 0.002));
    assertThat(valueCounts[0], equalTo(0L));
    assertThat(valueCounts[6], equalTo(0L));
    for (int v = 1; v <= 5; v++) {
      assertThat((double) valueCounts[v] / EVENTS, closeTo(0.2, 0.01));
    }
    assertThat(workload.keyName(0), equalTo("key-00000"));
    assertThat(workload.keyName(9_999), equalTo("key-09999"));
  }

  @Test
  void firstIndexAtOrAfterFindsTheBoundary() {
    for (long millis : new long[] {Workload.START_MILLIS - 1, Workload.START_MILLIS + 1,
        Workload.START_MILLIS + 60_000, Workload.START_MILLIS + 3_600_000 + 7}) {
      long i = workload.firstIndexAtOrAfter(millis);
      assertThat(workload.nominalMillis(i), greaterThanOrEqualTo(millis));
      if (i > 0) {
        assertThat(workload.nominalMillis(i - 1), lessThan(millis));
      }
    }
    assertThat(workload.firstIndexAtOrAfter(Workload.START_MILLIS + Workload.SIX_HOURS_MILLIS), equalTo(EVENTS));
  }

  @Test
  void aLongerWorkloadHasTheStandardDensityAndTheSameEvents() {
    Workload standard = Workload.standard(42, 5_000_000);
    Workload longer = Workload.standard(42, 30_000_000, 10_000, 36);
    for (long i : new long[] {0, 1, 999, 4_999_999}) {
      assertThat(longer.nominalMillis(i), equalTo(standard.nominalMillis(i)));
      assertThat(longer.key(i), equalTo(standard.key(i)));
      assertThat(longer.value(i), equalTo(standard.value(i)));
    }
    assertThat(longer.nominalMillis(29_999_999), equalTo(Workload.START_MILLIS + 36 * 3_600_000L - 5));
    assertThat(longer, not(equalTo(Workload.standard(42, 30_000_000))));
  }

  @Test
  void workloadsWithDifferentSizesAreNotEqual() {
    assertThat(workload.withEvents(10), not(equalTo(workload)));
    assertThat(workload.withEvents(EVENTS), equalTo(workload));
  }

  @Test
  void onePercentOfLateEventsIsBehindTheSourceWatermarkAndWithinTheAllowedLateness() {
    Workload late = workload.withLateEvents(0.01);
    long maxSeen = Long.MIN_VALUE;
    long lateCount = 0;
    for (long i = 0; i < EVENTS; i++) {
      long t = late.timestampMillis(i);
      long watermark = maxSeen == Long.MIN_VALUE ? Long.MIN_VALUE : maxSeen - late.maxDisorderMillis();
      if (late.isLate(i)) {
        lateCount++;
        if (late.nominalMillis(i) > Workload.START_MILLIS + 60_000) {
          assertThat(t, lessThan(watermark));
        }
        // A window this event belongs to ends after t: the watermark passed its end by less than the lateness.
        assertThat(Math.max(0, watermark - t), lessThan(late.allowedLatenessMillis()));
      } else {
        assertThat(t, equalTo(workload.timestampMillis(i)));
        assertThat(t, greaterThanOrEqualTo(watermark));
      }
      maxSeen = Math.max(maxSeen, t);
    }
    assertThat((double) lateCount / EVENTS, closeTo(0.01, 0.001));
    assertThat(workload.allowedLatenessMillis(), equalTo(0L));
  }
}
