package dev.windowpane.transforms.sessions;

import static dev.windowpane.transforms.sessions.SessionSummariesTest.GAP;
import static dev.windowpane.transforms.sessions.SessionSummariesTest.INPUT;
import static dev.windowpane.transforms.sessions.SessionSummariesTest.event;
import static dev.windowpane.transforms.sessions.SessionSummariesTest.minute;
import static dev.windowpane.transforms.sessions.SessionSummariesTest.stats;

import dev.windowpane.transforms.testing.TestPipelines;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Reify;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.junit.jupiter.api.Test;

class RunningSessionSummariesTest {

  private static TimestampedValue<KV<String, SessionSummary>> update(
      String session, long events, double total, int first, int last, int at) {
    return TimestampedValue.of(stats(session, events, total, first, last), minute(at));
  }

  @Test
  void emitsTheRunningSessionOfEveryEventInArrivalOrder() {
    Pipeline p = TestPipelines.create();
    TestStream<KV<String, Double>> events =
        TestStream.create(INPUT)
            .addElements(event("s-1", 1.0, 0), event("s-2", 0.5, 3))
            .addElements(event("s-1", 2.0, 5))
            .addElements(event("s-1", 4.0, 14)) // 9 min after 5: same session
            .addElements(event("s-1", 8.0, 24)) // 10 min after 14: a new session
            .addElements(event("s-1", 16.0, 15)) // within the gap of 24: joins it
            .advanceWatermarkToInfinity();

    PCollection<TimestampedValue<KV<String, SessionSummary>>> updates =
        p.apply(events).apply(RunningSessionSummaries.withGap(GAP)).apply(Reify.timestamps());

    PAssert.that(updates)
        .containsInAnyOrder(
            update("s-1", 1, 1.0, 0, 0, 0),
            update("s-2", 1, 0.5, 3, 3, 3),
            update("s-1", 2, 3.0, 0, 5, 5),
            update("s-1", 3, 7.0, 0, 14, 14),
            update("s-1", 1, 8.0, 24, 24, 24),
            update("s-1", 2, 24.0, 15, 24, 15));
    TestPipelines.run(p);
  }

  @Test
  void aSessionSeenAgainAfterItTimedOutStartsFromZero() {
    Pipeline p = TestPipelines.create();
    TestStream<KV<String, Double>> events =
        TestStream.create(INPUT)
            .addElements(event("s-1", 1.0, 0))
            .addElements(event("s-1", 2.0, 5))
            .advanceWatermarkTo(minute(16)) // idle since 5 + 10 min: the session is dropped
            .addElements(event("s-1", 4.0, 8)) // would have joined it; starts a new one
            .advanceWatermarkToInfinity();

    PCollection<KV<String, SessionSummary>> updates =
        p.apply(events).apply(RunningSessionSummaries.withGap(GAP));

    PAssert.that(updates)
        .containsInAnyOrder(
            stats("s-1", 1, 1.0, 0, 0), stats("s-1", 2, 3.0, 0, 5), stats("s-1", 1, 4.0, 8, 8));
    TestPipelines.run(p);
  }
}
