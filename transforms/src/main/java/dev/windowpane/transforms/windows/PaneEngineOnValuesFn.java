package dev.windowpane.transforms.windows;

import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * {@link SlidingPanes} on value state only, for a portable runner: Beam 2.62's Flink job server
 * serves bag user state (on which the SDK harness builds value state) and no map state, and its SDK
 * harness gives no input watermark in a DoFn. It therefore runs bounded pipelines in batch mode
 * only ({@link PreAggregatePanes#readsWatermark}), where the runner fires a key's timers after all
 * of its input: nothing is late, each batch is added with the watermark at the start of time, and
 * a timer's callback takes its own time, which the watermark has passed, as the watermark. The
 * results are those of {@link PaneEngineFn}.
 *
 * <p>Cost: each batch and each timer reads the shard's panes and running totals whole and writes
 * them back, O(shard state) where {@link PaneEngineFn} touches only the panes it needs.
 */
final class PaneEngineOnValuesFn<K, A, OutT> extends DoFn<KV<Integer, PaneBatch<K, A>>, OutT> {
  private final SlidingPanes<K, A> engine;
  private final PaneEngineFn.WindowOutput<K, A, OutT> windowOutput;
  private final TupleTag<OutT> mainTag;
  private final @Nullable TupleTag<KV<K, A>> lateTag;
  private final Counter lateEventsDropped = Metrics.counter("windowpane", "lateEventsDropped");
  private final Counter lateWindowUpdatesDropped =
      Metrics.counter("windowpane", "lateWindowUpdatesDropped");

  @StateId("progress")
  private final StateSpec<ValueState<SlidingPanes.Progress>> progressSpec =
      StateSpecs.value(SlidingPanes.Progress.ProgressCoder.INSTANCE);

  @StateId("chunks")
  private final StateSpec<ValueState<Map<KV<Long, Integer>, List<KV<K, PaneEntry<A>>>>>> chunksSpec;

  @StateId("chunkCounts")
  private final StateSpec<ValueState<Map<Long, Integer>>> chunkCountsSpec =
      StateSpecs.value(MapCoder.of(VarLongCoder.of(), VarIntCoder.of()));

  @StateId("running")
  private final StateSpec<ValueState<Map<K, PaneEntry<A>>>> runningSpec;

  @TimerId("windowEnd")
  private final TimerSpec windowEndSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

  PaneEngineOnValuesFn(
      SlidingPanes<K, A> engine,
      Coder<K> keyCoder,
      Coder<A> valueCoder,
      PaneEngineFn.WindowOutput<K, A, OutT> windowOutput,
      TupleTag<OutT> mainTag,
      @Nullable TupleTag<KV<K, A>> lateTag) {
    this.engine = engine;
    this.windowOutput = windowOutput;
    this.mainTag = mainTag;
    this.lateTag = lateTag;
    this.chunksSpec =
        StateSpecs.value(
            MapCoder.of(
                KvCoder.of(VarLongCoder.of(), VarIntCoder.of()), PaneBatch.entriesCoder(keyCoder, valueCoder)));
    this.runningSpec = StateSpecs.value(MapCoder.of(keyCoder, PaneEntry.coder(valueCoder)));
  }

  /** As {@link PaneEngineFn#getAllowedTimestampSkew()}. */
  @Override
  @SuppressWarnings("deprecation")
  public Duration getAllowedTimestampSkew() {
    return Duration.millis(Long.MAX_VALUE);
  }

  @ProcessElement
  public void processElement(
      @Element KV<Integer, PaneBatch<K, A>> element,
      @StateId("progress") ValueState<SlidingPanes.Progress> progress,
      @StateId("chunks") ValueState<Map<KV<Long, Integer>, List<KV<K, PaneEntry<A>>>>> chunks,
      @StateId("chunkCounts") ValueState<Map<Long, Integer>> chunkCounts,
      @StateId("running") ValueState<Map<K, PaneEntry<A>>> running,
      @TimerId("windowEnd") Timer windowEnd,
      MultiOutputReceiver out) {
    ValuesStore<K, A> store = new ValuesStore<>(progress, chunks, chunkCounts, running, windowEnd);
    engine.add(store, sink(element.getKey(), out), element.getValue(), BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis());
    store.write();
  }

  @OnTimer("windowEnd")
  public void onWindowEnd(
      @Key Integer shard,
      @StateId("progress") ValueState<SlidingPanes.Progress> progress,
      @StateId("chunks") ValueState<Map<KV<Long, Integer>, List<KV<K, PaneEntry<A>>>>> chunks,
      @StateId("chunkCounts") ValueState<Map<Long, Integer>> chunkCounts,
      @StateId("running") ValueState<Map<K, PaneEntry<A>>> running,
      @TimerId("windowEnd") Timer windowEnd,
      MultiOutputReceiver out) {
    ValuesStore<K, A> store = new ValuesStore<>(progress, chunks, chunkCounts, running, windowEnd);
    engine.onTimer(store, sink(shard, out), windowEnd.getCurrentRelativeTime().getMillis());
    store.write();
  }

  private PaneEngineFn.BeamSink<K, A, OutT> sink(int shard, MultiOutputReceiver out) {
    return new PaneEngineFn.BeamSink<>(
        windowOutput, mainTag, lateTag, lateEventsDropped, lateWindowUpdatesDropped, shard, out);
  }

  /** A shard's state read whole from value state into a {@link MemoryStore}, written back by {@link #write()}. */
  private static final class ValuesStore<K, A> extends MemoryStore<K, A> {
    private final ValueState<SlidingPanes.Progress> progressState;
    private final ValueState<Map<KV<Long, Integer>, List<KV<K, PaneEntry<A>>>>> chunksState;
    private final ValueState<Map<Long, Integer>> chunkCountsState;
    private final ValueState<Map<K, PaneEntry<A>>> runningState;
    private final Timer timer;

    ValuesStore(
        ValueState<SlidingPanes.Progress> progressState,
        ValueState<Map<KV<Long, Integer>, List<KV<K, PaneEntry<A>>>>> chunksState,
        ValueState<Map<Long, Integer>> chunkCountsState,
        ValueState<Map<K, PaneEntry<A>>> runningState,
        Timer timer) {
      super(progressState.read(), chunkCountsState.read(), chunksState.read(), runningState.read());
      this.progressState = progressState;
      this.chunksState = chunksState;
      this.chunkCountsState = chunkCountsState;
      this.runningState = runningState;
      this.timer = timer;
    }

    /** Writes the state back; an empty value is cleared. */
    void write() {
      if (progress == null) {
        progressState.clear();
      } else {
        progressState.write(progress);
      }
      write(chunksState, chunks);
      write(chunkCountsState, chunkCounts);
      write(runningState, running);
    }

    private static <X, Y> void write(ValueState<Map<X, Y>> state, Map<X, Y> map) {
      if (map.isEmpty()) {
        state.clear();
      } else {
        state.write(map);
      }
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
