package dev.windowpane.transforms.windows;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.KV;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@link SlidingPanes.Store} in Java maps: a shard's state held whole in memory, the timer left to
 * the subclass. {@link PaneEngineOnValuesFn} loads it from Beam value state and writes it back; the
 * engine's tests keep it as it is.
 */
abstract class MemoryStore<K, A> implements SlidingPanes.Store<K, A> {
  SlidingPanes.@Nullable Progress progress;
  final Map<Long, Integer> chunkCounts;
  final Map<KV<Long, Integer>, List<KV<K, PaneEntry<A>>>> chunks;
  final Map<K, PaneEntry<A>> running;
  @Nullable RankingCandidates<K, A> candidates;

  MemoryStore() {
    this(null, null, null, null);
  }

  /** A store holding copies of the given state (null: none). */
  MemoryStore(
      SlidingPanes.@Nullable Progress progress,
      @Nullable Map<Long, Integer> chunkCounts,
      @Nullable Map<KV<Long, Integer>, List<KV<K, PaneEntry<A>>>> chunks,
      @Nullable Map<K, PaneEntry<A>> running) {
    this.progress = progress;
    this.chunkCounts = chunkCounts == null ? new HashMap<>() : new HashMap<>(chunkCounts);
    this.chunks = chunks == null ? new HashMap<>() : new HashMap<>(chunks);
    this.running = running == null ? new HashMap<>() : new HashMap<>(running);
  }

  @Override
  public SlidingPanes.@Nullable Progress progress() {
    return progress;
  }

  @Override
  public void setProgress(SlidingPanes.@Nullable Progress value) {
    progress = value;
  }

  @Override
  public int chunkCount(long pane) {
    return chunkCounts.getOrDefault(pane, 0);
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
    return new ArrayList<>(chunkCounts.keySet());
  }

  @Override
  public List<KV<K, PaneEntry<A>>> chunk(long pane, int index) {
    return chunks.getOrDefault(KV.of(pane, index), List.of());
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
    return running.get(key);
  }

  @Override
  public void putRunning(K key, PaneEntry<A> entry) {
    running.put(key, entry);
  }

  @Override
  public void removeRunning(K key) {
    running.remove(key);
  }

  /** A snapshot: the engine may change the running totals while it reads them. */
  @Override
  public Iterable<Map.Entry<K, PaneEntry<A>>> runningEntries() {
    List<Map.Entry<K, PaneEntry<A>>> entries = new ArrayList<>(running.size());
    running.forEach((key, entry) -> entries.add(new AbstractMap.SimpleImmutableEntry<>(key, entry)));
    return entries;
  }

  @Override
  public void clearRunning() {
    running.clear();
  }

  @Override
  public @Nullable RankingCandidates<K, A> candidates() {
    return candidates;
  }

  @Override
  public void setCandidates(@Nullable RankingCandidates<K, A> value) {
    candidates = value;
  }
}
