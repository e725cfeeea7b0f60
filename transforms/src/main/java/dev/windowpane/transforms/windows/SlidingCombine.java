package dev.windowpane.transforms.windows;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.TimestampCombiner;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Combines the values of each key in sliding windows of {@code size} every {@code period}, with
 * the same windows and values as Beam's {@code SlidingWindows} followed by {@code Combine.perKey},
 * but without copying each element into every window that contains it.
 *
 * <p>How: the pane engine ({@link SlidingPanes}), shared with {@link SlidingTopN} and {@link
 * InvertibleSlidingReduce}: each element is added once to its key's accumulator of its pane
 * (the gcd of size and period) within its bundle; per shard of keys, a stateful step keeps the
 * pane accumulators and, when a window is due, merges each key's pane accumulators into the
 * window's result. Cost: O(1) per element, one shuffled element per (shard, bundle), O(size /
 * pane) accumulator merges and one shuffled element per (window, key) result.
 *
 * <p>Results fire when the watermark passes the end of the window, in the window's {@code
 * IntervalWindow} with timestamp {@code window.maxTimestamp()} and PaneInfo ON_TIME. Late data,
 * with Beam's meaning: a window is closed once the watermark is past {@code end - 1 +
 * allowedLateness}; an element late for a window that is not closed fires that (window, key)
 * again in a LATE pane that carries the complete value (accumulating), so the last pane of every
 * (window, key) equals the last pane of Beam's {@code SlidingWindows} + {@code Combine.perKey}
 * with the same allowed lateness. An element too late for every window it belongs to counts in
 * {@code windowpane:lateEventsDropped}; one too late for some of its windows counts in the
 * others, and each window it missed counts in {@code windowpane:lateWindowUpdatesDropped}. The
 * input may be in any windowing; it is re-windowed by timestamp.
 *
 * <p>Runners: the Direct, Flink and Spark runners. On a portable runner (Beam 2.62's Flink job
 * server) it runs bounded input in batch mode only, keeping a shard's panes in one value (each
 * batch then costs O(panes of the shard)); a stream there is refused when the pipeline is built.
 */
public final class SlidingCombine<K, InputT, AccumT, OutputT>
    extends PTransform<PCollection<KV<K, InputT>>, PCollection<KV<K, OutputT>>> {

  private final CombineFn<InputT, AccumT, OutputT> fn;
  private final SlidingSpec spec;
  private final Duration allowedLateness;
  private final int shards;

  private SlidingCombine(
      CombineFn<InputT, AccumT, OutputT> fn, SlidingSpec spec, Duration allowedLateness, int shards) {
    this.fn = fn;
    this.spec = spec;
    this.allowedLateness = allowedLateness;
    this.shards = shards;
  }

  /**
   * Combines each key's values with {@code fn} in sliding windows of {@code size} every {@code
   * period}.
   */
  public static <K, InputT, AccumT, OutputT> SlidingCombine<K, InputT, AccumT, OutputT> perKey(
      CombineFn<InputT, AccumT, OutputT> fn, Duration size, Duration period) {
    Objects.requireNonNull(fn, "fn");
    return new SlidingCombine<>(fn, SlidingSpec.of(size, period), Duration.ZERO, 0);
  }

  /**
   * Accepts data up to {@code lateness} behind the watermark and fires late panes for it. (The key
   * type is inferred where the transform is applied, so the call chains without type witnesses.)
   */
  public <KeyT> SlidingCombine<KeyT, InputT, AccumT, OutputT> withAllowedLateness(
      Duration lateness) {
    return new SlidingCombine<>(fn, spec, checkedLateness(lateness), shards);
  }

  /** Moves the windows by {@code offset} (see {@link SlidingSpec#withOffset}). */
  public SlidingCombine<K, InputT, AccumT, OutputT> withOffset(Duration offset) {
    return new SlidingCombine<>(fn, spec.withOffset(offset), allowedLateness, shards);
  }

  /** How many shards the keys are spread over (default: {@link SlidingTopN#defaultShards}). */
  public SlidingCombine<K, InputT, AccumT, OutputT> withShards(int shards) {
    return new SlidingCombine<>(fn, spec, allowedLateness, SlidingTopN.checkedShards(shards));
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
    KvCoder<K, InputT> inputCoder = (KvCoder<K, InputT>) input.getCoder();
    Coder<K> keyCoder = inputCoder.getKeyCoder();
    PreAggregatePanes.checkKeyCoder("SlidingCombine", keyCoder);
    int shardCount = SlidingTopN.shardsFor(shards, input);
    CoderRegistry registry = input.getPipeline().getCoderRegistry();
    Coder<AccumT> accumCoder;
    Coder<OutputT> outputCoder;
    try {
      accumCoder = fn.getAccumulatorCoder(registry, inputCoder.getValueCoder());
      outputCoder = fn.getDefaultOutputCoder(registry, inputCoder.getValueCoder());
    } catch (CannotProvideCoderException e) {
      throw new IllegalArgumentException(
          "SlidingCombine cannot find the coders of " + fn.getClass().getSimpleName() + ".", e);
    }
    PaneAggregation<InputT, AccumT> aggregation = PaneAggregation.of(fn, accumCoder);
    SlidingPanes<K, AccumT> engine =
        new SlidingPanes<>(
            spec, allowedLateness.getMillis(), aggregation, SlidingPanes.Emit.ON_TIME_AND_LATE, true, shardCount, 0);
    TupleTag<KV<K, KV<Long, OutputT>>> results = new TupleTag<KV<K, KV<Long, OutputT>>>() {};

    return input
        .apply("PreAggregatePanes", new PreAggregatePanes<>(spec, shardCount, keyCoder, aggregation))
        .apply(
            "CombineWindows",
            ParDo.of(
                    PaneEngineFn.forInput(
                        "SlidingCombine", input, engine, keyCoder, accumCoder, new VersionedResults<>(fn), results, null))
                .withOutputTags(results, TupleTagList.empty()))
        .get(results)
        .setCoder(KvCoder.of(keyCoder, KvCoder.of(VarLongCoder.of(), outputCoder)))
        .apply(
            "IntoSlidingWindows",
            Window.<KV<K, KV<Long, OutputT>>>into(EndAlignedWindows.of(spec.size()))
                .triggering(AfterWatermark.pastEndOfWindow().withLateFirings(AfterPane.elementCountAtLeast(1)))
                // The Flink runner otherwise emits an extra empty on-time pane when a window's
                // end-of-window and garbage-collection timers fire separately.
                .withOnTimeBehavior(Window.OnTimeBehavior.FIRE_IF_NON_EMPTY)
                .accumulatingFiredPanes()
                // A late result leaves the engine while its input watermark is within the allowed
                // lateness of the window, so this stage's watermark is too: nothing is dropped.
                .withAllowedLateness(allowedLateness)
                .withTimestampCombiner(TimestampCombiner.END_OF_WINDOW))
        .apply("LatestPerWindowAndKey", Combine.perKey(new LatestVersionFn<>(outputCoder)));
  }

  /** Each (window, key) result, with the engine's version so that the newest one wins. */
  private static final class VersionedResults<K, AccumT, OutputT>
      implements PaneEngineFn.WindowOutput<K, AccumT, KV<K, KV<Long, OutputT>>> {
    private static final long serialVersionUID = 1L;
    private final CombineFn<?, AccumT, OutputT> fn;

    VersionedResults(CombineFn<?, AccumT, OutputT> fn) {
      this.fn = fn;
    }

    @Override
    public void emit(
        int shard,
        long end,
        long version,
        Iterable<Map.Entry<K, PaneEntry<AccumT>>> totals,
        @Nullable Set<K> only,
        PaneEngineFn.Emitter<KV<K, KV<Long, OutputT>>> out) {
      Instant timestamp = new Instant(end - 1);
      for (Map.Entry<K, PaneEntry<AccumT>> total : totals) {
        // The engine hands over accumulators of its own making: extracting may modify them.
        out.output(KV.of(total.getKey(), KV.of(version, fn.extractOutput(total.getValue().value))), timestamp);
      }
    }
  }

  /** Of the versioned results of one (window, key), the one with the highest version. */
  static final class LatestVersionFn<OutputT>
      extends CombineFn<KV<Long, OutputT>, KV<Long, OutputT>, OutputT> {
    private final Coder<OutputT> outputCoder;

    LatestVersionFn(Coder<OutputT> outputCoder) {
      this.outputCoder = outputCoder;
    }

    @Override
    public KV<Long, OutputT> createAccumulator() {
      return KV.of(Long.MIN_VALUE, null);
    }

    @Override
    public KV<Long, OutputT> addInput(KV<Long, OutputT> latest, KV<Long, OutputT> result) {
      return result.getKey() > latest.getKey() ? result : latest;
    }

    @Override
    public KV<Long, OutputT> mergeAccumulators(Iterable<KV<Long, OutputT>> accumulators) {
      KV<Long, OutputT> latest = createAccumulator();
      for (KV<Long, OutputT> accumulator : accumulators) {
        latest = addInput(latest, accumulator);
      }
      return latest;
    }

    @Override
    public OutputT extractOutput(KV<Long, OutputT> latest) {
      return latest.getValue();
    }

    @Override
    public Coder<KV<Long, OutputT>> getAccumulatorCoder(
        CoderRegistry registry, Coder<KV<Long, OutputT>> inputCoder) {
      return KvCoder.of(VarLongCoder.of(), NullableCoder.of(outputCoder));
    }

    @Override
    public Coder<OutputT> getDefaultOutputCoder(
        CoderRegistry registry, Coder<KV<Long, OutputT>> inputCoder) {
      return outputCoder;
    }
  }
}
