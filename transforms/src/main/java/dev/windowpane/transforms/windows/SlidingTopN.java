package dev.windowpane.transforms.windows;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The top N keys by summed value over sliding windows of {@code size} every {@code period}: "top
 * sellers for the last hour, updated every minute". For each window that has data it emits one
 * {@code List<KV<key, total>>} in {@link Rankings#order()} (total descending, key ascending), in
 * the window {@code [end - size, end)} that Beam's {@code SlidingWindows} would use, when the
 * watermark passes the window's end. Values are any {@code long}: a key with a total of 0 or
 * below is still a key of the window; a total outside the range of a long fails with an {@link
 * ArithmeticException} that names the key, never wraps.
 *
 * <p>Late data, with Beam's meaning: the last ranking of every window equals the top N of the last
 * pane that {@code SlidingWindows} + {@code Sum.longsPerKey()} produce with the same allowed
 * lateness (accumulating, a late firing per late element). A window is closed once the watermark
 * is past {@code end - 1 + allowedLateness}. An element late for a window that is not closed
 * fires that window again (PaneInfo LATE) with its complete ranking, which replaces the earlier
 * one. An element too late for every window it belongs to goes to {@link Result#lateData()} and
 * counts in {@code windowpane:lateEventsDropped}; one too late for only some of its windows counts
 * in the others, and each window it missed counts in {@code windowpane:lateWindowUpdatesDropped}.
 *
 * <p>Cost: O(1) per element (one hash-map update within its bundle), one shuffled element per
 * shard per bundle, and per window end O(entries of the panes that enter and leave) plus the
 * ranking of the keys present in the window; no (window, key) total is ever a Beam element, so
 * the cost does not grow with size / period. State per shard: what each bundle added to each pane
 * of the windows still open, and one running total per key of the current window, in map state
 * keyed by pane and by key, so an element batch touches only the keys it carries.
 *
 * <p>How: keys are hashed into shards; each element is summed into its pane (gcd of size and
 * period) within its bundle; the pane engine ({@link SlidingPanes}) per shard keeps the panes and
 * the running totals, adds the panes that enter a window, subtracts those that leave, and emits
 * its shard's top N; a final combine per window merges the shards' lists (exact: the global top N
 * is inside the union of the shards' top N).
 *
 * <pre>{@code
 * PCollection<KV<String, Long>> sales = ...;  // (item, quantity), event-time timestamps
 * PCollection<List<KV<String, Long>>> topSellers =
 *     sales.apply(SlidingTopN.<String>of(10, Duration.standardHours(1), Duration.standardMinutes(1)))
 *          .rankings();
 * }</pre>
 *
 * <p>Runners: the Direct, Flink and Spark runners. On a portable runner (Beam 2.62's Flink job
 * server) it runs bounded input in batch mode only, keeping a shard's panes in one value (each
 * batch then costs O(panes of the shard)); a stream there is refused when the pipeline is built.
 */
public final class SlidingTopN<K extends Comparable<? super K>>
    extends PTransform<PCollection<KV<K, Long>>, SlidingTopN.Result<K>> {
  /** Shards when the parallelism is unknown: enough to spread over a few workers, few enough to batch well. */
  public static final int DEFAULT_SHARDS = 16;

  /** Shards per parallel worker by default: enough to even out the hashing of shards to workers. */
  public static final int SHARDS_PER_WORKER = 8;

  /**
   * The shard count of the sliding transforms unless {@code withShards} says otherwise: {@value
   * #SHARDS_PER_WORKER} per worker of the runner's {@code --parallelism} ({@link
   * RunnerParallelismOptions}), at least {@value #DEFAULT_SHARDS}, and {@value #DEFAULT_SHARDS}
   * when the parallelism is not set. Each shard costs a little per bundle and per window end, so
   * more shards than workers need only spread the load. A run restored from a checkpoint keeps
   * the count it was written with: one restored with another parallelism fails in one sentence
   * unless its shards are set to that count.
   */
  public static int defaultShards(PipelineOptions options) {
    Integer parallelism = options.as(RunnerParallelismOptions.class).getParallelism();
    return parallelism == null || parallelism <= 0
        ? DEFAULT_SHARDS
        : Math.max(DEFAULT_SHARDS, SHARDS_PER_WORKER * parallelism);
  }

  /** {@code shards}, or the default of {@code input}'s pipeline when 0. */
  static int shardsFor(int shards, PCollection<?> input) {
    return shards > 0 ? shards : defaultShards(input.getPipeline().getOptions());
  }

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
    return new SlidingTopN<>(n, SlidingSpec.of(size, period), Duration.ZERO, 0);
  }

  /** How long after a window's end late data still updates it (default zero). */
  public SlidingTopN<K> withAllowedLateness(Duration lateness) {
    if (lateness.getMillis() < 0) {
      throw new IllegalArgumentException("The allowed lateness must not be negative, got " + lateness + ".");
    }
    return new SlidingTopN<>(n, spec, lateness, shards);
  }

  /** Moves the windows by {@code offset} (see {@link SlidingSpec#withOffset}). */
  public SlidingTopN<K> withOffset(Duration offset) {
    return new SlidingTopN<>(n, spec.withOffset(offset), allowedLateness, shards);
  }

  /** How many shards the keys are spread over (default: {@link #defaultShards}). */
  public SlidingTopN<K> withShards(int shards) {
    return new SlidingTopN<>(n, spec, allowedLateness, checkedShards(shards));
  }

  static int checkedShards(int shards) {
    if (shards < 1) {
      throw new IllegalArgumentException("The number of shards must be at least 1, got " + shards + ".");
    }
    return shards;
  }

  @Override
  public Result<K> expand(PCollection<KV<K, Long>> input) {
    if (!(input.getCoder() instanceof KvCoder)) {
      throw new IllegalArgumentException(
          "SlidingTopN needs a KvCoder on its input, got " + input.getCoder() + ".");
    }
    Coder<K> keyCoder = ((KvCoder<K, Long>) input.getCoder()).getKeyCoder();
    PreAggregatePanes.checkKeyCoder("SlidingTopN", keyCoder);
    int shardCount = shardsFor(shards, input);
    TupleTag<ShardRanking<K>> shardRankingsTag = new TupleTag<ShardRanking<K>>() {};
    TupleTag<KV<K, Long>> lateTag = new TupleTag<KV<K, Long>>() {};
    SlidingPanes<K, Long> engine =
        new SlidingPanes<>(
            spec,
            allowedLateness.getMillis(),
            PaneAggregation.sumOfLongs(),
            SlidingPanes.Emit.ON_TIME_AND_LATE,
            false,
            shardCount,
            n);

    PCollectionTuple perShard =
        input
            .apply("PreAggregatePanes", new PreAggregatePanes<>(spec, shardCount, keyCoder, PaneAggregation.sumOfLongs()))
            .apply(
                "RankShards",
                ParDo.of(
                        PaneEngineFn.forInput(
                            "SlidingTopN", input, engine, keyCoder, VarLongCoder.of(), new ShardTopN<K>(n),
                            shardRankingsTag, lateTag))
                    .withOutputTags(shardRankingsTag, TupleTagList.of(lateTag)));

    PCollection<List<KV<K, Long>>> rankings =
        perShard
            .get(shardRankingsTag)
            .setCoder(ShardRanking.coder(keyCoder))
            .apply(
                "IntoSlidingWindows",
                Window.<ShardRanking<K>>into(EndAlignedWindows.of(spec.size()))
                    .triggering(
                        AfterWatermark.pastEndOfWindow()
                            .withLateFirings(AfterPane.elementCountAtLeast(1)))
                    // A shard emits a late ranking while its input watermark is within the allowed
                    // lateness of the window, so this stage's watermark is too: nothing is dropped.
                    .withAllowedLateness(allowedLateness)
                    // Without this, the Flink runner emits an extra empty on-time pane per window
                    // when the end-of-window and garbage-collection timers fire separately.
                    .withOnTimeBehavior(Window.OnTimeBehavior.FIRE_IF_NON_EMPTY)
                    .accumulatingFiredPanes())
            .apply("MergeShards", Combine.globally(new MergeShardRankingsFn<>(n, keyCoder)).withoutDefaults());
    PCollection<KV<K, Long>> late =
        perShard.get(lateTag).setCoder(KvCoder.of(keyCoder, VarLongCoder.of()));
    return new Result<>(input.getPipeline(), rankings, late, keyCoder);
  }

  /** A shard's top N of a window, with the shard's version of it. */
  private static final class ShardTopN<K extends Comparable<? super K>>
      implements PaneEngineFn.WindowOutput<K, Long, ShardRanking<K>> {
    private static final long serialVersionUID = 1L;
    private final int n;

    ShardTopN(int n) {
      this.n = n;
    }

    @Override
    public void emit(
        int shard,
        long end,
        long version,
        Iterable<Map.Entry<K, PaneEntry<Long>>> totals,
        @Nullable Set<K> only,
        PaneEngineFn.Emitter<ShardRanking<K>> out) {
      List<KV<K, Long>> top = Rankings.topOfEntries(totals, n);
      if (!top.isEmpty()) {
        out.output(new ShardRanking<>(shard, version, top), new Instant(end - 1));
      }
    }
  }

  /** The rankings per window and the input that came too late to count. */
  public static final class Result<K> implements POutput {
    private final Pipeline pipeline;
    private final PCollection<List<KV<K, Long>>> rankings;
    private final PCollection<KV<K, Long>> lateData;
    private final Coder<K> keyCoder;
    private @Nullable PCollection<Ranking<K>> rankingsWithWindows;

    Result(
        Pipeline pipeline,
        PCollection<List<KV<K, Long>>> rankings,
        PCollection<KV<K, Long>> lateData,
        Coder<K> keyCoder) {
      this.pipeline = pipeline;
      this.rankings = rankings;
      this.lateData = lateData;
      this.keyCoder = keyCoder;
    }

    /** One top-N list per window firing, in the sliding window it ranks. */
    public PCollection<List<KV<K, Long>>> rankings() {
      return rankings;
    }

    /**
     * The same firings as {@link #rankings()}, each as a {@link Ranking} that carries its window's
     * bounds and whether it refines an earlier ranking of that window (step {@code
     * WithWindowBounds}, added once, on first use).
     */
    public PCollection<Ranking<K>> rankingsWithWindows() {
      if (rankingsWithWindows == null) {
        rankingsWithWindows =
            rankings
                .apply("WithWindowBounds", ParDo.of(new Ranking.AttachWindowFn<K>()))
                .setCoder(Ranking.coder(keyCoder));
      }
      return rankingsWithWindows;
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
      return Map.of(
          new TupleTag<List<KV<K, Long>>>("rankings"), rankings,
          new TupleTag<KV<K, Long>>("lateData"), lateData);
    }

    @Override
    public void finishSpecifyingOutput(
        String transformName, PInput input, PTransform<?, ?> transform) {}
  }
}
