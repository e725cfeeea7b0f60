package dev.windowpane.transforms.state;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.windowpane.transforms.testing.TestPipelines;
import java.util.Optional;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Reify;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class MapWithStateTest {
  private static final KvCoder<String, Integer> INPUT =
      KvCoder.of(StringUtf8Coder.of(), VarIntCoder.of());
  private static final Duration TIMEOUT = Duration.standardMinutes(1);

  /**
   * A running sum per key: reports "key=sum" per element, "key removed" for a value of 0 (which
   * removes the state), "key timed out at sum" on timeout. A sum reported as "key=value" for a key
   * seen before shows the key started from no state.
   */
  static Optional<String> runningSum(
      String key, Optional<Integer> value, StateHandle<Integer> state) {
    if (state.isTimingOut()) {
      return Optional.of(key + " timed out at " + state.get());
    }
    if (value.get() == 0) {
      state.remove();
      return Optional.of(key + " removed");
    }
    int sum = (state.exists() ? state.get() : 0) + value.get();
    state.update(sum);
    return Optional.of(key + "=" + sum);
  }

  private static MapWithState<String, Integer, Integer, String> sums() {
    return MapWithState.of(MapWithStateTest::runningSum)
        .withStateCoder(VarIntCoder.of())
        .withOutputCoder(StringUtf8Coder.of());
  }

  private static Instant at(int seconds) {
    return new Instant(0).plus(Duration.standardSeconds(seconds));
  }

  private static TimestampedValue<KV<String, Integer>> event(String key, int value, int seconds) {
    return TimestampedValue.of(KV.of(key, value), at(seconds));
  }

  @Test
  void runsTheFunctionPerElementWithPerKeyState() {
    Pipeline p = TestPipelines.create();
    TestStream<KV<String, Integer>> events =
        TestStream.create(INPUT)
            .addElements(event("a", 1, 0), event("b", 10, 1))
            .addElements(event("a", 2, 2))
            .addElements(event("b", 20, 3), event("a", 3, 4))
            .advanceWatermarkToInfinity();

    PCollection<String> sums = p.apply(events).apply(sums()).outputs();

    PAssert.that(sums).containsInAnyOrder("a=1", "a=3", "a=6", "b=10", "b=30");
    TestPipelines.run(p);
  }

  @Test
  void timesOutAnIdleKeyWhenTheWatermarkPassesItsLatestEventPlusTheTimeout() {
    Pipeline p = TestPipelines.create();
    TestStream<KV<String, Integer>> events =
        TestStream.create(INPUT)
            .addElements(event("a", 1, 0), event("b", 5, 5))
            .addElements(event("a", 2, 10))
            .advanceWatermarkTo(at(64)) // b's deadline 65 s not yet passed
            .addElements(event("a", 4, 30))
            .advanceWatermarkTo(at(66)) // b idle since 5 s: times out at 65 s
            .advanceWatermarkTo(at(100)) // a idle since 30 s: times out at 90 s
            .advanceWatermarkToInfinity();

    PCollection<TimestampedValue<String>> outputs =
        p.apply(events).apply(sums().withTimeout(TIMEOUT)).outputs().apply(Reify.timestamps());

    PAssert.that(outputs)
        .containsInAnyOrder(
            TimestampedValue.of("a=1", at(0)),
            TimestampedValue.of("b=5", at(5)),
            TimestampedValue.of("a=3", at(10)),
            TimestampedValue.of("a=7", at(30)),
            TimestampedValue.of("b timed out at 5", at(65)),
            TimestampedValue.of("a timed out at 7", at(90)));
    TestPipelines.run(p);
  }

  @Test
  void measuresIdlenessFromTheLatestEventTimeWhenEventsArriveOutOfOrder() {
    Pipeline p = TestPipelines.create();
    TestStream<KV<String, Integer>> events =
        TestStream.create(INPUT)
            .addElements(event("a", 1, 40))
            .addElements(event("a", 2, 10)) // older event: the deadline stays 40 s + 1 min
            .advanceWatermarkTo(at(99))
            .addElements(event("a", 4, 20))
            .advanceWatermarkToInfinity();

    PCollection<TimestampedValue<String>> outputs =
        p.apply(events).apply(sums().withTimeout(TIMEOUT)).outputs().apply(Reify.timestamps());

    PAssert.that(outputs)
        .containsInAnyOrder(
            TimestampedValue.of("a=1", at(40)),
            TimestampedValue.of("a=3", at(10)),
            TimestampedValue.of("a=7", at(20)),
            TimestampedValue.of("a timed out at 7", at(100)));
    TestPipelines.run(p);
  }

  @Test
  void aKeySeenAgainAfterItsTimeoutStartsFromNoState() {
    Pipeline p = TestPipelines.create();
    TestStream<KV<String, Integer>> events =
        TestStream.create(INPUT)
            .addElements(event("a", 1, 0))
            .addElements(event("a", 2, 1))
            .advanceWatermarkTo(at(120))
            .addElements(event("a", 5, 130))
            .advanceWatermarkToInfinity();

    PCollection<String> outputs = p.apply(events).apply(sums().withTimeout(TIMEOUT)).outputs();

    // After the first timeout nothing of a's state or timer is left: it starts again at 5, and its
    // only other timeout is the one of its second run when the input ends.
    PAssert.that(outputs)
        .containsInAnyOrder("a=1", "a=3", "a timed out at 3", "a=5", "a timed out at 5");
    TestPipelines.run(p);
  }

  @Test
  void timesOutInProcessingTimeWhenAsked() {
    Pipeline p = TestPipelines.create();
    TestStream<KV<String, Integer>> events =
        TestStream.create(INPUT)
            .addElements(event("a", 1, 0), event("b", 2, 0))
            .advanceProcessingTime(Duration.standardSeconds(30))
            .addElements(event("a", 3, 1))
            .advanceProcessingTime(Duration.standardSeconds(40)) // b idle 70 s, a 40 s
            .addElements(event("b", 4, 2))
            .advanceProcessingTime(Duration.standardSeconds(61)) // both idle over a minute
            .addElements(event("a", 5, 3))
            .advanceWatermarkToInfinity();

    PCollection<TimestampedValue<String>> outputs =
        p.apply(events)
            .apply(sums().withTimeout(TIMEOUT).inProcessingTime())
            .outputs()
            .apply(Reify.timestamps());

    PAssert.that(outputs)
        .containsInAnyOrder(
            TimestampedValue.of("a=1", at(0)),
            TimestampedValue.of("b=2", at(0)),
            TimestampedValue.of("a=4", at(1)),
            TimestampedValue.of("b timed out at 2", at(0)),
            TimestampedValue.of("b=4", at(2)),
            TimestampedValue.of("a timed out at 4", at(1)),
            TimestampedValue.of("b timed out at 4", at(2)),
            TimestampedValue.of("a=5", at(3)));
    TestPipelines.run(p);
  }

  @Test
  void aRemovedKeyStartsFreshAndNeverTimesOut() {
    Pipeline p = TestPipelines.create();
    TestStream<KV<String, Integer>> events =
        TestStream.create(INPUT)
            .addElements(event("a", 1, 0), event("b", 7, 0))
            .addElements(event("a", 0, 1), event("b", 0, 1))
            .addElements(event("a", 2, 2))
            .advanceWatermarkToInfinity();

    PCollection<String> outputs = p.apply(events).apply(sums().withTimeout(TIMEOUT)).outputs();

    // b's removal also cleared its timer: b has no timeout call at the end of the input.
    PAssert.that(outputs)
        .containsInAnyOrder("a=1", "b=7", "a removed", "b removed", "a=2", "a timed out at 2");
    TestPipelines.run(p);
  }

  @Test
  void snapshotsEveryUpdate() {
    Pipeline p = TestPipelines.create();
    TestStream<KV<String, Integer>> events =
        TestStream.create(INPUT)
            .addElements(event("a", 1, 0), event("b", 10, 1))
            .addElements(event("a", 0, 2))
            .addElements(event("a", 4, 3))
            .advanceWatermarkToInfinity();

    MapWithState.Result<String, Integer, String> result =
        p.apply(events).apply(sums().withStateSnapshots());

    PAssert.that(result.snapshots().apply(Reify.timestamps()))
        .containsInAnyOrder(
            TimestampedValue.of(KV.of("a", 1), at(0)),
            TimestampedValue.of(KV.of("b", 10), at(1)),
            TimestampedValue.of(KV.of("a", 4), at(3)));
    TestPipelines.run(p);
  }

  @Test
  void snapshotsMustBeRequested() {
    Pipeline p = TestPipelines.create();
    MapWithState.Result<String, Integer, String> result =
        p.apply(Create.of(KV.of("a", 1)).withCoder(INPUT)).apply(sums());

    IllegalStateException e = assertThrows(IllegalStateException.class, result::snapshots);
    assertThat(e.getMessage(), containsString("withStateSnapshots()"));
  }

  @Test
  void keepsStatePerKeyAndWindow() {
    Pipeline p = TestPipelines.create();
    PCollection<String> outputs =
        p.apply(
                TestStream.create(INPUT)
                    .addElements(event("a", 1, 0))
                    .addElements(event("a", 2, 30))
                    .addElements(event("a", 4, 70))
                    .advanceWatermarkToInfinity())
            .apply(Window.into(FixedWindows.of(TIMEOUT)))
            .apply(sums())
            .outputs();

    PAssert.that(outputs)
        .inWindow(new IntervalWindow(at(0), at(60)))
        .containsInAnyOrder("a=1", "a=3");
    PAssert.that(outputs).inWindow(new IntervalWindow(at(60), at(120))).containsInAnyOrder("a=4");
    TestPipelines.run(p);
  }

  @Test
  void anEventTimeTimeoutAfterTheWindowEndFiresAtTheWindowEnd() {
    Pipeline p = TestPipelines.create();
    PCollection<TimestampedValue<String>> outputs =
        p.apply(
                TestStream.create(INPUT)
                    .addElements(event("a", 1, 0))
                    .addElements(event("a", 2, 30))
                    .advanceWatermarkToInfinity())
            .apply(Window.into(FixedWindows.of(TIMEOUT)))
            .apply(sums().withTimeout(TIMEOUT))
            .outputs()
            .apply(Reify.timestamps());

    PAssert.that(outputs)
        .containsInAnyOrder(
            TimestampedValue.of("a=1", at(0)),
            TimestampedValue.of("a=3", at(30)),
            TimestampedValue.of("a timed out at 3", at(60).minus(Duration.millis(1))));
    TestPipelines.run(p);
  }

  @Test
  void updatingAKeyThatIsTimingOutFailsWithAClearError() {
    Pipeline p = TestPipelines.create();
    MapWithState.MappingFunction<String, Integer, Integer, String> keepsUpdating =
        (key, value, state) -> {
          state.update(state.exists() ? state.get() + 1 : 1);
          return Optional.empty();
        };
    p.apply(Create.of(KV.of("a", 1)).withCoder(INPUT))
        .apply(
            MapWithState.of(keepsUpdating)
                .withStateCoder(VarIntCoder.of())
                .withOutputCoder(StringUtf8Coder.of())
                .withTimeout(TIMEOUT));

    Pipeline.PipelineExecutionException e =
        assertThrows(Pipeline.PipelineExecutionException.class, () -> TestPipelines.run(p));
    assertThat(e.getCause(), instanceOf(IllegalStateException.class));
    assertThat(e.getCause().getMessage(), containsString("timing out"));
  }

  @Test
  void infersCodersFromAFunctionClassThatNamesItsTypes() {
    Pipeline p = TestPipelines.create();
    PCollection<String> outputs =
        p.apply(Create.of(KV.of("a", 1), KV.of("a", 2)).withCoder(INPUT))
            .apply(MapWithState.of(new Counting()))
            .outputs();

    PAssert.that(outputs).containsInAnyOrder("a#1", "a#2");
    TestPipelines.run(p);
  }

  @Test
  void asksForTheCodersWhenTheFunctionDoesNotNameItsTypes() {
    Pipeline p = TestPipelines.create();
    PCollection<KV<String, Integer>> input = p.apply(Create.of(KV.of("a", 1)).withCoder(INPUT));
    MapWithState<String, Integer, Integer, String> untyped =
        MapWithState.of(MapWithStateTest::runningSum);

    IllegalStateException e = assertThrows(IllegalStateException.class, () -> input.apply(untyped));
    assertThat(e.getMessage(), containsString("withStateCoder"));
  }

  @Test
  void rejectsANonPositiveTimeout() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> sums().withTimeout(Duration.ZERO));
    assertThat(e.getMessage(), containsString("positive"));
  }

  @Test
  void theClassJavadocExampleReportsFinalCountsPerUser() {
    Pipeline p = TestPipelines.create();
    PCollection<KV<String, String>> clicks =
        p.apply(
            Create.timestamped(
                    TimestampedValue.of(KV.of("ann", "/home"), at(0)),
                    TimestampedValue.of(KV.of("bob", "/home"), at(10)),
                    TimestampedValue.of(KV.of("ann", "/cart"), at(20)))
                .withCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())));

    // The example of MapWithState's class Javadoc, verbatim.
    MapWithState.MappingFunction<String, String, Long, KV<String, Long>> count =
        (user, page, state) -> {
          if (state.isTimingOut()) {
            return Optional.of(KV.of(user, state.get())); // final count, then the state is dropped
          }
          long seen = state.exists() ? state.get() + 1 : 1;
          state.update(seen);
          return Optional.empty();
        };
    PCollection<KV<String, Long>> finalCounts =
        clicks
            .apply(
                MapWithState.of(count)
                    .withStateCoder(VarLongCoder.of())
                    .withOutputCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
                    .withTimeout(Duration.standardMinutes(30)))
            .outputs();

    PAssert.that(finalCounts).containsInAnyOrder(KV.of("ann", 2L), KV.of("bob", 1L));
    TestPipelines.run(p);
  }

  /** Counts elements per key; its class names every type, so the coders are inferred. */
  static final class Counting
      implements MapWithState.MappingFunction<String, Integer, Integer, String> {
    @Override
    public Optional<String> apply(String key, Optional<Integer> value, StateHandle<Integer> state) {
      int seen = state.exists() ? state.get() + 1 : 1;
      state.update(seen);
      return Optional.of(key + "#" + seen);
    }
  }
}
