package dev.windowpane.transforms.windows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StructuredCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.KV;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What a shard keeps so that ranking its running window costs in proportion to the keys that
 * changed, not to the keys it holds: the exact running totals of its best keys (the candidates)
 * and a bound, a (total, key) that every other key ranks at or below. Stored as one value per
 * shard.
 *
 * <p>The invariant, kept by {@link Tracking} on every change of the running totals: each
 * candidate's entry equals its running entry, and every running key that is not a candidate ranks
 * at or below the bound in {@link Rankings#order()} (when {@code outsiders}; otherwise every
 * running key is a candidate). A key whose total changes becomes a candidate, since its total is
 * then known. So when the N-th best candidate ranks above the bound, the candidates' top N is the
 * window's top N; otherwise one scan of the running totals sets them again.
 */
final class RankingCandidates<K, A> {
  final List<KV<K, PaneEntry<A>>> entries;
  final boolean outsiders;
  final long bound;
  final @Nullable K boundKey;

  RankingCandidates(List<KV<K, PaneEntry<A>>> entries, boolean outsiders, long bound, @Nullable K boundKey) {
    this.entries = entries;
    this.outsiders = outsiders;
    this.bound = bound;
    this.boundKey = boundKey;
  }

  static <K, A> Coder<RankingCandidates<K, A>> coder(Coder<K> keyCoder, Coder<A> valueCoder) {
    return new CandidatesCoder<>(keyCoder, PaneBatch.entriesCoder(keyCoder, valueCoder));
  }

  /**
   * A shard's store whose running totals keep its {@link RankingCandidates}: the engine changes
   * the running totals through it during one call and then {@link #flush}es, and {@link #top}
   * ranks the running window. Totals are {@code Long} (the ranking's sums). The candidates are read
   * from state on the first change or ranking of a call, and written once at its end.
   */
  static final class Tracking<K, A> implements SlidingPanes.Store<K, A> {
    private final SlidingPanes.Store<K, A> store;
    private final int n;
    private final int keep;
    private @Nullable Map<K, PaneEntry<A>> candidates;
    /** Whether the candidates and the bound describe every running key (false: never ranked yet). */
    private boolean known;
    private boolean outsiders;
    private long bound;
    private @Nullable K boundKey;
    private boolean dirty;

    /** Ranks the top {@code n}, keeping {@code keep >= n} candidates between rankings. */
    Tracking(SlidingPanes.Store<K, A> store, int n, int keep) {
      this.store = store;
      this.n = n;
      this.keep = keep;
    }

    /** The top {@code n} of the running totals, best first. */
    List<Map.Entry<K, PaneEntry<A>>> top() {
      load();
      if (known) {
        List<Map.Entry<K, PaneEntry<A>>> ranked = new ArrayList<>(candidates.entrySet());
        ranked.sort(ORDER);
        if (!outsiders || (ranked.size() >= n && ranksAboveBound(ranked.get(n - 1)))) {
          if (ranked.size() > keep) {
            Map.Entry<K, PaneEntry<A>> dropped = ranked.get(keep);
            if (!outsiders || ranksAboveBound(dropped)) {
              bound = total(dropped);
              boundKey = dropped.getKey();
            }
            outsiders = true;
            for (Map.Entry<K, PaneEntry<A>> e : ranked.subList(keep, ranked.size())) {
              candidates.remove(e.getKey());
            }
            dirty = true;
          }
          return new ArrayList<>(ranked.subList(0, Math.min(n, ranked.size())));
        }
      }
      PriorityQueue<Map.Entry<K, PaneEntry<A>>> worstFirst = new PriorityQueue<>(keep + 2, ORDER.reversed());
      long count = 0;
      for (Map.Entry<K, PaneEntry<A>> e : store.runningEntries()) {
        count++;
        worstFirst.add(Map.entry(e.getKey(), e.getValue()));
        if (worstFirst.size() > keep + 1) {
          worstFirst.poll();
        }
      }
      List<Map.Entry<K, PaneEntry<A>>> ranked = new ArrayList<>(worstFirst);
      ranked.sort(ORDER);
      outsiders = count > keep;
      if (outsiders) {
        bound = total(ranked.get(keep));
        boundKey = ranked.get(keep).getKey();
        ranked = ranked.subList(0, keep);
      }
      candidates = new HashMap<>();
      for (Map.Entry<K, PaneEntry<A>> e : ranked) {
        candidates.put(e.getKey(), e.getValue());
      }
      known = true;
      dirty = true;
      return new ArrayList<>(ranked.subList(0, Math.min(n, ranked.size())));
    }

    /** Writes the candidates back (none when the shard holds no running total). */
    void flush() {
      if (!dirty) {
        return;
      }
      if (!known || (candidates.isEmpty() && !outsiders)) {
        store.setCandidates(null);
      } else {
        List<KV<K, PaneEntry<A>>> entries = new ArrayList<>(candidates.size());
        candidates.forEach((key, entry) -> entries.add(KV.of(key, entry)));
        store.setCandidates(new RankingCandidates<>(entries, outsiders, bound, outsiders ? boundKey : null));
      }
      dirty = false;
    }

    private void load() {
      if (candidates != null) {
        return;
      }
      candidates = new HashMap<>();
      RankingCandidates<K, A> stored = store.candidates();
      known = stored != null;
      if (stored != null) {
        outsiders = stored.outsiders;
        bound = stored.bound;
        boundKey = stored.boundKey;
        for (KV<K, PaneEntry<A>> e : stored.entries) {
          candidates.put(e.getKey(), e.getValue());
        }
      }
    }

    /** Whether {@code e} ranks strictly above the bound. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private boolean ranksAboveBound(Map.Entry<K, PaneEntry<A>> e) {
      long t = total(e);
      return t > bound || (t == bound && ((Comparable) e.getKey()).compareTo(boundKey) < 0);
    }

    private static long total(Map.Entry<?, ? extends PaneEntry<?>> e) {
      return (Long) e.getValue().value;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final Comparator<Map.Entry<?, ? extends PaneEntry<?>>> ORDER =
        (a, b) -> {
          int byTotal = Long.compare(total(b), total(a));
          return byTotal != 0 ? byTotal : ((Comparable) a.getKey()).compareTo(b.getKey());
        };

    @Override
    public void putRunning(K key, PaneEntry<A> entry) {
      store.putRunning(key, entry);
      load();
      if (known) {
        candidates.put(key, entry);
        dirty = true;
      }
    }

    @Override
    public void removeRunning(K key) {
      store.removeRunning(key);
      load();
      if (known && candidates.remove(key) != null) {
        dirty = true;
      }
    }

    @Override
    public void clearRunning() {
      store.clearRunning();
      candidates = new HashMap<>();
      known = true;
      outsiders = false;
      dirty = true;
    }

    @Override
    public @Nullable RankingCandidates<K, A> candidates() {
      return store.candidates();
    }

    @Override
    public void setCandidates(@Nullable RankingCandidates<K, A> value) {
      store.setCandidates(value);
    }

    @Override
    public SlidingPanes.@Nullable Progress progress() {
      return store.progress();
    }

    @Override
    public void setProgress(SlidingPanes.@Nullable Progress progress) {
      store.setProgress(progress);
    }

    @Override
    public int chunkCount(long pane) {
      return store.chunkCount(pane);
    }

    @Override
    public void setChunkCount(long pane, int count) {
      store.setChunkCount(pane, count);
    }

    @Override
    public Iterable<Long> panes() {
      return store.panes();
    }

    @Override
    public List<KV<K, PaneEntry<A>>> chunk(long pane, int index) {
      return store.chunk(pane, index);
    }

    @Override
    public void putChunk(long pane, int index, List<KV<K, PaneEntry<A>>> entries) {
      store.putChunk(pane, index, entries);
    }

    @Override
    public void removeChunk(long pane, int index) {
      store.removeChunk(pane, index);
    }

    @Override
    public @Nullable PaneEntry<A> running(K key) {
      return store.running(key);
    }

    @Override
    public Iterable<Map.Entry<K, PaneEntry<A>>> runningEntries() {
      return store.runningEntries();
    }

    @Override
    public void setTimer(long firesAt, @Nullable Long holdAt) {
      store.setTimer(firesAt, holdAt);
    }

    @Override
    public void clearTimer() {
      store.clearTimer();
    }
  }

  private static final class CandidatesCoder<K, A> extends StructuredCoder<RankingCandidates<K, A>> {
    private final Coder<K> keyCoder;
    private final ListCoder<KV<K, PaneEntry<A>>> entriesCoder;

    CandidatesCoder(Coder<K> keyCoder, ListCoder<KV<K, PaneEntry<A>>> entriesCoder) {
      this.keyCoder = keyCoder;
      this.entriesCoder = entriesCoder;
    }

    @Override
    public void encode(RankingCandidates<K, A> value, OutputStream out) throws IOException {
      entriesCoder.encode(value.entries, out);
      BooleanCoder.of().encode(value.outsiders, out);
      if (value.outsiders) {
        VarLongCoder.of().encode(value.bound, out);
        keyCoder.encode(value.boundKey, out);
      }
    }

    @Override
    public RankingCandidates<K, A> decode(InputStream in) throws IOException {
      List<KV<K, PaneEntry<A>>> entries = entriesCoder.decode(in);
      boolean outsiders = BooleanCoder.of().decode(in);
      if (!outsiders) {
        return new RankingCandidates<>(entries, false, 0, null);
      }
      long bound = VarLongCoder.of().decode(in);
      K boundKey = keyCoder.decode(in);
      return new RankingCandidates<>(entries, true, bound, boundKey);
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return Arrays.asList(keyCoder, entriesCoder);
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      entriesCoder.verifyDeterministic();
    }
  }
}
