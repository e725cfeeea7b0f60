package dev.windowpane.transforms.sessions;

import static dev.windowpane.transforms.sessions.SessionSummariesTest.GAP;
import static dev.windowpane.transforms.sessions.SessionSummariesTest.INPUT;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;

import dev.windowpane.transforms.testing.TestPipelines;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SessionSummaries} against {@link SessionReference}, on seeded random events arriving
 * shuffled. The watermark only ever advances to the earliest event still to arrive, so nothing is
 * late and each session has exactly one (on-time) summary. Event times are whole minutes with a
 * 10-minute gap, so neighbours exactly one gap apart are common.
 */
class SessionSummariesRandomizedTest {
  private static final int KEYS = 4;
  private static final int EVENTS = 240;
  private static final int MINUTES = 600;

  @ParameterizedTest
  @ValueSource(longs = {20251125L, 7L, 424242L})
  void matchesTheReferenceSessions(long seed) {
    Random random = new Random(seed);
    List<TimestampedValue<KV<String, Double>>> events =
        SessionReference.randomEvents(random, KEYS, EVENTS, MINUTES);
    List<KV<String, SessionSummary>> expected = SessionReference.sessions(events, GAP);
    assertThat(expected.size(), greaterThan(KEYS));

    Pipeline p = TestPipelines.create();
    PCollection<KV<String, SessionSummary>> summaries =
        p.apply(shuffledArrival(events, random)).apply(SessionSummaries.withGap(GAP));

    PAssert.that(summaries).containsInAnyOrder(expected);
    TestPipelines.run(p);
  }

  /**
   * The events in random order, in batches of one to five, the watermark advancing before each
   * batch to the earliest event time still to arrive.
   */
  private static TestStream<KV<String, Double>> shuffledArrival(
      List<TimestampedValue<KV<String, Double>>> events, Random random) {
    List<TimestampedValue<KV<String, Double>>> pending = new ArrayList<>(events);
    Collections.shuffle(pending, random);
    TestStream.Builder<KV<String, Double>> stream = TestStream.create(INPUT);
    Instant watermark = new Instant(Long.MIN_VALUE);
    int next = 0;
    while (next < pending.size()) {
      Instant earliestPending =
          Collections.min(
                  pending.subList(next, pending.size()),
                  Comparator.comparing(TimestampedValue::getTimestamp))
              .getTimestamp();
      if (earliestPending.isAfter(watermark)) {
        watermark = earliestPending;
        stream = stream.advanceWatermarkTo(watermark);
      }
      int batch = Math.min(1 + random.nextInt(5), pending.size() - next);
      List<TimestampedValue<KV<String, Double>>> elements = pending.subList(next, next + batch);
      stream =
          stream.addElements(
              elements.get(0), elements.subList(1, batch).toArray(new TimestampedValue[0]));
      next += batch;
    }
    return stream.advanceWatermarkToInfinity();
  }
}
