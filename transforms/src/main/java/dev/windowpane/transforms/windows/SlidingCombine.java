package dev.windowpane.transforms.windows;

import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.transforms.windowing.Trigger;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * Combines the values of each key in sliding windows of {@code size} every {@code period}, with
 * the same windows and values as Beam's {@code SlidingWindows} followed by {@code Combine.perKey},
 * but without copying each element into every window that contains it.
 *
 * <p>Each element is added once to the accumulator of its pane (windows of {@link
 * SlidingSpec#paneMillis()}, the gcd of size and period); each sliding window's result is then
 * merged from the accumulators of its panes. Cost: O(1) per element plus O(size / pane)
 * accumulator merges per (window, key) result.
 *
 * <p>Results fire when the watermark passes the end of the window, in the window's {@code
 * IntervalWindow} with timestamp {@code window.maxTimestamp()}. Data up to the allowed lateness
 * late fires the window again in a late pane that carries the complete value (accumulating), so a
 * late pane replaces the earlier result of its (window, key). Lateness counts per window, as in
 * Beam: an element too late for its earliest windows still reaches its later ones, and an element
 * too late for all of its windows is dropped (Beam's {@code droppedDueToLateness} counter). The
 * windows are merged one shuffle after the panes, so a window whose lateness has just run out may
 * still take such an element while the watermark is on its way to the merge stage. The input may
 * be in any windowing; it is re-windowed by timestamp.
 */
public final class SlidingCombine<K, InputT, AccumT, OutputT>
    extends PTransform<PCollection<KV<K, InputT>>, PCollection<KV<K, OutputT>>> {

  private final CombineFn<InputT, AccumT, OutputT> fn;
  private final SlidingSpec spec;
  private final Duration allowedLateness;

  private SlidingCombine(
      CombineFn<InputT, AccumT, OutputT> fn, SlidingSpec spec, Duration allowedLateness) {
    this.fn = fn;
    this.spec = spec;
    this.allowedLateness = allowedLateness;
  }

  /**
   * Combines each key's values with {@code fn} in sliding windows of {@code size} every {@code
   * period}.
   */
  public static <K, InputT, AccumT, OutputT> SlidingCombine<K, InputT, AccumT, OutputT> perKey(
      CombineFn<InputT, AccumT, OutputT> fn, Duration size, Duration period) {
    Objects.requireNonNull(fn, "fn");
    return new SlidingCombine<>(fn, SlidingSpec.of(size, period), Duration.ZERO);
  }

  /**
   * Accepts data up to {@code lateness} behind the watermark and fires late panes for it. (The key
   * type is inferred where the transform is applied, so the call chains without type witnesses.)
   */
  public <KeyT> SlidingCombine<KeyT, InputT, AccumT, OutputT> withAllowedLateness(
      Duration lateness) {
    return new SlidingCombine<>(fn, spec, checkedLateness(lateness));
  }

  static Duration checkedLateness(Duration lateness) {
    Objects.requireNonNull(lateness, "lateness");
    if (lateness.getMillis() < 0) {
      throw new IllegalArgumentException(
          "The allowed lateness must not be negative, got " + lateness + ".");
    }
    return lateness;
  }

  @Override
  public PCollection<KV<K, OutputT>> expand(PCollection<KV<K, InputT>> input) {
    if (!(input.getCoder() instanceof KvCoder)) {
      throw new IllegalArgumentException(
          "SlidingCombine needs a KvCoder on its input, got " + input.getCoder() + ".");
    }
    Coder<InputT> inputCoder = ((KvCoder<K, InputT>) input.getCoder()).getValueCoder();
    CoderRegistry registry = input.getPipeline().getCoderRegistry();
    Coder<AccumT> accumCoder;
    Coder<OutputT> outputCoder;
    try {
      accumCoder = fn.getAccumulatorCoder(registry, inputCoder);
      outputCoder = fn.getDefaultOutputCoder(registry, inputCoder);
    } catch (CannotProvideCoderException e) {
      throw new IllegalArgumentException(
          "SlidingCombine cannot find the coders of " + fn.getClass().getSimpleName() + ".", e);
    }

    return input
        .apply(
            "IntoPanes",
            Window.<KV<K, InputT>>into(FixedWindows.of(Duration.millis(spec.paneMillis())))
                .triggering(onTimeThenEachLateElement())
                .withOnTimeBehavior(Window.OnTimeBehavior.FIRE_IF_NON_EMPTY)
                .discardingFiredPanes()
                .withAllowedLateness(paneLateness())
                .withTimestampCombiner(TimestampCombiner.END_OF_WINDOW))
        .apply("AccumulatePerPane", Combine.perKey(new AccumulateFn<>(fn, accumCoder)))
        .apply(
            "IntoSlidingWindows",
            Window.<KV<K, AccumT>>into(SlidingWindows.of(spec.size()).every(spec.period()))
                .triggering(onTimeThenEachLateElement())
                // The Flink runner otherwise emits an extra empty on-time pane when a window's
                // end-of-window and garbage-collection timers fire separately.
                .withOnTimeBehavior(Window.OnTimeBehavior.FIRE_IF_NON_EMPTY)
                .accumulatingFiredPanes()
                .withAllowedLateness(allowedLateness)
                .withTimestampCombiner(TimestampCombiner.END_OF_WINDOW))
        .apply("MergePanes", Combine.perKey(new MergePanesFn<>(fn, accumCoder, outputCoder)));
  }

  /**
   * How long a pane keeps accepting data: until the last window containing it stops accepting
   * data, which is up to {@code size - pane} after the pane's own end. The sliding stage then
   * drops the late pane delta from exactly the windows whose lateness has passed.
   */
  private Duration paneLateness() {
    return allowedLateness.plus(Duration.millis(spec.sizeMillis() - spec.paneMillis()));
  }

  private static Trigger onTimeThenEachLateElement() {
    return AfterWatermark.pastEndOfWindow().withLateFirings(AfterPane.elementCountAtLeast(1));
  }

  /** {@code fn} with its accumulator as output: adds each element once to its pane's accumulator. */
  static final class AccumulateFn<InputT, AccumT> extends CombineFn<InputT, AccumT, AccumT> {
    private final CombineFn<InputT, AccumT, ?> fn;
    private final Coder<AccumT> accumCoder;

    AccumulateFn(CombineFn<InputT, AccumT, ?> fn, Coder<AccumT> accumCoder) {
      this.fn = fn;
      this.accumCoder = accumCoder;
    }

    @Override
    public AccumT createAccumulator() {
      return fn.createAccumulator();
    }

    @Override
    public AccumT addInput(AccumT accumulator, InputT input) {
      return fn.addInput(accumulator, input);
    }

    @Override
    public AccumT mergeAccumulators(Iterable<AccumT> accumulators) {
      return fn.mergeAccumulators(accumulators);
    }

    @Override
    public AccumT extractOutput(AccumT accumulator) {
      return fn.compact(accumulator);
    }

    @Override
    public Coder<AccumT> getAccumulatorCoder(CoderRegistry registry, Coder<InputT> inputCoder) {
      return accumCoder;
    }

    @Override
    public Coder<AccumT> getDefaultOutputCoder(CoderRegistry registry, Coder<InputT> inputCoder) {
      return accumCoder;
    }
  }

  /**
   * Merges the pane accumulators of a window and extracts {@code fn}'s output. A pane accumulator
   * is shared by every window that contains it, so it is copied before {@code fn} may modify it.
   */
  static final class MergePanesFn<AccumT, OutputT> extends CombineFn<AccumT, AccumT, OutputT> {
    private final CombineFn<?, AccumT, OutputT> fn;
    private final Coder<AccumT> accumCoder;
    private final Coder<OutputT> outputCoder;

    MergePanesFn(
        CombineFn<?, AccumT, OutputT> fn, Coder<AccumT> accumCoder, Coder<OutputT> outputCoder) {
      this.fn = fn;
      this.accumCoder = accumCoder;
      this.outputCoder = outputCoder;
    }

    @Override
    public AccumT createAccumulator() {
      return fn.createAccumulator();
    }

    @Override
    public AccumT addInput(AccumT accumulator, AccumT paneAccumulator) {
      try {
        AccumT copy = CoderUtils.clone(accumCoder, paneAccumulator);
        return fn.mergeAccumulators(Arrays.asList(accumulator, copy));
      } catch (CoderException e) {
        throw new IllegalStateException("A pane accumulator could not be copied.", e);
      }
    }

    @Override
    public AccumT mergeAccumulators(Iterable<AccumT> accumulators) {
      return fn.mergeAccumulators(accumulators);
    }

    @Override
    public OutputT extractOutput(AccumT accumulator) {
      return fn.extractOutput(accumulator);
    }

    @Override
    public Coder<AccumT> getAccumulatorCoder(CoderRegistry registry, Coder<AccumT> inputCoder) {
      return accumCoder;
    }

    @Override
    public Coder<OutputT> getDefaultOutputCoder(CoderRegistry registry, Coder<AccumT> inputCoder) {
      return outputCoder;
    }
  }
}
