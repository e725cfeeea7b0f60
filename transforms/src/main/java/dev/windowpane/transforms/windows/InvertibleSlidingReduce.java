package dev.windowpane.transforms.windows;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableBiFunction;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Spark's {@code reduceByKeyAndWindow(reduce, inverse, window, slide, filter)} for Beam: the
 * values of each key reduced over sliding windows of {@code size} every {@code period}, each
 * window computed from the previous one by reducing the values that enter and inverse-reducing
 * the values that leave, so no element is copied into every window that contains it.
 *
 * <p>How: the pane engine ({@link SlidingPanes}), shared with {@link SlidingTopN} and {@link
 * SlidingCombine}: each bundle reduces its values per (key, pane) before the shuffle (panes of
 * {@link SlidingSpec#paneMillis()}); per shard of keys, a stateful step keeps the pane values and
 * the running value of each key's last window, and slides it one period at a time. Cost: O(1) per
 * element, one shuffled element per (shard, bundle), and per window end O(values of the panes
 * that enter and leave) plus one output per key of the window. {@code inverse} must undo {@code
 * reduce} exactly ({@code inverse(reduce(a, b), b) == a}): exact for integers, not for floating
 * point; values must not be modified in place.
 *
 * <p>Output: one {@code KV<key, value>} per window that holds data of the key and whose result
 * the filter keeps (by default: the value is not the identity, so a key whose window sums to 0
 * is left out where Beam's {@code Combine} would report 0), in the window's {@code
 * IntervalWindow} {@code [end - size, end)} with timestamp {@code end - 1}.
 *
 * <p>Late data: each window is emitted once, final, when it closes: when the watermark passes
 * {@code end - 1 + allowedLateness}, as Beam's windowing decides with the same allowed lateness,
 * with the output watermark held at {@code end - 1}, so the result is on time downstream and
 * equals the last pane Beam's {@code SlidingWindows} + {@code Combine} would give. A value too
 * late for every window it belongs to counts in {@code windowpane:lateEventsDropped}; one too
 * late for some of its windows counts in the others, and each window it missed counts in {@code
 * windowpane:lateWindowUpdatesDropped}. After the watermark passes a key's last window, nothing
 * of it is left in state.
 *
 * <p>Runners: the Direct, Flink and Spark runners. On a portable runner (Beam 2.62's Flink job
 * server) it runs bounded input in batch mode only, keeping a shard's panes in one value (each
 * batch then costs O(panes of the shard)); a stream there is refused when the pipeline is built.
 */
public final class InvertibleSlidingReduce<K, V>
    extends PTransform<PCollection<KV<K, V>>, PCollection<KV<K, V>>> {

  private final SerializableBiFunction<V, V, V> reduce;
  private final SerializableBiFunction<V, V, V> inverse;
  private final V identity;
  private final SlidingSpec spec;
  private final @Nullable SerializableFunction<KV<K, V>, Boolean> filter;
  private final Duration allowedLateness;
  private final int shards;

  private InvertibleSlidingReduce(
      SerializableBiFunction<V, V, V> reduce,
      SerializableBiFunction<V, V, V> inverse,
      V identity,
      SlidingSpec spec,
      @Nullable SerializableFunction<KV<K, V>, Boolean> filter,
      Duration allowedLateness,
      int shards) {
    this.reduce = reduce;
    this.inverse = inverse;
    this.identity = identity;
    this.spec = spec;
    this.filter = filter;
    this.allowedLateness = allowedLateness;
    this.shards = shards;
  }

  /**
   * Reduces each key's values with {@code reduce} over sliding windows of {@code size} every
   * {@code period}, removing values that leave a window with {@code inverse}; {@code identity} is
   * the value of no values.
   */
  public static <K, V> InvertibleSlidingReduce<K, V> of(
      SerializableBiFunction<V, V, V> reduce,
      SerializableBiFunction<V, V, V> inverse,
      V identity,
      Duration size,
      Duration period) {
    Objects.requireNonNull(reduce, "reduce");
    Objects.requireNonNull(inverse, "inverse");
    Objects.requireNonNull(identity, "identity");
    return new InvertibleSlidingReduce<>(
        reduce, inverse, identity, SlidingSpec.of(size, period), null, Duration.ZERO, 0);
  }

  /** Per-key sums over sliding windows; keys whose window sums to 0 are left out. */
  public static <K> InvertibleSlidingReduce<K, Long> sumLongs(Duration size, Duration period) {
    return of((a, b) -> a + b, (a, b) -> a - b, 0L, size, period);
  }

  /**
   * Emits a (window, key) result only when {@code keep} returns true for it (Spark's filter);
   * replaces the default filter, which keeps values other than the identity. (The key type is
   * inferred where the transform is applied.)
   */
  public <KeyT> InvertibleSlidingReduce<KeyT, V> withFilter(
      SerializableFunction<KV<KeyT, V>, Boolean> keep) {
    Objects.requireNonNull(keep, "keep");
    return new InvertibleSlidingReduce<>(
        reduce, inverse, identity, spec, keep, allowedLateness, shards);
  }

  /**
   * Includes data up to {@code lateness} behind the watermark; each window is then emitted that
   * much later in processing, still on time in event time. (The key type is inferred where the
   * transform is applied.)
   */
  @SuppressWarnings("unchecked")
  public <KeyT> InvertibleSlidingReduce<KeyT, V> withAllowedLateness(Duration lateness) {
    return new InvertibleSlidingReduce<>(
        reduce,
        inverse,
        identity,
        spec,
        (SerializableFunction<KV<KeyT, V>, Boolean>) (SerializableFunction<?, ?>) filter,
        SlidingCombine.checkedLateness(lateness),
        shards);
  }

  /** Moves the windows by {@code offset} (see {@link SlidingSpec#withOffset}). */
  public InvertibleSlidingReduce<K, V> withOffset(Duration offset) {
    return new InvertibleSlidingReduce<>(
        reduce, inverse, identity, spec.withOffset(offset), filter, allowedLateness, shards);
  }

  /** How many shards the keys are spread over (default: {@link SlidingTopN#defaultShards}). */
  public InvertibleSlidingReduce<K, V> withShards(int shards) {
    return new InvertibleSlidingReduce<>(
        reduce, inverse, identity, spec, filter, allowedLateness, SlidingTopN.checkedShards(shards));
  }

  @Override
  public PCollection<KV<K, V>> expand(PCollection<KV<K, V>> input) {
    if (!(input.getCoder() instanceof KvCoder)) {
      throw new IllegalArgumentException(
          "InvertibleSlidingReduce needs a KvCoder on its input, got " + input.getCoder() + ".");
    }
    KvCoder<K, V> coder = (KvCoder<K, V>) input.getCoder();
    PreAggregatePanes.checkKeyCoder("InvertibleSlidingReduce", coder.getKeyCoder());
    int shardCount = SlidingTopN.shardsFor(shards, input);
    byte[] encodedIdentity;
    try {
      encodedIdentity = CoderUtils.encodeToByteArray(coder.getValueCoder(), identity);
    } catch (CoderException e) {
      throw new IllegalArgumentException("The identity value cannot be encoded.", e);
    }
    SerializableFunction<KV<K, V>, Boolean> keep =
        filter != null ? filter : new NotIdentity<>(coder.getValueCoder(), encodedIdentity);
    PaneAggregation<V, V> aggregation = PaneAggregation.invertible(reduce, inverse, coder.getValueCoder());
    SlidingPanes<K, V> engine =
        new SlidingPanes<>(
            spec, allowedLateness.getMillis(), aggregation, SlidingPanes.Emit.WHEN_FINAL, false, shardCount, 0);
    TupleTag<KV<K, V>> results = new TupleTag<KV<K, V>>() {};

    return input
        .apply("PreAggregatePanes", new PreAggregatePanes<>(spec, shardCount, coder.getKeyCoder(), aggregation))
        .apply(
            "SlideWindows",
            ParDo.of(
                    PaneEngineFn.forInput(
                        "InvertibleSlidingReduce", input, engine, coder.getKeyCoder(), coder.getValueCoder(),
                        new KeptResults<>(keep), results, null))
                .withOutputTags(results, TupleTagList.empty()))
        .get(results)
        .setCoder(coder)
        .apply("IntoSlidingWindows", Window.into(EndAlignedWindows.of(spec.size())));
  }

  /** Each key's final value of the window, where the filter keeps it. */
  private static final class KeptResults<K, V> implements PaneEngineFn.WindowOutput<K, V, KV<K, V>> {
    private static final long serialVersionUID = 1L;
    private final SerializableFunction<KV<K, V>, Boolean> keep;

    KeptResults(SerializableFunction<KV<K, V>, Boolean> keep) {
      this.keep = keep;
    }

    @Override
    public void emit(
        int shard,
        long end,
        long version,
        Iterable<Map.Entry<K, PaneEntry<V>>> totals,
        @Nullable Set<K> only,
        PaneEngineFn.Emitter<KV<K, V>> out) {
      Instant timestamp = new Instant(end - 1);
      for (Map.Entry<K, PaneEntry<V>> total : totals) {
        KV<K, V> result = KV.of(total.getKey(), total.getValue().value);
        if (Boolean.TRUE.equals(keep.apply(result))) {
          out.output(result, timestamp);
        }
      }
    }
  }

  /** The default filter: the value is not the identity (compared by encoding). */
  private static final class NotIdentity<K, V> implements SerializableFunction<KV<K, V>, Boolean> {
    private final Coder<V> valueCoder;
    private final byte[] encodedIdentity;

    NotIdentity(Coder<V> valueCoder, byte[] encodedIdentity) {
      this.valueCoder = valueCoder;
      this.encodedIdentity = encodedIdentity;
    }

    @Override
    public Boolean apply(KV<K, V> result) {
      try {
        return !java.util.Arrays.equals(
            CoderUtils.encodeToByteArray(valueCoder, result.getValue()), encodedIdentity);
      } catch (CoderException e) {
        throw new IllegalStateException("A window value cannot be encoded.", e);
      }
    }
  }
}
