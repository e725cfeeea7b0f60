package dev.windowpane.transforms.windows;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class SlidingSpecTest {
  private static long at(String instant) {
    return Instant.parse(instant).getMillis();
  }

  @Test
  void anOffsetMovesEveryWindowAndPane() {
    // Daily windows every 12h that start at midnight in UTC+2: 22:00 and 10:00 UTC.
    SlidingSpec spec =
        SlidingSpec.of(Duration.standardDays(1), Duration.standardHours(12)).withOffset(Duration.standardHours(-2));
    assertThat(spec.offset(), is(Duration.standardHours(10)));
    long t = at("2025-11-25T09:00:00Z");
    assertThat(spec.paneStart(t), is(at("2025-11-24T22:00:00Z")));
    assertThat(spec.firstWindowEnd(t), is(at("2025-11-25T10:00:00Z")));
    assertThat(spec.lastWindowEnd(t), is(at("2025-11-25T22:00:00Z")));
    assertThat(spec.latestWindowEndAtOrBefore(t), is(at("2025-11-24T22:00:00Z")));
    assertThat(spec.isWindowEnd(at("2025-11-25T10:00:00Z")), is(true));
    assertThat(spec.isWindowEnd(at("2025-11-25T00:00:00Z")), is(false));
  }

  @Test
  void withoutAnOffsetWindowsAlignToTheEpoch() {
    SlidingSpec spec = SlidingSpec.of(Duration.standardSeconds(10), Duration.standardSeconds(4));
    assertThat(spec.paneMillis(), is(2000L));
    assertThat(spec.firstWindowEnd(5_000), is(6_000L));
    assertThat(spec.lastWindowEnd(5_000), is(14_000L));
    assertThat(spec.paneStart(-1), is(-2000L));
  }
}
