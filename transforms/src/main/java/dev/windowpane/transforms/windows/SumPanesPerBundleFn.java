package dev.windowpane.transforms.windows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;

/**
 * Sums each key's values per pane within one bundle and emits, per shard, a single {@link
 * PaneSums} element at the end of the bundle: the shuffle that follows carries one element per
 * shard per bundle instead of one per event. O(1) per element (one hash-map update). Once per
 * window end that event time passes, every shard is sent the latest event time, data or not.
 *
 * <p>An element's timestamp is the earliest event time it holds, so that it holds the watermark
 * back until it is ranked; a heartbeat without panes carries the minimum timestamp.
 */
final class SumPanesPerBundleFn<K> extends DoFn<KV<K, Long>, KV<Integer, PaneSums<K>>> {
  private final SlidingSpec spec;
  private final int shards;
  private final Coder<K> keyCoder;

  private transient Map<Long, ShardPane<K>[]> bundle;
  private transient long cachedPane;
  private transient ShardPane<K>[] cachedShards;
  private transient long latestEventTime;
  private transient long lastHeartbeatWindowEnd;

  SumPanesPerBundleFn(SlidingSpec spec, int shards, Coder<K> keyCoder) {
    this.spec = spec;
    this.shards = shards;
    this.keyCoder = keyCoder;
  }

  /** One shard's sums for one pane, collected with mutable counters. */
  private static final class ShardPane<K> {
    final Map<K, long[]> totals = new HashMap<>();
    long events;
    long minTimestamp = Long.MAX_VALUE;
  }

  @Setup
  public void setup() {
    lastHeartbeatWindowEnd = Long.MIN_VALUE;
  }

  @StartBundle
  public void startBundle() {
    bundle = new HashMap<>();
    cachedShards = null;
    latestEventTime = Long.MIN_VALUE;
  }

  @ProcessElement
  public void processElement(@Element KV<K, Long> element, @Timestamp Instant timestamp) {
    long ts = timestamp.getMillis();
    long pane = spec.paneStart(ts);
    if (cachedShards == null || pane != cachedPane) {
      cachedPane = pane;
      cachedShards = bundle.computeIfAbsent(pane, p -> newShardArray());
    }
    int shard = shardOf(element.getKey());
    ShardPane<K> sums = cachedShards[shard];
    if (sums == null) {
      sums = new ShardPane<>();
      cachedShards[shard] = sums;
    }
    long[] total = sums.totals.get(element.getKey());
    if (total == null) {
      sums.totals.put(element.getKey(), new long[] {element.getValue()});
    } else {
      total[0] += element.getValue();
    }
    sums.events++;
    sums.minTimestamp = Math.min(sums.minTimestamp, ts);
    latestEventTime = Math.max(latestEventTime, ts);
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    boolean heartbeat = false;
    if (latestEventTime != Long.MIN_VALUE) {
      long windowEnd = spec.latestWindowEndAtOrBefore(latestEventTime);
      if (windowEnd > lastHeartbeatWindowEnd) {
        lastHeartbeatWindowEnd = windowEnd;
        heartbeat = true;
      }
    }
    for (int shard = 0; shard < shards; shard++) {
      List<PaneSums.Pane<K>> panes = new ArrayList<>();
      long minTimestamp = BoundedWindow.TIMESTAMP_MAX_VALUE.getMillis();
      for (Map.Entry<Long, ShardPane<K>[]> entry : bundle.entrySet()) {
        ShardPane<K> sums = entry.getValue()[shard];
        if (sums == null) {
          continue;
        }
        Map<K, Long> totals = new HashMap<>(sums.totals.size() * 4 / 3 + 1);
        sums.totals.forEach((key, total) -> totals.put(key, total[0]));
        panes.add(new PaneSums.Pane<>(entry.getKey(), sums.events, totals));
        minTimestamp = Math.min(minTimestamp, sums.minTimestamp);
      }
      if (!panes.isEmpty() || heartbeat) {
        context.output(
            KV.of(shard, new PaneSums<>(panes, latestEventTime)),
            panes.isEmpty() ? BoundedWindow.TIMESTAMP_MIN_VALUE : new Instant(minTimestamp),
            GlobalWindow.INSTANCE);
      }
    }
    bundle = null;
    cachedShards = null;
  }

  @SuppressWarnings("unchecked")
  private ShardPane<K>[] newShardArray() {
    return (ShardPane<K>[]) new ShardPane<?>[shards];
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
