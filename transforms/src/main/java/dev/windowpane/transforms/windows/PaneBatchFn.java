package dev.windowpane.transforms.windows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;

/**
 * The pre-aggregation of the pane engine: within one bundle, aggregates each key's inputs per pane
 * and emits, at the end of the bundle, one {@link PaneBatch} per shard that received data, stamped
 * with the earliest event time it holds so that it holds the watermark until the engine has it.
 * O(1) per element (one hash-map update). It decides nothing about lateness: runners pass the
 * watermark on only after a bundle ends, so the engine judges a batch by the watermark from before
 * its bundle began. On the DirectRunner that is the watermark its events would have met at a
 * shuffle in this place. The Flink runner keeps a bundle open for up to {@code maxBundleSize}
 * elements or {@code maxBundleTimeMills}; an element that arrives behind the watermark during an
 * open bundle may still count in windows where Beam's built-in windows (whose window assignment
 * Flink does not bundle) already drop it. It is never the other way round: nothing the built-in
 * windows count is dropped.
 *
 * <p>On the DirectRunner a stateful step reads its input through a {@code GroupByKey}, which
 * restamps an element behind its watermark with the end of the global window, so a batch of events
 * that were already behind the watermark at the source holds the engine's watermark no longer once
 * it has passed that shuffle; with a source that runs in real time (not {@code TestStream}, which
 * the DirectRunner advances only when the pipeline is idle), the engine then judges it by the
 * watermark it meets on arrival, later than the one Beam's windows in its place would have used.
 * On the Flink runner watermarks travel in order with the data, and this does not happen.
 */
final class PaneBatchFn<K, InputT, A> extends DoFn<KV<K, InputT>, KV<Integer, PaneBatch<K, A>>> {
  private final SlidingSpec spec;
  private final int shards;
  private final Coder<K> keyCoder;
  private final PaneAggregation<InputT, A> aggregation;

  private transient Map<Long, ShardPane<K, A>[]> bundle;
  private transient long cachedPane;
  private transient ShardPane<K, A>[] cachedShards;

  PaneBatchFn(SlidingSpec spec, int shards, Coder<K> keyCoder, PaneAggregation<InputT, A> aggregation) {
    this.spec = spec;
    this.shards = shards;
    this.keyCoder = keyCoder;
    this.aggregation = aggregation;
  }

  /** One shard's aggregates for one pane within the bundle. */
  private static final class ShardPane<K, A> {
    final Map<K, Accumulating<A>> keys = new HashMap<>();
    long events;
    long minTimestamp = Long.MAX_VALUE;
  }

  private static final class Accumulating<A> {
    A value;
    long events;
  }

  @StartBundle
  public void startBundle() {
    bundle = new HashMap<>();
    cachedShards = null;
  }

  @ProcessElement
  public void processElement(@Element KV<K, InputT> element, @Timestamp Instant timestamp) {
    long ts = timestamp.getMillis();
    long pane = spec.paneStart(ts);
    if (cachedShards == null || pane != cachedPane) {
      cachedPane = pane;
      cachedShards = bundle.computeIfAbsent(pane, p -> newShardArray());
    }
    K key = element.getKey();
    int shard = shardOf(key);
    ShardPane<K, A> sums = cachedShards[shard];
    if (sums == null) {
      sums = new ShardPane<>();
      cachedShards[shard] = sums;
    }
    Accumulating<A> acc = sums.keys.computeIfAbsent(key, k -> new Accumulating<>());
    try {
      acc.value = aggregation.addInput(acc.value, element.getValue());
    } catch (ArithmeticException e) {
      throw Overflow.of(key, e);
    }
    acc.events++;
    sums.events++;
    sums.minTimestamp = Math.min(sums.minTimestamp, ts);
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    for (int shard = 0; shard < shards; shard++) {
      List<PaneBatch.Pane<K, A>> panes = new ArrayList<>();
      long minTimestamp = Long.MAX_VALUE;
      for (Map.Entry<Long, ShardPane<K, A>[]> entry : bundle.entrySet()) {
        ShardPane<K, A> sums = entry.getValue()[shard];
        if (sums == null) {
          continue;
        }
        List<KV<K, PaneEntry<A>>> entries = new ArrayList<>(sums.keys.size());
        sums.keys.forEach((key, acc) -> entries.add(KV.of(key, new PaneEntry<>(acc.value, acc.events))));
        panes.add(new PaneBatch.Pane<>(entry.getKey(), sums.events, entries));
        minTimestamp = Math.min(minTimestamp, sums.minTimestamp);
      }
      if (!panes.isEmpty()) {
        context.output(
            KV.of(shard, new PaneBatch<>(panes)), new Instant(minTimestamp), GlobalWindow.INSTANCE);
      }
    }
    bundle = null;
    cachedShards = null;
  }

  @SuppressWarnings("unchecked")
  private ShardPane<K, A>[] newShardArray() {
    return (ShardPane<K, A>[]) new ShardPane<?, ?>[shards];
  }

  /**
   * A shard that is the same in every JVM and after a restore: strings and boxed integers hash by
   * their specified {@code hashCode}, anything else by its encoded bytes.
   */
  private int shardOf(K key) {
    int h;
    if (key instanceof String || key instanceof Long || key instanceof Integer) {
      h = key.hashCode();
    } else {
      try {
        h = Arrays.hashCode(CoderUtils.encodeToByteArray(keyCoder, key));
      } catch (CoderException e) {
        throw new IllegalStateException("Cannot encode key " + key + " to choose its shard.", e);
      }
    }
    h ^= h >>> 16;
    h *= 0x45d9f3b;
    h ^= h >>> 16;
    return Math.floorMod(h, shards);
  }
}
