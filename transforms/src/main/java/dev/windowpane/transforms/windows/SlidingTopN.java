package dev.windowpane.transforms.windows;

import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.collect.ImmutableMap;
import org.joda.time.Duration;

/**
 * The top N keys by summed value over sliding windows of {@code size} every {@code period}: "top
 * sellers for the last hour, updated every minute". For each window that has data it emits one
 * {@code List<KV<key, total>>} in {@link Rankings#order()} (total descending, key ascending), in
 * the window {@code [end - size, end)} that Beam's {@code SlidingWindows} would use, when the
 * watermark passes the window's end. Within the allowed lateness, a late element updates its pane
 * and every window containing it: each such window fires again (PaneInfo timing LATE) with its
 * complete refined list, which replaces the earlier one; nothing is counted twice. Input beyond
 * the allowed lateness goes to {@link Result#lateData()} and the counter {@code
 * windowpane:lateEventsDropped}.
 *
 * <p>Cost: O(1) per element (one hash-map update per element within its bundle), one shuffled
 * element per shard per bundle, and per window end O(keys entering, leaving and present in the
 * window); no (window, key) total is ever materialised as a Beam element, so the cost does not
 * grow with size / period. State: the per-key sums of the panes of one window (plus the allowed
 * lateness) per shard.
 *
 * <p>How: keys are hashed into shards; each element is summed into its pane (gcd of size and
 * period) within its bundle; a stateful DoFn per shard keeps the panes and a running total per key,
 * adds the panes that enter a window, subtracts those that leave, and emits its shard's top N;
 * a final combine per window merges the shards' lists (exact: the global top N is inside the
 * union of the shards' top N).
 *
 * <pre>{@code
 * PCollection<KV<String, Long>> sales = ...;  // (item, quantity), event-time timestamps
 * PCollection<List<KV<String, Long>>> topSellers =
 *     sales.apply(SlidingTopN.<String>of(10, Duration.standardHours(1), Duration.standardMinutes(1)))
 *          .rankings();
 * }</pre>
 */
public final class SlidingTopN<K extends Comparable<? super K>>
    extends PTransform<PCollection<KV<K, Long>>, SlidingTopN.Result<K>> {
  /** Shards by default: enough to spread over a few workers, few enough to batch well. */
  public static final int DEFAULT_SHARDS = 16;

  private final int n;
  private final SlidingSpec spec;
  private final Duration allowedLateness;
  private final int shards;

  private SlidingTopN(int n, SlidingSpec spec, Duration allowedLateness, int shards) {
    this.n = n;
    this.spec = spec;
    this.allowedLateness = allowedLateness;
    this.shards = shards;
  }

  /** The top {@code n} per sliding window of {@code size} every {@code period}. */
  public static <K extends Comparable<? super K>> SlidingTopN<K> of(
      int n, Duration size, Duration period) {
    if (n < 1) {
      throw new IllegalArgumentException("The number of top entries must be at least 1, got " + n + ".");
    }
    return new SlidingTopN<>(n, SlidingSpec.of(size, period), Duration.ZERO, DEFAULT_SHARDS);
  }

  /** How long after a window's end late data still updates it (default zero). */
  public SlidingTopN<K> withAllowedLateness(Duration lateness) {
    if (lateness.getMillis() < 0) {
      throw new IllegalArgumentException("The allowed lateness must not be negative, got " + lateness + ".");
    }
    return new SlidingTopN<>(n, spec, lateness, shards);
  }

  /** How many shards the keys are spread over (default {@value #DEFAULT_SHARDS}). */
  public SlidingTopN<K> withShards(int shards) {
    if (shards < 1) {
      throw new IllegalArgumentException("The number of shards must be at least 1, got " + shards + ".");
    }
    return new SlidingTopN<>(n, spec, allowedLateness, shards);
  }

  @Override
  public Result<K> expand(PCollection<KV<K, Long>> input) {
    if (!(input.getCoder() instanceof KvCoder)) {
      throw new IllegalArgumentException(
          "SlidingTopN needs a KvCoder on its input, got " + input.getCoder() + ".");
    }
    KvCoder<K, Long> inputCoder = (KvCoder<K, Long>) input.getCoder();
    Coder<K> keyCoder = inputCoder.getKeyCoder();
    TupleTag<ShardRanking<K>> shardRankingsTag = new TupleTag<ShardRanking<K>>() {};
    TupleTag<KV<K, Long>> lateTag = new TupleTag<KV<K, Long>>() {};

    PCollectionTuple perShard =
        input
            .apply("Into the global window", Window.<KV<K, Long>>into(new GlobalWindows()))
            .apply(
                "Sum panes per bundle and shard",
                ParDo.of(new SumPanesPerBundleFn<>(spec, shards, keyCoder)))
            .setCoder(KvCoder.of(VarIntCoder.of(), PaneSums.coder(keyCoder)))
            .apply(
                "Rank each shard's windows",
                ParDo.of(
                        new ShardTopNFn<>(
                            spec, n, allowedLateness.getMillis(), keyCoder, shardRankingsTag, lateTag))
                    .withOutputTags(shardRankingsTag, TupleTagList.of(lateTag)));

    PCollection<List<KV<K, Long>>> rankings =
        perShard
            .get(shardRankingsTag)
            .setCoder(ShardRanking.coder(keyCoder))
            .apply(
                "Into sliding windows",
                Window.<ShardRanking<K>>into(EndAlignedWindows.of(spec.size()))
                    .triggering(
                        AfterWatermark.pastEndOfWindow()
                            .withLateFirings(AfterPane.elementCountAtLeast(1)))
                    // A shard re-emits a window it holds within the lateness; one period more
                    // covers the time until its next window end tells it the watermark moved.
                    .withAllowedLateness(allowedLateness.plus(spec.period()))
                    // Without this, the Flink runner emits an extra empty on-time pane per window
                    // when the end-of-window and garbage-collection timers fire separately.
                    .withOnTimeBehavior(Window.OnTimeBehavior.FIRE_IF_NON_EMPTY)
                    .accumulatingFiredPanes())
            .apply(
                "Merge the shards' top " + n,
                Combine.globally(new MergeShardRankingsFn<>(n, keyCoder)).withoutDefaults());
    PCollection<KV<K, Long>> late =
        perShard.get(lateTag).setCoder(KvCoder.of(keyCoder, VarLongCoder.of()));
    return new Result<>(input.getPipeline(), rankings, late);
  }

  /** The rankings per window and the input that came too late to count. */
  public static final class Result<K> implements POutput {
    private final Pipeline pipeline;
    private final PCollection<List<KV<K, Long>>> rankings;
    private final PCollection<KV<K, Long>> lateData;

    Result(Pipeline pipeline, PCollection<List<KV<K, Long>>> rankings, PCollection<KV<K, Long>> lateData) {
      this.pipeline = pipeline;
      this.rankings = rankings;
      this.lateData = lateData;
    }

    /** One top-N list per window firing, in the sliding window it ranks. */
    public PCollection<List<KV<K, Long>>> rankings() {
      return rankings;
    }

    /** (key, summed value) per pane of the input that arrived beyond the allowed lateness. */
    public PCollection<KV<K, Long>> lateData() {
      return lateData;
    }

    @Override
    public Pipeline getPipeline() {
      return pipeline;
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      return ImmutableMap.of(
          new TupleTag<List<KV<K, Long>>>("rankings"), rankings,
          new TupleTag<KV<K, Long>>("lateData"), lateData);
    }

    @Override
    public void finishSpecifyingOutput(
        String transformName, PInput input, PTransform<?, ?> transform) {}
  }
}
