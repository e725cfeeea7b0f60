package dev.windowpane.transforms.windows;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * {@link SlidingPanes} on Beam state and timers, one shard per key, in the global window. The
 * shard's input watermark, which decides what is late exactly as a {@code GroupByKey} in this
 * place would, is read through {@link Timer#getCurrentRelativeTime()}: the input watermark on the
 * Direct, Flink and Spark runners. Beam 2.62's portable SDK harness returns the element's timestamp
 * there, and its Flink job server serves no map state, so a portable pipeline uses {@link
 * PaneEngineOnValuesFn} on bounded input in batch mode instead ({@link #forInput}). Results are
 * emitted with the timestamp {@code end - 1} of their
 * window; the timer of the next due window holds the output watermark there, so a window's first
 * emission is on time downstream, and a late emission is never later than the allowed lateness.
 *
 * <p>Counters (namespace {@code windowpane}): {@code lateEventsDropped}, events too late for every
 * window they belong to; {@code lateWindowUpdatesDropped}, for events that still counted in some
 * of their windows, one per (event, window it was too late for).
 */
final class PaneEngineFn<K, A, OutT> extends DoFn<KV<Integer, PaneBatch<K, A>>, OutT> {
  /** Turns one window's aggregates of a shard into the transform's output. */
  interface WindowOutput<K, A, OutT> extends Serializable {
    void emit(
        int shard,
        long end,
        long version,
        Iterable<Map.Entry<K, PaneEntry<A>>> totals,
        @Nullable Set<K> only,
        Emitter<OutT> out);
  }

  /** Emits one output with its timestamp. */
  interface Emitter<T> {
    void output(T value, Instant timestamp);
  }

  private final SlidingPanes<K, A> engine;
  private final WindowOutput<K, A, OutT> windowOutput;
  private final TupleTag<OutT> mainTag;
  private final @Nullable TupleTag<KV<K, A>> lateTag;
  private final Counter lateEventsDropped = Metrics.counter("windowpane", "lateEventsDropped");
  private final Counter lateWindowUpdatesDropped =
      Metrics.counter("windowpane", "lateWindowUpdatesDropped");

  @StateId("progress")
  private final StateSpec<ValueState<SlidingPanes.Progress>> progressSpec =
      StateSpecs.value(SlidingPanes.Progress.ProgressCoder.INSTANCE);

  @StateId("chunks")
  private final StateSpec<MapState<KV<Long, Integer>, List<KV<K, PaneEntry<A>>>>> chunksSpec;

  @StateId("chunkCounts")
  private final StateSpec<MapState<Long, Integer>> chunkCountsSpec =
      StateSpecs.map(VarLongCoder.of(), VarIntCoder.of());

  @StateId("running")
  private final StateSpec<MapState<K, PaneEntry<A>>> runningSpec;

  @StateId("candidates")
  private final StateSpec<ValueState<RankingCandidates<K, A>>> candidatesSpec;

  @TimerId("windowEnd")
  private final TimerSpec windowEndSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  PaneEngineFn(
      SlidingPanes<K, A> engine,
      Coder<K> keyCoder,
      Coder<A> valueCoder,
      WindowOutput<K, A, OutT> windowOutput,
      TupleTag<OutT> mainTag,
      @Nullable TupleTag<KV<K, A>> lateTag) {
    this.engine = engine;
    this.windowOutput = windowOutput;
    this.mainTag = mainTag;
    this.lateTag = lateTag;
    this.chunksSpec =
        StateSpecs.map(
            KvCoder.of(VarLongCoder.of(), VarIntCoder.of()), PaneBatch.entriesCoder(keyCoder, valueCoder));
    this.runningSpec = StateSpecs.map(keyCoder, PaneEntry.coder(valueCoder));
    this.candidatesSpec = StateSpecs.value(RankingCandidates.coder(keyCoder, valueCoder));
  }

  /**
   * Results carry their window's {@code end - 1}, which may precede the batch that completes them;
   * the timer holds and the allowed lateness keep them from being dropped downstream.
   */
  @Override
  @SuppressWarnings("deprecation")
  public Duration getAllowedTimestampSkew() {
    return Duration.millis(Long.MAX_VALUE);
  }

  @ProcessElement
  public void processElement(
      @Element KV<Integer, PaneBatch<K, A>> element,
      @StateId("progress") ValueState<SlidingPanes.Progress> progress,
      @StateId("chunks") MapState<KV<Long, Integer>, List<KV<K, PaneEntry<A>>>> chunks,
      @StateId("chunkCounts") MapState<Long, Integer> chunkCounts,
      @StateId("running") MapState<K, PaneEntry<A>> running,
      @StateId("candidates") ValueState<RankingCandidates<K, A>> candidates,
      @TimerId("windowEnd") Timer windowEnd,
      MultiOutputReceiver out) {
    BeamStore<K, A> store = new BeamStore<>(progress, chunks, chunkCounts, running, candidates, windowEnd);
    engine.add(
        store,
        sink(element.getKey(), out),
        element.getValue(),
        windowEnd.getCurrentRelativeTime().getMillis());
  }

  @OnTimer("windowEnd")
  public void onWindowEnd(
      @Key Integer shard,
      @StateId("progress") ValueState<SlidingPanes.Progress> progress,
      @StateId("chunks") MapState<KV<Long, Integer>, List<KV<K, PaneEntry<A>>>> chunks,
      @StateId("chunkCounts") MapState<Long, Integer> chunkCounts,
      @StateId("running") MapState<K, PaneEntry<A>> running,
      @StateId("candidates") ValueState<RankingCandidates<K, A>> candidates,
      @TimerId("windowEnd") Timer windowEnd,
      MultiOutputReceiver out) {
    BeamStore<K, A> store = new BeamStore<>(progress, chunks, chunkCounts, running, candidates, windowEnd);
    engine.onTimer(store, sink(shard, out), windowEnd.getCurrentRelativeTime().getMillis());
  }

  private BeamSink<K, A, OutT> sink(int shard, MultiOutputReceiver out) {
    return new BeamSink<>(windowOutput, mainTag, lateTag, lateEventsDropped, lateWindowUpdatesDropped, shard, out);
  }

  /**
   * The engine's DoFn for {@code input}: this one, or on a portable runner (bounded input, batch
   * mode) {@link PaneEngineOnValuesFn} ({@link PreAggregatePanes#readsWatermark}).
   */
  static <K, A, OutT> DoFn<KV<Integer, PaneBatch<K, A>>, OutT> forInput(
      String transform,
      PCollection<?> input,
      SlidingPanes<K, A> engine,
      Coder<K> keyCoder,
      Coder<A> valueCoder,
      WindowOutput<K, A, OutT> windowOutput,
      TupleTag<OutT> mainTag,
      @Nullable TupleTag<KV<K, A>> lateTag) {
    return PreAggregatePanes.readsWatermark(transform, input)
        ? new PaneEngineFn<>(engine, keyCoder, valueCoder, windowOutput, mainTag, lateTag)
        : new PaneEngineOnValuesFn<>(engine, keyCoder, valueCoder, windowOutput, mainTag, lateTag);
  }

  /** {@link SlidingPanes.Sink} on a DoFn's outputs and the late-data counters. */
  static final class BeamSink<K, A, OutT> implements SlidingPanes.Sink<K, A> {
    private final WindowOutput<K, A, OutT> windowOutput;
    private final TupleTag<OutT> mainTag;
    private final @Nullable TupleTag<KV<K, A>> lateTag;
    private final Counter lateEventsDropped;
    private final Counter lateWindowUpdatesDropped;
    private final int shard;
    private final MultiOutputReceiver out;

    BeamSink(
        WindowOutput<K, A, OutT> windowOutput,
        TupleTag<OutT> mainTag,
        @Nullable TupleTag<KV<K, A>> lateTag,
        Counter lateEventsDropped,
        Counter lateWindowUpdatesDropped,
        int shard,
        MultiOutputReceiver out) {
      this.windowOutput = windowOutput;
      this.mainTag = mainTag;
      this.lateTag = lateTag;
      this.lateEventsDropped = lateEventsDropped;
      this.lateWindowUpdatesDropped = lateWindowUpdatesDropped;
      this.shard = shard;
      this.out = out;
    }

    @Override
    public void window(
        long end, long version, Iterable<Map.Entry<K, PaneEntry<A>>> totals, @Nullable Set<K> only) {
      windowOutput.emit(
          shard, end, version, totals, only, (value, timestamp) -> out.get(mainTag).outputWithTimestamp(value, timestamp));
    }

    @Override
    public void tooLate(K key, A value) {
      if (lateTag != null) {
        out.get(lateTag).output(KV.of(key, value));
      }
    }

    @Override
    public void lateEvents(long events) {
      lateEventsDropped.inc(events);
    }

    @Override
    public void lateWindowUpdates(long updates) {
      lateWindowUpdatesDropped.inc(updates);
    }
  }

  /** {@link SlidingPanes.Store} on Beam state. */
  private static final class BeamStore<K, A> implements SlidingPanes.Store<K, A> {
    private final ValueState<SlidingPanes.Progress> progress;
    private final MapState<KV<Long, Integer>, List<KV<K, PaneEntry<A>>>> chunks;
    private final MapState<Long, Integer> chunkCounts;
    private final MapState<K, PaneEntry<A>> running;
    private final ValueState<RankingCandidates<K, A>> candidates;
    private final Timer timer;

    BeamStore(
        ValueState<SlidingPanes.Progress> progress,
        MapState<KV<Long, Integer>, List<KV<K, PaneEntry<A>>>> chunks,
        MapState<Long, Integer> chunkCounts,
        MapState<K, PaneEntry<A>> running,
        ValueState<RankingCandidates<K, A>> candidates,
        Timer timer) {
      this.progress = progress;
      this.chunks = chunks;
      this.chunkCounts = chunkCounts;
      this.running = running;
      this.candidates = candidates;
      this.timer = timer;
    }

    @Override
    public @Nullable RankingCandidates<K, A> candidates() {
      return candidates.read();
    }

    @Override
    public void setCandidates(@Nullable RankingCandidates<K, A> value) {
      if (value == null) {
        candidates.clear();
      } else {
        candidates.write(value);
      }
    }

    @Override
    public SlidingPanes.@Nullable Progress progress() {
      return progress.read();
    }

    @Override
    public void setProgress(SlidingPanes.@Nullable Progress value) {
      if (value == null) {
        progress.clear();
      } else {
        progress.write(value);
      }
    }

    @Override
    public int chunkCount(long pane) {
      Integer count = chunkCounts.get(pane).read();
      return count == null ? 0 : count;
    }

    @Override
    public void setChunkCount(long pane, int count) {
      if (count == 0) {
        chunkCounts.remove(pane);
      } else {
        chunkCounts.put(pane, count);
      }
    }

    @Override
    public Iterable<Long> panes() {
      return chunkCounts.keys().read();
    }

    @Override
    public List<KV<K, PaneEntry<A>>> chunk(long pane, int index) {
      List<KV<K, PaneEntry<A>>> chunk = chunks.get(KV.of(pane, index)).read();
      return chunk == null ? List.of() : chunk;
    }

    @Override
    public void putChunk(long pane, int index, List<KV<K, PaneEntry<A>>> entries) {
      chunks.put(KV.of(pane, index), entries);
    }

    @Override
    public void removeChunk(long pane, int index) {
      chunks.remove(KV.of(pane, index));
    }

    @Override
    public @Nullable PaneEntry<A> running(K key) {
      return running.get(key).read();
    }

    @Override
    public void putRunning(K key, PaneEntry<A> entry) {
      running.put(key, entry);
    }

    @Override
    public void removeRunning(K key) {
      running.remove(key);
    }

    @Override
    public Iterable<Map.Entry<K, PaneEntry<A>>> runningEntries() {
      return running.entries().read();
    }

    @Override
    public void clearRunning() {
      running.clear();
    }

    @Override
    public void setTimer(long firesAt, @Nullable Long holdAt) {
      Timer withHold =
          holdAt == null ? timer.withNoOutputTimestamp() : timer.withOutputTimestamp(new Instant(holdAt));
      withHold.set(new Instant(firesAt));
    }

    @Override
    public void clearTimer() {
      timer.clear();
    }
  }
}
