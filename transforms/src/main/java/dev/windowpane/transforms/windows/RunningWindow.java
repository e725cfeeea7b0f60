package dev.windowpane.transforms.windows;

import java.io.Serializable;
import org.apache.beam.sdk.transforms.SerializableBiFunction;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The per-key bookkeeping of {@link InvertibleSlidingReduce}, apart from Beam's state API so it
 * can be tested on its own.
 *
 * <p>A key keeps the reduced value of each pane that a window not yet emitted still needs, and the
 * running value of the last emitted window. The next window is reached by reducing the panes that
 * enter and inverse-reducing (and forgetting) the panes that leave: O(period / pane) state reads
 * per (window, key) result, O(size / pane) when a key starts again after a gap. Windows without
 * data of the key are skipped. Once no pane is left, the key keeps only the end of its last window
 * until data for that window can no longer arrive within the allowed lateness, and then nothing.
 *
 * <p>Window {@code [end - size, end)} is emitted once, final, when the watermark passes {@code end
 * - 1 + lateness}, with the output watermark held at {@code end - 1} so the result is on time
 * downstream. A pane that arrives later is added to every window of it not yet emitted; a pane
 * whose windows have all been emitted is dropped.
 */
final class RunningWindow<V> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The state of one key. Absent values read as {@code null}. */
  interface Store<V> {
    @Nullable V pane(long start);

    void putPane(long start, V value);

    void removePane(long start);

    Iterable<Long> paneStarts();

    /** The value of the window ending at {@link #firedThrough()}; null when it is not kept. */
    @Nullable V running();

    void setRunning(@Nullable V running);

    /** How many panes with data the running value covers. */
    int dataPanes();

    void setDataPanes(int count);

    /** The end of the last window whose time has come (emitted or skipped). */
    @Nullable Long firedThrough();

    void setFiredThrough(long end);

    /** The end of the window the timer is set for; null when the timer is for forgetting. */
    @Nullable Long nextEnd();

    void setNextEnd(@Nullable Long end);

    /** Sets the key's one timer; {@code holdAt} null means no output watermark hold. */
    void setTimer(long firesAt, @Nullable Long holdAt);

    /** Clears every state of the key and its timer. */
    void clear();
  }

  /** A window result: the window ends at {@code end} (exclusive). */
  static final class Emission<V> {
    final long end;
    final V value;

    Emission(long end, V value) {
      this.end = end;
      this.value = value;
    }
  }

  private final SlidingSpec spec;
  private final long lateness;
  private final SerializableBiFunction<V, V, V> reduce;
  private final SerializableBiFunction<V, V, V> inverse;

  RunningWindow(
      SlidingSpec spec,
      long lateness,
      SerializableBiFunction<V, V, V> reduce,
      SerializableBiFunction<V, V, V> inverse) {
    this.spec = spec;
    this.lateness = lateness;
    this.reduce = reduce;
    this.inverse = inverse;
  }

  /**
   * Adds {@code value} to the pane starting at {@code paneStart} and makes sure the timer is set
   * for the first window of it not yet emitted. Returns false, changing nothing, when every window
   * containing the pane has been emitted.
   */
  boolean add(Store<V> store, long paneStart, V value) {
    Long firedThrough = store.firedThrough();
    if (firedThrough != null && spec.lastWindowEnd(paneStart) <= firedThrough) {
      return false;
    }
    V old = store.pane(paneStart);
    store.putPane(paneStart, old == null ? value : reduce.apply(old, value));
    V running = store.running();
    if (running != null && paneStart < firedThrough) {
      store.setRunning(reduce.apply(running, value));
      if (old == null) {
        store.setDataPanes(store.dataPanes() + 1);
      }
    }
    long end = spec.firstWindowEnd(paneStart);
    if (firedThrough != null) {
      end = Math.max(end, firedThrough + spec.periodMillis());
    }
    Long nextEnd = store.nextEnd();
    if (nextEnd == null || end < nextEnd) {
      schedule(store, end);
    }
    return true;
  }

  /**
   * The key's timer fired: moves the running value to the window ending at {@link
   * Store#nextEnd()} and returns its result if the window holds data of the key, else null; then
   * sets the timer for the next window, or for forgetting the key. A timer for forgetting clears
   * everything.
   */
  @Nullable Emission<V> fire(Store<V> store, V identity) {
    Long end = store.nextEnd();
    if (end == null) {
      store.clear();
      return null;
    }
    long size = spec.sizeMillis();
    long pane = spec.paneMillis();
    Long firedThrough = store.firedThrough();
    V running = store.running();
    int dataPanes;
    if (running != null) {
      dataPanes = store.dataPanes();
      for (long start = firedThrough - size; start < end - size; start += pane) {
        V leaving = store.pane(start);
        if (leaving != null) {
          running = inverse.apply(running, leaving);
          dataPanes--;
          store.removePane(start);
        }
      }
      for (long start = firedThrough; start < end; start += pane) {
        V entering = store.pane(start);
        if (entering != null) {
          running = reduce.apply(running, entering);
          dataPanes++;
        }
      }
    } else {
      running = identity;
      dataPanes = 0;
      for (long start = end - size; start < end; start += pane) {
        V entering = store.pane(start);
        if (entering != null) {
          running = reduce.apply(running, entering);
          dataPanes++;
        }
      }
    }
    store.setFiredThrough(end);
    if (dataPanes > 0) {
      store.setRunning(running);
      store.setDataPanes(dataPanes);
      schedule(store, end + spec.periodMillis());
      return new Emission<>(end, running);
    }
    store.setRunning(null);
    store.setDataPanes(0);
    Long nextPane = earliest(store.paneStarts());
    if (nextPane != null) {
      schedule(store, Math.max(spec.firstWindowEnd(nextPane), end + spec.periodMillis()));
    } else {
      store.setNextEnd(null);
      store.setTimer(end + size - 1 + lateness, null);
    }
    return null;
  }

  private void schedule(Store<V> store, long end) {
    store.setNextEnd(end);
    store.setTimer(end - 1 + lateness, end - 1);
  }

  private static @Nullable Long earliest(Iterable<Long> starts) {
    Long earliest = null;
    for (Long start : starts) {
      if (earliest == null || start < earliest) {
        earliest = start;
      }
    }
    return earliest;
  }
}
