package dev.windowpane.transforms.windows;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.windowpane.transforms.testing.TestPipelines;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.Mean;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class SlidingCombineTest {
  private static final Duration TEN_S = Duration.standardSeconds(10);
  private static final Duration FIVE_S = Duration.standardSeconds(5);

  /** Window geometries: W/P = 1, 3, 7, and W not a multiple of P (10s every 4s: 2s panes). */
  private static final long[][] GEOMETRIES = {{10, 10}, {30, 10}, {70, 10}, {10, 4}};

  @Test
  void sameWindowsAndValuesAsBeamSlidingWindowsForSumCountAndMean() {
    Pipeline p = TestPipelines.create();
    List<PCollection<String>> reports = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    long seed = 0;
    for (long[] geometry : GEOMETRIES) {
      Duration size = Duration.standardSeconds(geometry[0]);
      Duration period = Duration.standardSeconds(geometry[1]);
      compare(p, "Sum" + seed, ++seed, size, period, Sum.ofLongs(), reports, expected);
    }
    compare(p, "Count", ++seed, TEN_S, Duration.standardSeconds(4), Count.<Long>combineFn(),
        reports, expected);
    compare(p, "Mean", ++seed, Duration.standardSeconds(30), TEN_S, Mean.<Long>of(),
        reports, expected);
    PAssert.that(PCollectionList.of(reports).apply(Flatten.pCollections()))
        .containsInAnyOrder(expected);
    TestPipelines.run(p);
  }

  private static <AccumT, OutputT> void compare(
      Pipeline p, String name, long seed, Duration size, Duration period,
      CombineFn<Long, AccumT, OutputT> fn, List<PCollection<String>> reports,
      List<String> expected) {
    List<TimestampedValue<KV<String, Long>>> events =
        SameResults.randomEvents(seed, 300, 5, Duration.standardMinutes(2), 1, 100);
    PCollection<KV<String, Long>> input =
        p.apply(name + "Events", Create.timestamped(events))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
    PCollection<KV<String, OutputT>> actual =
        input.apply(name + "SlidingCombine", SlidingCombine.perKey(fn, size, period));
    PCollection<KV<String, OutputT>> beam =
        input
            .apply(name + "BeamSliding", Window.into(SlidingWindows.of(size).every(period)))
            .apply(name + "BeamCombine", Combine.perKey(fn));
    reports.add(SameResults.compare(name, actual, beam));
    expected.add(
        SameResults.pairsLine(
            name, SameResults.windowKeyPairs(events, SlidingSpec.of(size, period))));
  }

  @Test
  void outOfOrderEventsFireEverySlideOnTime() {
    Pipeline p = TestPipelines.create();
    TestStream<KV<String, Long>> events =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
            .addElements(
                at(7, "a", 1), at(2, "a", 2), at(6, "b", 5), at(12, "a", 4), at(9, "b", 1))
            .advanceWatermarkTo(new Instant(9_000))
            .addElements(at(9, "a", 10))
            .advanceWatermarkToInfinity();
    PCollection<KV<String, Long>> sums =
        p.apply(events).apply(SlidingCombine.perKey(Sum.ofLongs(), TEN_S, FIVE_S));

    PAssert.that(sums).inOnTimePane(window(-5, 5)).containsInAnyOrder(KV.of("a", 2L));
    PAssert.that(sums)
        .inOnTimePane(window(0, 10))
        .containsInAnyOrder(KV.of("a", 13L), KV.of("b", 6L));
    PAssert.that(sums)
        .inOnTimePane(window(5, 15))
        .containsInAnyOrder(KV.of("a", 15L), KV.of("b", 6L));
    PAssert.that(sums).inOnTimePane(window(10, 20)).containsInAnyOrder(KV.of("a", 4L));
    PAssert.that(sums).inWindow(window(15, 25)).empty();
    TestPipelines.run(p);
  }

  @Test
  void lateEventWithinLatenessRefiresEveryWindowContainingItWithTheCompleteValue() {
    Pipeline p = TestPipelines.create();
    TestStream<KV<String, Long>> events =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
            .addElements(at(1, "a", 1), at(3, "b", 5), at(7, "a", 2))
            .advanceWatermarkTo(new Instant(20_000))
            .addElements(at(3, "a", 10))
            .advanceWatermarkToInfinity();
    PCollection<KV<String, Long>> sums =
        p.apply(events)
            .apply(
                SlidingCombine.perKey(Sum.ofLongs(), TEN_S, FIVE_S)
                    .withAllowedLateness(Duration.standardMinutes(1)));

    PAssert.that(sums)
        .inOnTimePane(window(-5, 5))
        .containsInAnyOrder(KV.of("a", 1L), KV.of("b", 5L));
    PAssert.that(sums).inLatePane(window(-5, 5)).containsInAnyOrder(KV.of("a", 11L));
    PAssert.that(sums)
        .inOnTimePane(window(0, 10))
        .containsInAnyOrder(KV.of("a", 3L), KV.of("b", 5L));
    PAssert.that(sums).inLatePane(window(0, 10)).containsInAnyOrder(KV.of("a", 13L));
    PAssert.that(sums).inOnTimePane(window(5, 15)).containsInAnyOrder(KV.of("a", 2L));
    PAssert.that(sums).inLatePane(window(5, 15)).empty();
    TestPipelines.run(p);
  }

  @Test
  void lateEventReachesTheWindowsStillWithinLatenessAndTooLateEventsNone() {
    // Lateness 2s, watermark 13s: [0,10) is past its lateness (9.999s + 2s < 13s) while [5,15)
    // is still open, so the event at 7s still counts in [5,15) (as with Beam's SlidingWindows).
    // The event at 1s is too late for both of its windows and is dropped.
    Pipeline p = TestPipelines.create();
    TestStream<KV<String, Long>> events =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
            .addElements(at(6, "a", 1))
            .advanceWatermarkTo(new Instant(13_000))
            .addElements(at(7, "a", 100), at(1, "a", 1000))
            .advanceWatermarkToInfinity();
    PCollection<KV<String, Long>> sums =
        p.apply(events)
            .apply(
                SlidingCombine.perKey(Sum.ofLongs(), TEN_S, FIVE_S)
                    .withAllowedLateness(Duration.standardSeconds(2)));

    PAssert.that(sums).inWindow(window(-5, 5)).empty();
    PAssert.that(sums).inOnTimePane(window(0, 10)).containsInAnyOrder(KV.of("a", 1L));
    PAssert.that(sums).inOnTimePane(window(5, 15)).containsInAnyOrder(KV.of("a", 101L));
    PAssert.that(sums).inLatePane(window(5, 15)).empty();
    TestPipelines.run(p);
  }

  @Test
  void rejectsNegativeLateness() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                SlidingCombine.perKey(Sum.ofLongs(), TEN_S, FIVE_S)
                    .withAllowedLateness(Duration.millis(-1)));
    assertThat(e.getMessage(), containsString("must not be negative"));
  }

  static TimestampedValue<KV<String, Long>> at(long seconds, String key, long value) {
    return TimestampedValue.of(KV.of(key, value), new Instant(seconds * 1000));
  }

  static IntervalWindow window(long startSeconds, long endSeconds) {
    return new IntervalWindow(new Instant(startSeconds * 1000), new Instant(endSeconds * 1000));
  }
}
