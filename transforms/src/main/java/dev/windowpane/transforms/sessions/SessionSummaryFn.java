package dev.windowpane.transforms.sessions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.BigDecimalCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;

/**
 * Combines timestamped values into their {@link SessionSummary}: count, total, first and last event
 * time (the minimum and maximum timestamp). Accumulators merge in any order, so it works with
 * merging windows such as Beam's {@code Sessions}; use it per key ({@code Combine.perKey}), where
 * every group has at least one event. A {@code CombineFn} does not see element timestamps, hence
 * the input carries them ({@code Reify.timestampsInValue()}). The total is exact (a {@code
 * BigDecimal} sum of each value's exact binary value), so the output is the same to the last bit
 * whatever the order of inputs and merges, rounded once in {@link SessionSummary#total()}; every
 * value must be finite. Cost: one {@code BigDecimal} addition per input and per merge; the
 * accumulator is three numbers and the exact total (see {@link SessionSummary}).
 */
public final class SessionSummaryFn
    extends CombineFn<TimestampedValue<Double>, SessionSummaryFn.Accumulator, SessionSummary> {

  /**
   * The running count, exact total and time range of a partial session; mutable, owned by the fn.
   */
  public static final class Accumulator {
    private long events;
    private BigDecimal total = BigDecimal.ZERO;
    private long first = Long.MAX_VALUE;
    private long last = Long.MIN_VALUE;
  }

  @Override
  public Accumulator createAccumulator() {
    return new Accumulator();
  }

  @Override
  public Accumulator addInput(Accumulator accumulator, TimestampedValue<Double> input) {
    long time = input.getTimestamp().getMillis();
    BigDecimal value = ExactDoubles.exact(input.getValue());
    accumulator.events++;
    accumulator.total = accumulator.total.add(value);
    accumulator.first = Math.min(accumulator.first, time);
    accumulator.last = Math.max(accumulator.last, time);
    return accumulator;
  }

  @Override
  public Accumulator mergeAccumulators(Iterable<Accumulator> accumulators) {
    Accumulator merged = new Accumulator();
    for (Accumulator a : accumulators) {
      merged.events += a.events;
      merged.total = merged.total.add(a.total);
      merged.first = Math.min(merged.first, a.first);
      merged.last = Math.max(merged.last, a.last);
    }
    return merged;
  }

  @Override
  public SessionSummary extractOutput(Accumulator accumulator) {
    if (accumulator.events == 0) {
      throw new IllegalStateException(
          "A session has at least one event; apply SessionSummaryFn per key, not to an empty input.");
    }
    return SessionSummary.of(
        accumulator.events,
        accumulator.total,
        new Instant(accumulator.first),
        new Instant(accumulator.last));
  }

  @Override
  public Coder<Accumulator> getAccumulatorCoder(
      CoderRegistry registry, Coder<TimestampedValue<Double>> inputCoder) {
    return AccumulatorCoder.INSTANCE;
  }

  @Override
  public Coder<SessionSummary> getDefaultOutputCoder(
      CoderRegistry registry, Coder<TimestampedValue<Double>> inputCoder) {
    return SessionSummary.coder();
  }

  private static final class AccumulatorCoder extends AtomicCoder<Accumulator> {
    private static final AccumulatorCoder INSTANCE = new AccumulatorCoder();
    private static final VarLongCoder LONG = VarLongCoder.of();
    private static final BigDecimalCoder DECIMAL = BigDecimalCoder.of();

    @Override
    public void encode(Accumulator value, OutputStream out) throws IOException {
      LONG.encode(value.events, out);
      DECIMAL.encode(SessionSummary.canonical(value.total), out);
      LONG.encode(value.first, out);
      LONG.encode(value.last, out);
    }

    @Override
    public Accumulator decode(InputStream in) throws IOException {
      Accumulator value = new Accumulator();
      value.events = LONG.decode(in);
      value.total = DECIMAL.decode(in);
      value.first = LONG.decode(in);
      value.last = LONG.decode(in);
      return value;
    }

    @Override
    public void verifyDeterministic() {}
  }
}
