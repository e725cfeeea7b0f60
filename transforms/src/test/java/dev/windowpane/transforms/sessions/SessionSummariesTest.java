package dev.windowpane.transforms.sessions;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.windowpane.transforms.testing.TestPipelines;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class SessionSummariesTest {
  static final KvCoder<String, Double> INPUT = KvCoder.of(StringUtf8Coder.of(), DoubleCoder.of());
  static final Duration GAP = Duration.standardMinutes(10);

  static Instant minute(int m) {
    return new Instant(0).plus(Duration.standardMinutes(m));
  }

  static TimestampedValue<KV<String, Double>> event(String session, double value, int m) {
    return TimestampedValue.of(KV.of(session, value), minute(m));
  }

  static KV<String, SessionSummary> stats(
      String session, long events, double total, int first, int last) {
    return KV.of(session, SessionSummary.of(events, total, minute(first), minute(last)));
  }

  private static IntervalWindow window(int start, int end) {
    return new IntervalWindow(minute(start), minute(end));
  }

  /** s-1: 0, 5, 14 (gaps 5 and 9 min: one session), then 24 (10 min later: a new one); s-2: 3. */
  private static void assertTheThreeSessions(PCollection<KV<String, SessionSummary>> summaries) {
    PAssert.that(summaries)
        .containsInAnyOrder(
            stats("s-1", 3, 7.0, 0, 14), stats("s-1", 1, 8.0, 24, 24), stats("s-2", 1, 0.5, 3, 3));
    PAssert.that(summaries)
        .inOnTimePane(window(0, 24))
        .containsInAnyOrder(stats("s-1", 3, 7.0, 0, 14));
    PAssert.that(summaries)
        .inOnTimePane(window(24, 34))
        .containsInAnyOrder(stats("s-1", 1, 8.0, 24, 24));
    PAssert.that(summaries)
        .inOnTimePane(window(3, 13))
        .containsInAnyOrder(stats("s-2", 1, 0.5, 3, 3));
  }

  @Test
  void summarisesEachSessionOfEventsArrivingInOrder() {
    Pipeline p = TestPipelines.create();
    TestStream<KV<String, Double>> events =
        TestStream.create(INPUT)
            .addElements(event("s-1", 1.0, 0), event("s-2", 0.5, 3))
            .addElements(event("s-1", 2.0, 5))
            .advanceWatermarkTo(minute(5))
            .addElements(event("s-1", 4.0, 14))
            .advanceWatermarkTo(minute(20)) // s-2 ends at 13
            .addElements(event("s-1", 8.0, 24))
            .advanceWatermarkToInfinity();

    assertTheThreeSessions(p.apply(events).apply(SessionSummaries.withGap(GAP)));
    TestPipelines.run(p);
  }

  @Test
  void summarisesTheSameSessionsWhenEventsArriveOutOfOrder() {
    Pipeline p = TestPipelines.create();
    TestStream<KV<String, Double>> events =
        TestStream.create(INPUT)
            .addElements(event("s-1", 8.0, 24), event("s-1", 4.0, 14))
            .addElements(event("s-2", 0.5, 3))
            .addElements(event("s-1", 2.0, 5), event("s-1", 1.0, 0))
            .advanceWatermarkToInfinity();

    assertTheThreeSessions(p.apply(events).apply(SessionSummaries.withGap(GAP)));
    TestPipelines.run(p);
  }

  @Test
  void aLateEventBridgingTwoSessionsMergesThemAndReplacesBothSummaries() {
    Pipeline p = TestPipelines.create();
    TestStream<KV<String, Double>> events =
        TestStream.create(INPUT)
            .addElements(event("s-1", 1.0, 0), event("s-1", 2.0, 5))
            .addElements(event("s-1", 4.0, 20), event("s-1", 8.0, 25))
            .advanceWatermarkTo(minute(40)) // both sessions ([0, 15) and [20, 35)) are complete
            .addElements(event("s-1", 16.0, 12)) // late: [12, 22) overlaps both
            .advanceWatermarkToInfinity();

    PCollection<KV<String, SessionSummary>> summaries =
        p.apply(events)
            .apply(
                SessionSummaries.<String>withGap(GAP)
                    .withAllowedLateness(Duration.standardHours(1)));

    PAssert.that(summaries)
        .inOnTimePane(window(0, 15))
        .containsInAnyOrder(stats("s-1", 2, 3.0, 0, 5));
    PAssert.that(summaries)
        .inOnTimePane(window(20, 35))
        .containsInAnyOrder(stats("s-1", 2, 12.0, 20, 25));
    PAssert.that(summaries)
        .inLatePane(window(0, 35))
        .containsInAnyOrder(stats("s-1", 5, 31.0, 0, 25));
    PAssert.that(summaries)
        .containsInAnyOrder(
            stats("s-1", 2, 3.0, 0, 5),
            stats("s-1", 2, 12.0, 20, 25),
            stats("s-1", 5, 31.0, 0, 25));
    TestPipelines.run(p);
  }

  @Test
  void dropsEventsLaterThanTheAllowedLateness() {
    Pipeline p = TestPipelines.create();
    TestStream<KV<String, Double>> events =
        TestStream.create(INPUT)
            .addElements(event("s-1", 1.0, 0), event("s-1", 2.0, 5))
            .advanceWatermarkTo(minute(40))
            .addElements(event("s-1", 4.0, 12)) // its window [12, 22) expired at 27
            .advanceWatermarkToInfinity();

    PCollection<KV<String, SessionSummary>> summaries =
        p.apply(events)
            .apply(
                SessionSummaries.<String>withGap(GAP)
                    .withAllowedLateness(Duration.standardMinutes(5)));

    PAssert.that(summaries).containsInAnyOrder(stats("s-1", 2, 3.0, 0, 5));
    TestPipelines.run(p);
  }

  @Test
  void rejectsANonPositiveGap() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> SessionSummaries.withGap(Duration.ZERO));
    assertThat(e.getMessage(), containsString("gap must be positive"));
  }

  @Test
  void rejectsANegativeAllowedLateness() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SessionSummaries.withGap(GAP).withAllowedLateness(Duration.millis(-1)));
    assertThat(e.getMessage(), containsString("must not be negative"));
  }
}
