package dev.windowpane.transforms.windows;

import java.io.Serializable;
import java.util.Arrays;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.SerializableBiFunction;
import org.apache.beam.sdk.util.CoderUtils;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * How the pane engine aggregates: inputs into a pane's accumulator, accumulators into a window's,
 * and (when {@link #invertible()}) a leaving pane out of a running window. Values handed to the
 * engine's state are never modified afterwards: {@link #mergeInto} and {@link #subtractFrom} may
 * modify only their first argument, which the caller owns.
 */
abstract class PaneAggregation<InputT, A> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Adds {@code input} to a bundle's accumulator ({@code null} for none yet). */
  abstract A addInput(@Nullable A accumulator, InputT input);

  /** A copy of {@code value} that the caller may modify. */
  abstract A copy(A value);

  /** {@code owned} with {@code other} merged in; may modify {@code owned}, never {@code other}. */
  abstract A mergeInto(A owned, A other);

  /** Whether {@link #subtractFrom} exists: windows then slide by adding and removing panes. */
  abstract boolean invertible();

  /** {@code owned} without {@code other}, the inverse of {@link #mergeInto}. */
  A subtractFrom(A owned, A other) {
    throw new UnsupportedOperationException("This aggregation has no inverse.");
  }

  abstract Coder<A> coder();

  /** Exact sums of longs; a sum outside the range of a long fails with an error, never wraps. */
  static PaneAggregation<Long, Long> sumOfLongs() {
    return invertible(Math::addExact, Math::subtractExact, VarLongCoder.of());
  }

  /** Spark's reduce with its inverse, for values that are not modified in place. */
  static <V> PaneAggregation<V, V> invertible(
      SerializableBiFunction<V, V, V> reduce, SerializableBiFunction<V, V, V> inverse, Coder<V> coder) {
    return new Invertible<>(reduce, inverse, coder);
  }

  /** Any {@link CombineFn}: accumulators merge per window; no inverse. */
  static <InputT, AccumT> PaneAggregation<InputT, AccumT> of(
      CombineFn<InputT, AccumT, ?> fn, Coder<AccumT> accumulatorCoder) {
    return new OfCombineFn<>(fn, accumulatorCoder);
  }

  private static final class Invertible<V> extends PaneAggregation<V, V> {
    private static final long serialVersionUID = 1L;
    private final SerializableBiFunction<V, V, V> reduce;
    private final SerializableBiFunction<V, V, V> inverse;
    private final Coder<V> coder;

    Invertible(SerializableBiFunction<V, V, V> reduce, SerializableBiFunction<V, V, V> inverse, Coder<V> coder) {
      this.reduce = reduce;
      this.inverse = inverse;
      this.coder = coder;
    }

    @Override
    V addInput(@Nullable V accumulator, V input) {
      return accumulator == null ? input : reduce.apply(accumulator, input);
    }

    @Override
    V copy(V value) {
      return value;
    }

    @Override
    V mergeInto(V owned, V other) {
      return reduce.apply(owned, other);
    }

    @Override
    boolean invertible() {
      return true;
    }

    @Override
    V subtractFrom(V owned, V other) {
      return inverse.apply(owned, other);
    }

    @Override
    Coder<V> coder() {
      return coder;
    }
  }

  private static final class OfCombineFn<InputT, AccumT> extends PaneAggregation<InputT, AccumT> {
    private static final long serialVersionUID = 1L;
    private final CombineFn<InputT, AccumT, ?> fn;
    private final Coder<AccumT> coder;

    OfCombineFn(CombineFn<InputT, AccumT, ?> fn, Coder<AccumT> coder) {
      this.fn = fn;
      this.coder = coder;
    }

    @Override
    AccumT addInput(@Nullable AccumT accumulator, InputT input) {
      return fn.addInput(accumulator == null ? fn.createAccumulator() : accumulator, input);
    }

    @Override
    AccumT copy(AccumT value) {
      try {
        return CoderUtils.clone(coder, value);
      } catch (CoderException e) {
        throw new IllegalStateException("An accumulator could not be copied with " + coder + ".", e);
      }
    }

    @Override
    AccumT mergeInto(AccumT owned, AccumT other) {
      return fn.mergeAccumulators(Arrays.asList(owned, copy(other)));
    }

    @Override
    boolean invertible() {
      return false;
    }

    @Override
    Coder<AccumT> coder() {
      return coder;
    }
  }
}
