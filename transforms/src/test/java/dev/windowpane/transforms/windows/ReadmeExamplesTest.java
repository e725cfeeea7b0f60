package dev.windowpane.transforms.windows;

import dev.windowpane.transforms.testing.TestPipelines;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Mean;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** The README's examples of SlidingCombine and InvertibleSlidingReduce, with their results. */
class ReadmeExamplesTest {
  private static final Instant T0 = Instant.parse("2025-11-25T10:00:00Z");

  private static PCollection<KV<String, Long>> readings(Pipeline p) {
    return p.apply(
        Create.timestamped(
                TimestampedValue.of(KV.of("sensor-1", 10L), T0.plus(Duration.standardSeconds(10))),
                TimestampedValue.of(KV.of("sensor-1", 20L), T0.plus(Duration.standardSeconds(70))),
                TimestampedValue.of(KV.of("sensor-2", 5L), T0.plus(Duration.standardSeconds(80))))
            .withCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())));
  }

  private static IntervalWindow window(int startMinute) {
    Instant start = T0.plus(Duration.standardMinutes(startMinute));
    return new IntervalWindow(start, start.plus(Duration.standardMinutes(2)));
  }

  @Test
  void slidingCombineMeanPerKey() {
    Pipeline p = TestPipelines.create();
    // The average reading per sensor over the last 2 minutes, every minute.
    PCollection<KV<String, Double>> averages =
        readings(p)
            .apply(
                SlidingCombine.perKey(Mean.<Long>of(), Duration.standardMinutes(2), Duration.standardMinutes(1)));
    PAssert.that(averages).inWindow(window(-1)).containsInAnyOrder(KV.of("sensor-1", 10.0));
    PAssert.that(averages).inWindow(window(0))
        .containsInAnyOrder(KV.of("sensor-1", 15.0), KV.of("sensor-2", 5.0));
    PAssert.that(averages).inWindow(window(1))
        .containsInAnyOrder(KV.of("sensor-1", 20.0), KV.of("sensor-2", 5.0));
    TestPipelines.run(p);
  }

  @Test
  void invertibleSlidingReduceIsReduceByKeyAndWindowWithAnInverse() {
    Pipeline p = TestPipelines.create();
    // Spark: readings.reduceByKeyAndWindow(_ + _, _ - _, Minutes(2), Minutes(1), filterFunc = _._2 > 5)
    PCollection<KV<String, Long>> sums =
        readings(p)
            .apply(
                InvertibleSlidingReduce.<String, Long>of(
                        (a, b) -> a + b, (a, b) -> a - b, 0L, Duration.standardMinutes(2), Duration.standardMinutes(1))
                    .withFilter(kv -> kv.getValue() > 5));
    PAssert.that(sums).inWindow(window(-1)).containsInAnyOrder(KV.of("sensor-1", 10L));
    PAssert.that(sums).inWindow(window(0)).containsInAnyOrder(KV.of("sensor-1", 30L));
    PAssert.that(sums).inWindow(window(1)).containsInAnyOrder(KV.of("sensor-1", 20L));
    TestPipelines.run(p);
  }
}
