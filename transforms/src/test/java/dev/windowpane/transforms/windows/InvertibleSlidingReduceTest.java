package dev.windowpane.transforms.windows;

import static dev.windowpane.transforms.windows.SlidingCombineTest.at;
import static dev.windowpane.transforms.windows.SlidingCombineTest.window;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.windowpane.transforms.testing.TestPipelines;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class InvertibleSlidingReduceTest {
  private static final Duration TEN_S = Duration.standardSeconds(10);
  private static final Duration FIVE_S = Duration.standardSeconds(5);
  private static final KvCoder<String, Long> CODER =
      KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of());

  @Test
  void sameResultsAsSlidingCombineSumLeavingOutWindowsThatSumToZero() {
    Pipeline p = TestPipelines.create();
    List<PCollection<String>> reports = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    long[][] geometries = {{10, 10}, {30, 10}, {70, 10}, {10, 4}};
    long seed = 100;
    for (long[] geometry : geometries) {
      compare(p, "Positive" + seed, ++seed, geometry, 1, 100, Duration.ZERO, reports, expected);
    }
    compare(p, "Late", ++seed, new long[] {30, 10}, 1, 100, Duration.standardMinutes(1), reports,
        expected);
    compare(p, "Signed", ++seed, new long[] {10, 5}, -2, 2, Duration.ZERO, reports, expected);
    PAssert.that(PCollectionList.of(reports).apply(Flatten.pCollections()))
        .containsInAnyOrder(expected);
    TestPipelines.run(p);
  }

  private static void compare(
      Pipeline p, String name, long seed, long[] geometry, long min, long max, Duration lateness,
      List<PCollection<String>> reports, List<String> expected) {
    Duration size = Duration.standardSeconds(geometry[0]);
    Duration period = Duration.standardSeconds(geometry[1]);
    List<TimestampedValue<KV<String, Long>>> events =
        SameResults.randomEvents(seed, 300, 5, Duration.standardMinutes(2), min, max);
    PCollection<KV<String, Long>> input =
        p.apply(name + "Events", Create.timestamped(events)).setCoder(CODER);
    PCollection<KV<String, Long>> reduced =
        input.apply(
            name + "Invertible",
            InvertibleSlidingReduce.sumLongs(size, period).withAllowedLateness(lateness));
    PCollection<KV<String, Long>> combined =
        input
            .apply(name + "SlidingCombine", SlidingCombine.perKey(Sum.ofLongs(), size, period))
            .apply(name + "NotZero", Filter.by(kv -> kv.getValue() != 0L));
    reports.add(SameResults.compare(name, reduced, combined));
    expected.add(SameResults.pairsLine(name, nonZeroPairs(events, SlidingSpec.of(size, period))));
  }

  /** How many (window, key) pairs have a sum other than 0. */
  private static long nonZeroPairs(List<TimestampedValue<KV<String, Long>>> events, SlidingSpec spec) {
    Map<String, Long> sums = new HashMap<>();
    for (TimestampedValue<KV<String, Long>> e : events) {
      long t = e.getTimestamp().getMillis();
      for (long end = spec.firstWindowEnd(t); end <= spec.lastWindowEnd(t); end += spec.periodMillis()) {
        sums.merge(end + " " + e.getValue().getKey(), e.getValue().getValue(), Long::sum);
      }
    }
    return sums.values().stream().filter(sum -> sum != 0L).count();
  }

  @Test
  void theDefaultFilterLeavesOutAKeyWhoseWindowReturnsToZeroAndACustomFilterKeepsIt() {
    Pipeline p = TestPipelines.create();
    PCollection<KV<String, Long>> input =
        p.apply(Create.timestamped(at(1, "a", 5), at(6, "a", -5), at(7, "b", 2)).withCoder(CODER));

    PCollection<KV<String, Long>> byDefault =
        input.apply("Default", InvertibleSlidingReduce.sumLongs(TEN_S, FIVE_S));
    PCollection<KV<String, Long>> keepAll =
        input.apply(
            "KeepAll",
            InvertibleSlidingReduce.<String>sumLongs(TEN_S, FIVE_S).withFilter(kv -> true));

    PAssert.that(byDefault).inWindow(window(-5, 5)).containsInAnyOrder(KV.of("a", 5L));
    PAssert.that(byDefault).inWindow(window(0, 10)).containsInAnyOrder(KV.of("b", 2L));
    PAssert.that(byDefault)
        .inWindow(window(5, 15))
        .containsInAnyOrder(KV.of("a", -5L), KV.of("b", 2L));
    PAssert.that(keepAll)
        .inWindow(window(0, 10))
        .containsInAnyOrder(KV.of("a", 0L), KV.of("b", 2L));
    TestPipelines.run(p);
  }

  @Test
  void outOfOrderEventsGiveOneResultPerWindowOnTime() {
    Pipeline p = TestPipelines.create();
    TestStream<KV<String, Long>> events =
        TestStream.create(CODER)
            .addElements(at(7, "a", 1), at(2, "a", 2), at(6, "b", 5), at(12, "a", 4), at(9, "b", 1))
            .advanceWatermarkTo(new Instant(9_000))
            .addElements(at(9, "a", 10))
            .advanceWatermarkToInfinity();
    PCollection<KV<String, Long>> sums =
        p.apply(events).apply(InvertibleSlidingReduce.sumLongs(TEN_S, FIVE_S));

    PAssert.that(sums).inWindow(window(-5, 5)).containsInAnyOrder(KV.of("a", 2L));
    PAssert.that(sums)
        .inWindow(window(0, 10))
        .containsInAnyOrder(KV.of("a", 13L), KV.of("b", 6L));
    PAssert.that(sums)
        .inWindow(window(5, 15))
        .containsInAnyOrder(KV.of("a", 15L), KV.of("b", 6L));
    PAssert.that(sums).inWindow(window(10, 20)).containsInAnyOrder(KV.of("a", 4L));
    PAssert.that(sums).inWindow(window(15, 25)).empty();
    TestPipelines.run(p);
  }

  @Test
  void lateEventWithinLatenessIsInTheOnlyResultOfEachOfItsWindowsAndResultsAreOnTime() {
    Pipeline p = TestPipelines.create();
    TestStream<KV<String, Long>> events =
        TestStream.create(CODER)
            .addElements(at(1, "a", 1), at(3, "b", 5), at(7, "a", 2))
            .advanceWatermarkTo(new Instant(20_000))
            .addElements(at(3, "a", 10))
            .advanceWatermarkToInfinity();
    PCollection<KV<String, Long>> sums =
        p.apply(events)
            .apply(
                InvertibleSlidingReduce.sumLongs(TEN_S, FIVE_S)
                    .withAllowedLateness(Duration.standardMinutes(1)));

    PAssert.that(sums)
        .inWindow(window(-5, 5))
        .containsInAnyOrder(KV.of("a", 11L), KV.of("b", 5L));
    PAssert.that(sums)
        .inWindow(window(0, 10))
        .containsInAnyOrder(KV.of("a", 13L), KV.of("b", 5L));
    PAssert.that(sums).inWindow(window(5, 15)).containsInAnyOrder(KV.of("a", 2L));
    // A downstream aggregation with no allowed lateness sees every result in its on-time pane.
    PCollection<KV<String, Long>> resultsPerKey = sums.apply(Count.perKey());
    PAssert.that(resultsPerKey)
        .inOnTimePane(window(0, 10))
        .containsInAnyOrder(KV.of("a", 1L), KV.of("b", 1L));
    PAssert.that(resultsPerKey).inOnTimePane(window(5, 15)).containsInAnyOrder(KV.of("a", 1L));
    TestPipelines.run(p);
  }

  @Test
  void eventsTooLateForAllTheirWindowsAreDroppedAndCounted() {
    // Lateness 2s, watermark 13s: [0,10) has been emitted (at 9.999s + 2s), [5,15) not yet.
    Pipeline p = TestPipelines.create();
    TestStream<KV<String, Long>> events =
        TestStream.create(CODER)
            .addElements(at(6, "a", 1))
            .advanceWatermarkTo(new Instant(13_000))
            .addElements(at(7, "a", 100), at(1, "a", 1000), at(2, "a", 1000))
            .advanceWatermarkToInfinity();
    PCollection<KV<String, Long>> sums =
        p.apply(events)
            .apply(
                InvertibleSlidingReduce.sumLongs(TEN_S, FIVE_S)
                    .withAllowedLateness(Duration.standardSeconds(2)));

    PAssert.that(sums).inWindow(window(-5, 5)).empty();
    PAssert.that(sums).inWindow(window(0, 10)).containsInAnyOrder(KV.of("a", 1L));
    PAssert.that(sums).inWindow(window(5, 15)).containsInAnyOrder(KV.of("a", 101L));
    PipelineResult result = TestPipelines.run(p);
    assertThat(lateEventsDropped(result), equalTo(2L));
  }

  @Test
  void aKeyThatWentQuietEmitsNothingUntilItsNextDataAndThenStartsAfresh() {
    Pipeline p = TestPipelines.create();
    TestStream<KV<String, Long>> events =
        TestStream.create(CODER)
            .addElements(at(1, "a", 1))
            .advanceWatermarkTo(new Instant(100_000))
            .addElements(at(201, "a", 5))
            .advanceWatermarkToInfinity();
    PCollection<KV<String, Long>> sums =
        p.apply(events).apply(InvertibleSlidingReduce.sumLongs(TEN_S, FIVE_S));

    PAssert.that(SameResults.byWindowAndKey("All", sums))
        .containsInAnyOrder(
            KV.of(window(-5, 5) + " a", 1L),
            KV.of(window(0, 10) + " a", 1L),
            KV.of(window(195, 205) + " a", 5L),
            KV.of(window(200, 210) + " a", 5L));
    TestPipelines.run(p);
  }

  private static long lateEventsDropped(PipelineResult result) {
    long total = 0;
    for (MetricResult<Long> counter :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named("windowpane", "lateEventsDropped"))
                    .build())
            .getCounters()) {
      total += counter.getAttempted();
    }
    return total;
  }
}
