package dev.windowpane.transforms.state;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class SessionStatsTest {
  private static final Instant T0 = Instant.parse("2025-11-25T10:00:00Z");

  @Test
  void averagesTheTotalOverTheEvents() {
    SessionStats stats = SessionStats.ofEvent(10.0, T0).plus(27.5, T0.plus(60_000)).plus(0.0, T0);

    assertThat(stats, equalTo(SessionStats.of(3, 37.5, T0, T0.plus(60_000))));
    assertThat(stats.average(), equalTo(12.5));
  }

  @Test
  void mergingKeepsTheEarliestFirstAndTheLatestLast() {
    SessionStats early = SessionStats.of(2, 3.0, T0, T0.plus(5_000));
    SessionStats late = SessionStats.of(1, 4.0, T0.plus(2_000), T0.plus(9_000));

    assertThat(early.merge(late), equalTo(SessionStats.of(3, 7.0, T0, T0.plus(9_000))));
    assertThat(late.merge(early), equalTo(SessionStats.of(3, 7.0, T0, T0.plus(9_000))));
  }

  @Test
  void roundTripsThroughItsCoder() throws Exception {
    SessionStats stats = SessionStats.of(3, 37.5, new Instant(-5), T0);
    Coder<SessionStats> coder = SessionStats.coder();

    SessionStats decoded =
        CoderUtils.decodeFromByteArray(coder, CoderUtils.encodeToByteArray(coder, stats));

    assertThat(decoded, equalTo(stats));
  }

  @Test
  void itsCoderIsTheDefaultForTheType() throws Exception {
    assertThat(
        CoderRegistry.createDefault().getCoder(SessionStats.class),
        sameInstance(SessionStats.coder()));
  }

  @Test
  void rejectsASessionWithoutEvents() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SessionStats.of(0, 0.0, T0, T0));
    assertThat(e.getMessage(), containsString("at least one event"));
  }

  @Test
  void theCombineFnGivesTheSameStatsWhateverTheMergeOrder() throws Exception {
    SessionStatsFn fn = new SessionStatsFn();
    SessionStatsFn.Accumulator a = fn.createAccumulator();
    fn.addInput(a, TimestampedValue.of(1.0, T0.plus(4_000)));
    fn.addInput(a, TimestampedValue.of(2.0, T0));
    SessionStatsFn.Accumulator b = fn.createAccumulator();
    fn.addInput(b, TimestampedValue.of(4.0, T0.plus(9_000)));
    SessionStatsFn.Accumulator empty = fn.createAccumulator();
    Coder<SessionStatsFn.Accumulator> coder =
        fn.getAccumulatorCoder(CoderRegistry.createDefault(), null);
    SessionStatsFn.Accumulator bAfterShuffle =
        CoderUtils.decodeFromByteArray(coder, CoderUtils.encodeToByteArray(coder, b));

    SessionStats expected = SessionStats.of(3, 7.0, T0, T0.plus(9_000));
    assertThat(
        fn.extractOutput(fn.mergeAccumulators(List.of(a, empty, bAfterShuffle))),
        equalTo(expected));
    assertThat(
        fn.extractOutput(fn.mergeAccumulators(List.of(bAfterShuffle, empty, a))),
        equalTo(expected));
  }
}
