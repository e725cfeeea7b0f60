package dev.windowpane.transforms.sessions;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class SessionSummaryTest {
  private static final Instant T0 = Instant.parse("2025-11-25T10:00:00Z");

  @Test
  void averagesTheTotalOverTheEvents() {
    SessionSummary stats = SessionSummary.ofEvent(10.0, T0).plus(27.5, T0.plus(60_000)).plus(0.0, T0);

    assertThat(stats, equalTo(SessionSummary.of(3, 37.5, T0, T0.plus(60_000))));
    assertThat(stats.average(), equalTo(12.5));
  }

  @Test
  void mergingKeepsTheEarliestFirstAndTheLatestLast() {
    SessionSummary early = SessionSummary.of(2, 3.0, T0, T0.plus(5_000));
    SessionSummary late = SessionSummary.of(1, 4.0, T0.plus(2_000), T0.plus(9_000));

    assertThat(early.merge(late), equalTo(SessionSummary.of(3, 7.0, T0, T0.plus(9_000))));
    assertThat(late.merge(early), equalTo(SessionSummary.of(3, 7.0, T0, T0.plus(9_000))));
  }

  @Test
  void roundTripsThroughItsCoder() throws Exception {
    SessionSummary stats = SessionSummary.of(3, 37.5, new Instant(-5), T0);
    Coder<SessionSummary> coder = SessionSummary.coder();

    SessionSummary decoded =
        CoderUtils.decodeFromByteArray(coder, CoderUtils.encodeToByteArray(coder, stats));

    assertThat(decoded, equalTo(stats));
  }

  @Test
  void itsCoderIsTheDefaultForTheType() throws Exception {
    assertThat(
        CoderRegistry.createDefault().getCoder(SessionSummary.class),
        sameInstance(SessionSummary.coder()));
  }

  @Test
  void rejectsASessionWithoutEvents() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SessionSummary.of(0, 0.0, T0, T0));
    assertThat(e.getMessage(), containsString("at least one event"));
  }

  @Test
  void theCombineFnGivesTheSameStatsWhateverTheMergeOrder() throws Exception {
    SessionSummaryFn fn = new SessionSummaryFn();
    SessionSummaryFn.Accumulator a = fn.createAccumulator();
    fn.addInput(a, TimestampedValue.of(1.0, T0.plus(4_000)));
    fn.addInput(a, TimestampedValue.of(2.0, T0));
    SessionSummaryFn.Accumulator b = fn.createAccumulator();
    fn.addInput(b, TimestampedValue.of(4.0, T0.plus(9_000)));
    SessionSummaryFn.Accumulator empty = fn.createAccumulator();
    Coder<SessionSummaryFn.Accumulator> coder =
        fn.getAccumulatorCoder(CoderRegistry.createDefault(), null);
    SessionSummaryFn.Accumulator bAfterShuffle =
        CoderUtils.decodeFromByteArray(coder, CoderUtils.encodeToByteArray(coder, b));

    SessionSummary expected = SessionSummary.of(3, 7.0, T0, T0.plus(9_000));
    assertThat(
        fn.extractOutput(fn.mergeAccumulators(List.of(a, empty, bAfterShuffle))),
        equalTo(expected));
    assertThat(
        fn.extractOutput(fn.mergeAccumulators(List.of(bAfterShuffle, empty, a))),
        equalTo(expected));
  }

  /** Values whose floating-point sum depends on the order of additions. */
  private static final double[] ORDER_SENSITIVE = {
    0.1, 0.2, 1e16, -1e16, 0.3, 3145.85, 1e-300, -0.7, 1e16, 12.5, 2.0 / 3, -1e16, 0.1
  };

  @Test
  void valuesThatCancelLeaveTheExactSumOfTheRest() {
    SessionSummary stats =
        SessionSummary.ofEvent(1e16, T0).plus(0.1, T0).plus(-1e16, T0).plus(0.2, T0);

    assertThat(stats.total(), equalTo(0.1 + 0.2));
    assertThat(stats.average(), equalTo((0.1 + 0.2) / 4));
  }

  @Test
  void rejectsAValueThatIsNotFinite() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SessionSummary.ofEvent(1.0, T0).plus(Double.NaN, T0));
    assertThat(e.getMessage(), containsString("must be finite"));
  }

  @Test
  void aTotalBeyondTheRangeOfADoubleStaysExactAndReadsAsInfinity() {
    SessionSummary stats =
        SessionSummary.ofEvent(Double.MAX_VALUE, T0).plus(Double.MAX_VALUE, T0).plus(-1e308, T0);

    BigDecimal exact =
        new BigDecimal(Double.MAX_VALUE)
            .multiply(BigDecimal.valueOf(2))
            .subtract(new BigDecimal(1e308));
    assertThat(stats.exactTotal(), equalTo(exact));
    assertThat(stats.total(), equalTo(Double.POSITIVE_INFINITY));
    assertThat(
        stats.average(),
        equalTo(
            exact
                .divide(BigDecimal.valueOf(3), new MathContext(1000, RoundingMode.HALF_EVEN))
                .doubleValue()));
  }

  @Test
  void theTotalAndAverageAreTheSameBitsWhateverTheOrderOfEventsAndMerges() throws Exception {
    BigDecimal exact = BigDecimal.ZERO;
    for (double value : ORDER_SENSITIVE) {
      exact = exact.add(new BigDecimal(value));
    }
    long expectedTotal = Double.doubleToRawLongBits(exact.doubleValue());
    long expectedAverage =
        Double.doubleToRawLongBits(
            exact
                .divide(BigDecimal.valueOf(13), new MathContext(1000, RoundingMode.HALF_EVEN))
                .doubleValue());
    SessionSummaryFn fn = new SessionSummaryFn();
    Coder<SessionSummaryFn.Accumulator> accumulatorCoder =
        fn.getAccumulatorCoder(CoderRegistry.createDefault(), null);
    Random random = new Random(8);
    List<Double> values = new ArrayList<>();
    for (double value : ORDER_SENSITIVE) {
      values.add(value);
    }
    byte[] firstEncoding = null;
    for (int run = 0; run < 200; run++) {
      Collections.shuffle(values, random);
      // The combiner: the events split into 1 to 4 accumulators, each through its coder, merged
      // in a shuffled order.
      List<SessionSummaryFn.Accumulator> parts = new ArrayList<>();
      int partCount = 1 + random.nextInt(4);
      for (int p = 0; p < partCount; p++) {
        parts.add(fn.createAccumulator());
      }
      for (int i = 0; i < values.size(); i++) {
        fn.addInput(
            parts.get(random.nextInt(partCount)), TimestampedValue.of(values.get(i), T0.plus(i)));
      }
      List<SessionSummaryFn.Accumulator> shuffled = new ArrayList<>();
      for (SessionSummaryFn.Accumulator part : parts) {
        shuffled.add(
            CoderUtils.decodeFromByteArray(
                accumulatorCoder, CoderUtils.encodeToByteArray(accumulatorCoder, part)));
      }
      Collections.shuffle(shuffled, random);
      SessionSummary combined = fn.extractOutput(fn.mergeAccumulators(shuffled));
      // The running path: one event at a time, then merged with another such session.
      int split = random.nextInt(values.size());
      SessionSummary running = SessionSummary.ofEvent(values.get(0), T0);
      for (int i = 1; i <= split; i++) {
        running = running.plus(values.get(i), T0.plus(i));
      }
      if (split + 1 < values.size()) {
        SessionSummary rest = SessionSummary.ofEvent(values.get(split + 1), T0.plus(split + 1));
        for (int i = split + 2; i < values.size(); i++) {
          rest = rest.plus(values.get(i), T0.plus(i));
        }
        running = rest.merge(running);
      }

      for (SessionSummary stats : List.of(combined, running)) {
        assertThat(Double.doubleToRawLongBits(stats.total()), equalTo(expectedTotal));
        assertThat(Double.doubleToRawLongBits(stats.average()), equalTo(expectedAverage));
        assertThat(stats.exactTotal().compareTo(exact), equalTo(0));
      }
      assertThat(combined, equalTo(running));
      byte[] encoding = CoderUtils.encodeToByteArray(SessionSummary.coder(), combined);
      if (firstEncoding == null) {
        firstEncoding = encoding;
      }
      assertThat(encoding, equalTo(firstEncoding));
      assertThat(CoderUtils.encodeToByteArray(SessionSummary.coder(), running), equalTo(encoding));
    }
  }
}
