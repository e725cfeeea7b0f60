package dev.windowpane.transforms.windows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The one pane engine of the sliding transforms, apart from Beam's state API so that it can be
 * tested on its own. It runs per shard (a group of keys) and keeps, per pane (the gcd of window
 * size and period), what each batch added, as an append-only list of chunks; for an invertible
 * aggregation also each key's running aggregate of the last window it computed.
 *
 * <p>Lateness is decided exactly as Beam's own {@code GroupByKey} decides it, with the same input
 * watermark that a {@code GroupByKey} in its place would read: window {@code [end - size, end)} is
 * past its end when the watermark is at or after {@code end}, and closed when {@code end - 1 +
 * allowedLateness} is before the watermark. A batch's pane counts in each of its windows that is
 * not closed; a window it could no longer change is counted per event in {@code
 * lateWindowUpdates}; a pane whose every window is closed is counted in {@code lateEvents} and
 * handed to {@link Sink#tooLate}.
 *
 * <p>Two ways to emit: {@link Emit#ON_TIME_AND_LATE} emits each window with data once the
 * watermark passes its end and again, complete, whenever a later batch changes it while it is not
 * closed; {@link Emit#WHEN_FINAL} emits each window once, when it closes. Every emission carries a
 * version number, increasing per shard, so that a later emission of a window replaces an earlier.
 *
 * <p>Cost: per batch, O(entries it carries) state writes (one chunk per pane, plus the running
 * entries of the keys it carries when their pane is in the running window). Per window end, for
 * an invertible aggregation, O(entries of the panes that enter and leave); otherwise
 * O(entries of the window's panes). A window end does not look at keys that have no data in it.
 * A pane is deleted once all of its windows are closed; after the watermark passes the last
 * window of the last pane, no state and no timer is left.
 */
final class SlidingPanes<K, A> implements Serializable {
  private static final long serialVersionUID = 1L;
  static final long NONE = Long.MIN_VALUE;
  private static final long MIN_TIME = BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis();
  private static final long MAX_TIME = BoundedWindow.TIMESTAMP_MAX_VALUE.getMillis();
  private static final long LAST_TIMER = GlobalWindow.INSTANCE.maxTimestamp().getMillis();

  enum Emit {
    ON_TIME_AND_LATE,
    WHEN_FINAL
  }

  /**
   * The state of one shard. Absent values read as {@code null} or 0. The engine never changes an
   * object it read: a runner may share it with a checkpoint being written (Flink's heap backend
   * with Beam's {@code fasterCopy}).
   */
  interface Store<K, A> {
    @Nullable Progress progress();

    void setProgress(@Nullable Progress progress);

    int chunkCount(long pane);

    /** Sets the number of chunks of a pane; 0 forgets the pane. */
    void setChunkCount(long pane, int count);

    /** The live panes, in any order. */
    Iterable<Long> panes();

    List<KV<K, PaneEntry<A>>> chunk(long pane, int index);

    void putChunk(long pane, int index, List<KV<K, PaneEntry<A>>> entries);

    void removeChunk(long pane, int index);

    @Nullable PaneEntry<A> running(K key);

    void putRunning(K key, PaneEntry<A> entry);

    void removeRunning(K key);

    Iterable<Map.Entry<K, PaneEntry<A>>> runningEntries();

    void clearRunning();

    /** The shard's {@link RankingCandidates}, or null when it keeps none. */
    default @Nullable RankingCandidates<K, A> candidates() {
      return null;
    }

    /** Keeps the shard's {@link RankingCandidates}; a store that keeps none ranks by a scan each time. */
    default void setCandidates(@Nullable RankingCandidates<K, A> candidates) {}

    /** Sets the shard's one timer; {@code holdAt} null means no output watermark hold. */
    void setTimer(long firesAt, @Nullable Long holdAt);

    void clearTimer();
  }

  /** Where the engine's results and counts go. */
  interface Sink<K, A> {
    /**
     * Window {@code [end - size, end)}: each key with data in it and its aggregate. {@code only}
     * is null for a complete emission, or the keys a late batch changed (the totals then hold at
     * least those keys).
     */
    void window(long end, long version, Iterable<Map.Entry<K, PaneEntry<A>>> totals, @Nullable Set<K> only);

    /** A key's aggregate of a pane whose every window was closed. */
    void tooLate(K key, A value);

    void lateEvents(long events);

    void lateWindowUpdates(long updates);
  }

  private final SlidingSpec spec;
  private final long lateness;
  private final PaneAggregation<?, A> aggregation;
  private final Emit emit;
  private final boolean refineChangedKeysOnly;
  private final int shards;
  private final int rankTop;

  /**
   * The engine for windows of {@code spec} on keys spread over {@code shards} shards; {@code
   * refineChangedKeysOnly} hands a late emission only the keys the late batch changed (for per-key
   * results), else every key of the window (for rankings). With {@code rankTop > 0} (sums of
   * longs only) the running window is handed to the sink as its top {@code rankTop} alone, kept
   * with {@link RankingCandidates}, so that a window end costs in proportion to the keys that
   * changed rather than to the keys the shard holds.
   */
  SlidingPanes(
      SlidingSpec spec,
      long allowedLatenessMillis,
      PaneAggregation<?, A> aggregation,
      Emit emit,
      boolean refineChangedKeysOnly,
      int shards,
      int rankTop) {
    this.shards = shards;
    this.rankTop = rankTop;
    this.spec = spec;
    this.lateness = allowedLatenessMillis;
    this.aggregation = aggregation;
    this.emit = emit;
    this.refineChangedKeysOnly = refineChangedKeysOnly;
  }

  /** Candidates kept with the running totals, when this engine ranks. */
  private static final int CANDIDATES_PER_RANK = 4;

  /** Adds a batch that arrived with the shard's input watermark at {@code watermark}. */
  void add(Store<K, A> store, Sink<K, A> sink, PaneBatch<K, A> batch, long watermark) {
    if (rankTop > 0) {
      RankingCandidates.Tracking<K, A> tracking =
          new RankingCandidates.Tracking<>(store, rankTop, CANDIDATES_PER_RANK * rankTop);
      addBatch(tracking, sink, batch, watermark);
      tracking.flush();
    } else {
      addBatch(store, sink, batch, watermark);
    }
  }

  /** The shard's timer fired; {@code watermark} is its input watermark. */
  void onTimer(Store<K, A> store, Sink<K, A> sink, long watermark) {
    if (rankTop > 0) {
      RankingCandidates.Tracking<K, A> tracking =
          new RankingCandidates.Tracking<>(store, rankTop, CANDIDATES_PER_RANK * rankTop);
      timerFired(tracking, sink, watermark);
      tracking.flush();
    } else {
      timerFired(store, sink, watermark);
    }
  }

  private void addBatch(Store<K, A> store, Sink<K, A> sink, PaneBatch<K, A> batch, long watermark) {
    long w = clamp(watermark);
    Progress stored = store.progress();
    Progress p = stored == null ? new Progress() : stored.copy();
    checkShards(p);
    long closed = closedThrough(w);
    // Windows already due are emitted first, so that none of them takes data that came too late.
    emitDue(store, sink, p, dueThrough(w));
    long emittedThrough = p.lastDue;
    long period = spec.periodMillis();
    TreeMap<Long, Set<K>> refinements = new TreeMap<>();
    for (PaneBatch.Pane<K, A> pane : batch.panes) {
      long start = pane.start;
      long first = spec.firstWindowEnd(start);
      long last = spec.lastWindowEnd(start);
      long firstOpen = Math.max(first, spec.latestWindowEndAtOrBefore(closed) + period);
      if (firstOpen > last) {
        for (KV<K, PaneEntry<A>> entry : pane.entries) {
          sink.tooLate(entry.getKey(), entry.getValue().value);
        }
        sink.lateEvents(pane.events);
        continue;
      }
      long closedWindows = (firstOpen - first) / period;
      if (closedWindows > 0) {
        sink.lateWindowUpdates(saturatedProduct(closedWindows, pane.events));
      }
      int index = store.chunkCount(start);
      store.putChunk(start, index, pane.entries);
      store.setChunkCount(start, index + 1);
      p.minPane = p.minPane == NONE ? start : Math.min(p.minPane, start);
      p.maxPane = p.maxPane == NONE ? start : Math.max(p.maxPane, start);
      if (aggregation.invertible()
          && p.runTo != NONE
          && start >= p.runTo - spec.sizeMillis()
          && start < p.runTo) {
        for (KV<K, PaneEntry<A>> entry : pane.entries) {
          addToRunning(store, entry.getKey(), entry.getValue());
        }
      }
      if (emit == Emit.ON_TIME_AND_LATE) {
        for (long end = firstOpen; end <= Math.min(last, emittedThrough); end += period) {
          Set<K> keys = refinements.computeIfAbsent(end, e -> new HashSet<>());
          if (refineChangedKeysOnly) {
            for (KV<K, PaneEntry<A>> entry : pane.entries) {
              keys.add(entry.getKey());
            }
          }
        }
      }
    }
    for (Map.Entry<Long, Set<K>> refinement : refinements.entrySet()) {
      emitWindow(store, sink, p, refinement.getKey(), refinement.getValue());
    }
    finish(store, p, w, closed, false);
  }

  private void timerFired(Store<K, A> store, Sink<K, A> sink, long watermark) {
    long w = clamp(watermark);
    Progress stored = store.progress();
    if (stored == null) {
      return;
    }
    Progress p = stored.copy();
    checkShards(p);
    p.timerAt = NONE;
    p.timerHold = NONE;
    emitDue(store, sink, p, dueThrough(w));
    finish(store, p, w, closedThrough(w), true);
  }

  /** The latest window end whose emission is due at watermark {@code w}. */
  private long dueThrough(long w) {
    return spec.latestWindowEndAtOrBefore(emit == Emit.ON_TIME_AND_LATE ? w : closedThrough(w));
  }

  /** Windows ending at or before this are closed at watermark {@code w}. */
  private long closedThrough(long w) {
    if (w > LAST_TIMER) {
      // As in Beam, every window expires when the watermark passes the end of the global window.
      return MAX_TIME;
    }
    return lateness > w - MIN_TIME ? MIN_TIME : w - lateness;
  }

  /** When the emission of the window ending at {@code end} is due. */
  private long dueAt(long end) {
    return emit == Emit.ON_TIME_AND_LATE ? end : end + Math.min(lateness, MAX_TIME - end);
  }

  private void emitDue(Store<K, A> store, Sink<K, A> sink, Progress p, long due) {
    if (p.lastDue == NONE) {
      p.lastDue = due;
      return;
    }
    if (due <= p.lastDue) {
      return;
    }
    if (p.minPane != NONE) {
      long from = Math.max(p.lastDue + spec.periodMillis(), spec.firstWindowEnd(p.minPane));
      long to = Math.min(due, spec.lastWindowEnd(p.maxPane));
      for (long end = from; end <= to; end += spec.periodMillis()) {
        emitWindow(store, sink, p, end, null);
      }
    }
    p.lastDue = due;
  }

  private void emitWindow(Store<K, A> store, Sink<K, A> sink, Progress p, long end, @Nullable Set<K> only) {
    Iterable<Map.Entry<K, PaneEntry<A>>> totals;
    if (aggregation.invertible() && (p.runTo == NONE || end >= p.runTo)) {
      moveRunning(store, p, end);
      totals = store instanceof RankingCandidates.Tracking
          ? ((RankingCandidates.Tracking<K, A>) store).top()
          : store.runningEntries();
    } else {
      totals = sumPanes(store, p, end, refineChangedKeysOnly ? only : null).entrySet();
    }
    p.version++;
    sink.window(end, p.version, totals, refineChangedKeysOnly ? only : null);
  }

  /** Moves the running aggregates to the window ending at {@code end}: leaving panes out, entering in. */
  private void moveRunning(Store<K, A> store, Progress p, long end) {
    long size = spec.sizeMillis();
    if (p.runTo == end) {
      return;
    }
    if (p.runTo == NONE || p.runTo <= end - size) {
      store.clearRunning();
      forEachEntry(store, p, end - size, end, (key, entry) -> addToRunning(store, key, entry));
    } else {
      // Each key's leaving and entering entries merged first, so that a key in both is read and
      // written once.
      Map<K, PaneEntry<A>> leaving = new HashMap<>();
      Map<K, PaneEntry<A>> entering = new HashMap<>();
      forEachEntry(store, p, p.runTo - size, end - size, (key, entry) -> merge(leaving, key, entry));
      forEachEntry(store, p, p.runTo, end, (key, entry) -> merge(entering, key, entry));
      for (Map.Entry<K, PaneEntry<A>> leave : leaving.entrySet()) {
        K key = leave.getKey();
        PaneEntry<A> running = store.running(key);
        if (running == null) {
          throw new IllegalStateException("A pane leaves the running window of key " + key + " it never entered.");
        }
        PaneEntry<A> left = subtracted(key, running, leave.getValue());
        PaneEntry<A> enter = entering.remove(key);
        PaneEntry<A> result = enter == null ? left : left == null ? enter : added(key, left, enter);
        if (result == null) {
          store.removeRunning(key);
        } else {
          store.putRunning(key, result);
        }
      }
      entering.forEach((key, entry) -> addToRunning(store, key, entry));
    }
    p.runTo = end;
  }

  /** Adds {@code entry} to {@code key}'s entry in {@code into}. */
  private void merge(Map<K, PaneEntry<A>> into, K key, PaneEntry<A> entry) {
    PaneEntry<A> sum = into.get(key);
    into.put(key, sum == null ? entry : added(key, sum, entry));
  }

  private PaneEntry<A> added(K key, PaneEntry<A> a, PaneEntry<A> b) {
    try {
      return new PaneEntry<>(aggregation.mergeInto(aggregation.copy(a.value), b.value), a.events + b.events);
    } catch (ArithmeticException e) {
      throw Overflow.of(key, e);
    }
  }

  /** {@code running} without {@code leave}, or null when no event of it is left. */
  private @Nullable PaneEntry<A> subtracted(K key, PaneEntry<A> running, PaneEntry<A> leave) {
    long events = running.events - leave.events;
    if (events <= 0) {
      return null;
    }
    try {
      return new PaneEntry<>(aggregation.subtractFrom(aggregation.copy(running.value), leave.value), events);
    } catch (ArithmeticException e) {
      throw Overflow.of(key, e);
    }
  }

  private void addToRunning(Store<K, A> store, K key, PaneEntry<A> entry) {
    PaneEntry<A> running = store.running(key);
    try {
      store.putRunning(
          key,
          running == null
              ? entry
              : new PaneEntry<>(
                  aggregation.mergeInto(aggregation.copy(running.value), entry.value),
                  running.events + entry.events));
    } catch (ArithmeticException e) {
      throw Overflow.of(key, e);
    }
  }

  /** Each key's aggregate over the panes of the window ending at {@code end} (only the given keys). */
  private Map<K, PaneEntry<A>> sumPanes(Store<K, A> store, Progress p, long end, @Nullable Set<K> only) {
    Map<K, PaneEntry<A>> totals = new HashMap<>();
    forEachEntry(
        store,
        p,
        end - spec.sizeMillis(),
        end,
        (key, entry) -> {
          if (only != null && !only.contains(key)) {
            return;
          }
          PaneEntry<A> total = totals.get(key);
          try {
            totals.put(
                key,
                total == null
                    ? new PaneEntry<>(aggregation.copy(entry.value), entry.events)
                    : new PaneEntry<>(
                        aggregation.mergeInto(total.value, entry.value), total.events + entry.events));
          } catch (ArithmeticException e) {
            throw Overflow.of(key, e);
          }
        });
    return totals;
  }

  private interface EntryVisitor<K, A> {
    void visit(K key, PaneEntry<A> entry);
  }

  /** Visits every entry of the live panes starting in {@code [from, to)}. */
  private void forEachEntry(Store<K, A> store, Progress p, long from, long to, EntryVisitor<K, A> visitor) {
    if (p.minPane == NONE) {
      return;
    }
    long first = Math.max(spec.paneStart(from), p.minPane);
    long last = Math.min(to - 1, p.maxPane);
    for (long pane = first; pane <= last; pane += spec.paneMillis()) {
      int chunks = store.chunkCount(pane);
      for (int i = 0; i < chunks; i++) {
        for (KV<K, PaneEntry<A>> entry : store.chunk(pane, i)) {
          visitor.visit(entry.getKey(), entry.getValue());
        }
      }
    }
  }

  /**
   * Forgets what no open window needs, then sets the timer for what comes next. A timer that has
   * just fired is not cleared again: the DirectRunner then also releases the output watermark hold
   * of an identical timer of another shard.
   */
  private void finish(Store<K, A> store, Progress p, long w, long closed, boolean timerFired) {
    if (p.minPane != NONE && spec.lastWindowEnd(p.maxPane) <= closed && p.lastDue >= spec.lastWindowEnd(p.maxPane)) {
      for (Long pane : store.panes()) {
        removePane(store, pane);
      }
      store.clearRunning();
      if (!timerFired) {
        store.clearTimer();
      }
      store.setProgress(null);
      return;
    }
    long size = spec.sizeMillis();
    while (p.minPane != NONE
        && p.minPane <= p.maxPane
        && spec.lastWindowEnd(p.minPane) <= closed
        && (p.runTo == NONE || p.minPane < p.runTo - size)) {
      removePane(store, p.minPane);
      p.minPane = nextLivePane(store, p.minPane);
    }
    if (p.minPane == NONE) {
      // No pane is left, so every window this shard emitted is closed: forget the shard.
      store.clearRunning();
      if (!timerFired) {
        store.clearTimer();
      }
      store.setProgress(null);
      return;
    }
    long next = Math.max(p.lastDue + spec.periodMillis(), spec.firstWindowEnd(p.minPane));
    long firesAt;
    long holdAt;
    if (next <= spec.lastWindowEnd(p.maxPane)) {
      firesAt = Math.min(dueAt(next), LAST_TIMER);
      holdAt = Math.min(next - 1, firesAt);
    } else {
      // Every window is out; what is left waits for its last window to close.
      long lastEnd = spec.lastWindowEnd(p.maxPane);
      firesAt = Math.min(lastEnd + Math.min(lateness, MAX_TIME - lastEnd), LAST_TIMER);
      holdAt = NONE;
    }
    if (firesAt <= w) {
      // Only at the end of time, where the runner expires all state of the global window.
      store.setProgress(p);
      return;
    }
    if (firesAt != p.timerAt || holdAt != p.timerHold) {
      store.setTimer(firesAt, holdAt == NONE ? null : holdAt);
      p.timerAt = firesAt;
      p.timerHold = holdAt;
    }
    store.setProgress(p);
  }

  /**
   * A shard's state holds the keys of one shard count: a run restored from state written with
   * another count would count keys in two shards, so it stops instead.
   */
  private void checkShards(Progress p) {
    if (p.shards == 0) {
      p.shards = shards;
    } else if (p.shards != shards) {
      throw new IllegalStateException(
          "The restored state spreads the keys over " + p.shards + " shards and this run over "
              + shards + " (the default follows the parallelism): resume with the parallelism of"
              + " the run that wrote it, or set the shards to " + p.shards + " (withShards).");
    }
  }

  private void removePane(Store<K, A> store, long pane) {
    int chunks = store.chunkCount(pane);
    for (int i = 0; i < chunks; i++) {
      store.removeChunk(pane, i);
    }
    store.setChunkCount(pane, 0);
  }

  /** The earliest live pane after {@code pane}, or NONE. */
  private long nextLivePane(Store<K, A> store, long pane) {
    long following = pane + spec.paneMillis();
    if (store.chunkCount(following) > 0) {
      return following;
    }
    long next = NONE;
    for (Long live : store.panes()) {
      if (live > pane && (next == NONE || live < next)) {
        next = live;
      }
    }
    return next;
  }

  private static long clamp(long watermark) {
    return Math.max(MIN_TIME, Math.min(MAX_TIME, watermark));
  }

  private static long saturatedProduct(long a, long b) {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** Where a shard stands: the windows that are due, the running window and the live panes. */
  static final class Progress {
    /** Windows ending at or before this have been emitted (when they had data). */
    long lastDue = NONE;
    /** The end of the window the running aggregates hold, or NONE. */
    long runTo = NONE;
    long minPane = NONE;
    long maxPane = NONE;
    long timerAt = NONE;
    long timerHold = NONE;
    long version;
    /** The shard count of the batches this state holds (0: none yet). */
    int shards;

    Progress copy() {
      Progress c = new Progress();
      c.lastDue = lastDue;
      c.runTo = runTo;
      c.minPane = minPane;
      c.maxPane = maxPane;
      c.timerAt = timerAt;
      c.timerHold = timerHold;
      c.version = version;
      c.shards = shards;
      return c;
    }

    static final class ProgressCoder extends AtomicCoder<Progress> {
      static final ProgressCoder INSTANCE = new ProgressCoder();
      private static final VarLongCoder LONG = VarLongCoder.of();

      @Override
      public void encode(Progress p, OutputStream out) throws IOException {
        for (long v : new long[] {p.lastDue, p.runTo, p.minPane, p.maxPane, p.timerAt, p.timerHold, p.version}) {
          LONG.encode(v, out);
        }
        LONG.encode((long) p.shards, out);
      }

      @Override
      public Progress decode(InputStream in) throws IOException {
        Progress p = new Progress();
        p.lastDue = LONG.decode(in);
        p.runTo = LONG.decode(in);
        p.minPane = LONG.decode(in);
        p.maxPane = LONG.decode(in);
        p.timerAt = LONG.decode(in);
        p.timerHold = LONG.decode(in);
        p.version = LONG.decode(in);
        p.shards = (int) (long) LONG.decode(in);
        return p;
      }
    }
  }
}
