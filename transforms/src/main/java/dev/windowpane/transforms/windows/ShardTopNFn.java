package dev.windowpane.transforms.windows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.TimerMap;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Instant;

/**
 * The per-shard engine of {@link SlidingTopN}. Holds each live pane's per-key sums and one running
 * total per key for the current window; when the watermark passes a window's end it adds the
 * panes that entered, subtracts the panes that left (the inverse of the sum) and emits only the
 * shard's top N. Cost: O(1) per (pane, key) entry received, O(entries entering and leaving) plus
 * O(keys in the window) per window end; state holds the panes of one window plus the allowed
 * lateness, never anything per (window, key).
 *
 * <p>Late data: a pane whose every window has already ended more than the allowed lateness ago
 * is dropped to the late output and counted; otherwise it updates its pane, the running totals
 * and every already emitted window that contains it, which the shard emits again with a higher
 * version.
 *
 * <p>A shard learns how far the watermark has come from its window-end timers. While it holds
 * panes it fires every window end; while it holds none, each heartbeat (the sender's latest event
 * time) sets a timer at the latest window end before it, so that it still knows which windows are
 * past when late data reaches it.
 */
final class ShardTopNFn<K extends Comparable<? super K>>
    extends DoFn<KV<Integer, PaneSums<K>>, ShardRanking<K>> {
  static final long NONE = Long.MIN_VALUE;

  private final SlidingSpec spec;
  private final int n;
  private final long allowedLateness;
  private final TupleTag<ShardRanking<K>> rankingsTag;
  private final TupleTag<KV<K, Long>> lateTag;
  private final Counter lateEventsDropped = Metrics.counter("windowpane", "lateEventsDropped");

  @StateId("panes")
  private final StateSpec<MapState<Long, Map<K, Long>>> panesSpec;

  @StateId("running")
  private final StateSpec<ValueState<Map<K, Long>>> runningSpec;

  @StateId("progress")
  private final StateSpec<ValueState<Progress>> progressSpec =
      StateSpecs.value(Progress.ProgressCoder.INSTANCE);

  /**
   * One timer per window end, named by the end. A timer is never moved to another time: runners
   * differ in how a timer reset within a bundle behaves, and a fixed time per name avoids it.
   */
  @TimerFamily("windowEnds")
  private final TimerSpec windowEndsSpec = TimerSpecs.timerMap(TimeDomain.EVENT_TIME);

  ShardTopNFn(
      SlidingSpec spec,
      int n,
      long allowedLateness,
      Coder<K> keyCoder,
      TupleTag<ShardRanking<K>> rankingsTag,
      TupleTag<KV<K, Long>> lateTag) {
    this.spec = spec;
    this.n = n;
    this.allowedLateness = allowedLateness;
    this.rankingsTag = rankingsTag;
    this.lateTag = lateTag;
    MapCoder<K, Long> totalsCoder = MapCoder.of(keyCoder, VarLongCoder.of());
    this.panesSpec = StateSpecs.map(VarLongCoder.of(), totalsCoder);
    this.runningSpec = StateSpecs.value(totalsCoder);
  }

  @ProcessElement
  public void processElement(
      @Element KV<Integer, PaneSums<K>> element,
      @Timestamp Instant timestamp,
      @StateId("panes") MapState<Long, Map<K, Long>> panes,
      @StateId("running") ValueState<Map<K, Long>> runningState,
      @StateId("progress") ValueState<Progress> progressState,
      @TimerFamily("windowEnds") TimerMap windowEnds,
      MultiOutputReceiver out) {
    Progress progress = progressState.read();
    if (progress == null) {
      progress = new Progress();
    }
    Map<K, Long> running = null;
    TreeSet<Long> windowsToReemit = new TreeSet<>();
    for (PaneSums.Pane<K> pane : element.getValue().panes) {
      long paneStart = pane.start;
      long lastEnd = spec.lastWindowEnd(paneStart);
      if (progress.lastFired != NONE && lastEnd + allowedLateness <= progress.lastFired) {
        pane.totals.forEach((key, total) -> out.get(lateTag).output(KV.of(key, total)));
        lateEventsDropped.inc(pane.events);
        continue;
      }
      Map<K, Long> stored = panes.get(paneStart).read();
      if (stored == null) {
        stored = new HashMap<>(pane.totals);
      } else {
        add(stored, pane.totals);
      }
      panes.put(paneStart, stored);
      progress.minPane = progress.minPane == NONE ? paneStart : Math.min(progress.minPane, paneStart);
      progress.maxPane = Math.max(progress.maxPane, paneStart);

      if (progress.runTo != NONE && paneStart >= progress.runFrom && paneStart < progress.runTo) {
        if (running == null) {
          running = readRunning(runningState);
        }
        add(running, pane.totals);
      }
      long firstEnd = spec.firstWindowEnd(paneStart);
      if (progress.lastFired != NONE && firstEnd <= progress.lastFired) {
        long period = spec.periodMillis();
        for (long end = Math.min(lastEnd, progress.lastFired); end >= firstEnd; end -= period) {
          if (end + allowedLateness <= progress.lastFired) {
            break;
          }
          windowsToReemit.add(end);
        }
      }
      long firstUnfired =
          progress.lastFired == NONE
              ? firstEnd
              : Math.max(firstEnd, progress.lastFired + spec.periodMillis());
      // While panes are live the shard fires every window end from nextFire on by itself.
      if (firstUnfired <= lastEnd && (progress.nextFire == NONE || firstUnfired < progress.nextFire)) {
        progress.nextFire = firstUnfired;
        setWindowEndTimer(windowEnds, firstUnfired);
      }
    }
    if (progress.minPane == NONE && element.getValue().latestEventTime != NONE) {
      long heartbeatEnd = spec.latestWindowEndAtOrBefore(element.getValue().latestEventTime);
      // A timer may not hold output before the element's own timestamp.
      if ((progress.lastFired == NONE || heartbeatEnd > progress.lastFired)
          && (progress.nextFire == NONE || heartbeatEnd < progress.nextFire)
          && heartbeatEnd - 1 >= timestamp.getMillis()) {
        progress.nextFire = heartbeatEnd;
        setWindowEndTimer(windowEnds, heartbeatEnd);
      }
    }
    if (running != null) {
      runningState.write(running);
    }
    int shard = element.getKey();
    for (long end : windowsToReemit) {
      Map<K, Long> totals =
          end == progress.runTo ? readRunning(runningState) : sumPanes(panes, end - spec.sizeMillis(), end, progress);
      if (!totals.isEmpty()) {
        progress.version++;
        out.get(rankingsTag)
            .outputWithTimestamp(
                new ShardRanking<>(shard, progress.version, Rankings.top(totals, n)),
                new Instant(end - 1));
      }
    }
    progressState.write(progress);
  }

  @OnTimerFamily("windowEnds")
  public void onWindowEnd(
      @TimerId String timerId,
      @Key Integer shard,
      @StateId("panes") MapState<Long, Map<K, Long>> panes,
      @StateId("running") ValueState<Map<K, Long>> runningState,
      @StateId("progress") ValueState<Progress> progressState,
      @TimerFamily("windowEnds") TimerMap windowEnds,
      OutputReceiver<ShardRanking<K>> out) {
    Progress progress = progressState.read();
    long end = Long.parseLong(timerId);
    if (progress == null || (progress.lastFired != NONE && end <= progress.lastFired)) {
      return;
    }
    long start = end - spec.sizeMillis();
    Map<K, Long> running;
    if (progress.runTo == NONE || progress.runTo <= start) {
      running = sumPanes(panes, start, end, progress);
    } else {
      running = readRunning(runningState);
      addPanes(panes, progress.runTo, end, progress, running, +1);
      addPanes(panes, progress.runFrom, Math.min(start, progress.runTo), progress, running, -1);
    }
    progress.runFrom = start;
    progress.runTo = end;
    progress.lastFired = end;
    if (!running.isEmpty()) {
      progress.version++;
      out.output(new ShardRanking<>(shard, progress.version, Rankings.top(running, n)));
    }

    // A pane is no longer needed once it has left the running window and its last window is
    // past the allowed lateness.
    long keepAfter = end - Math.max(allowedLateness, spec.periodMillis());
    long pane = spec.paneMillis();
    while (progress.minPane != NONE
        && progress.minPane <= progress.maxPane
        && spec.lastWindowEnd(progress.minPane) <= keepAfter) {
      panes.remove(progress.minPane);
      progress.minPane += pane;
    }
    if (progress.minPane == NONE || progress.minPane > progress.maxPane) {
      progress.minPane = NONE;
      progress.maxPane = NONE;
      progress.runFrom = NONE;
      progress.runTo = NONE;
      progress.nextFire = NONE;
      runningState.clear();
      panes.clear();
    } else {
      runningState.write(running);
      progress.nextFire = end + spec.periodMillis();
      setWindowEndTimer(windowEnds, progress.nextFire);
    }
    progressState.write(progress);
  }

  private static void setWindowEndTimer(TimerMap windowEnds, long end) {
    windowEnds.set(Long.toString(end), new Instant(end - 1));
  }

  private Map<K, Long> readRunning(ValueState<Map<K, Long>> runningState) {
    Map<K, Long> running = runningState.read();
    // A decoded empty map may be immutable.
    return running == null || running.isEmpty() ? new HashMap<>() : running;
  }

  private Map<K, Long> sumPanes(
      MapState<Long, Map<K, Long>> panes, long from, long to, Progress progress) {
    Map<K, Long> totals = new HashMap<>();
    addPanes(panes, from, to, progress, totals, +1);
    return totals;
  }

  /** Adds ({@code sign} +1) or subtracts (-1) every live pane starting in [from, to). */
  private void addPanes(
      MapState<Long, Map<K, Long>> panes,
      long from,
      long to,
      Progress progress,
      Map<K, Long> totals,
      int sign) {
    if (progress.minPane == NONE) {
      return;
    }
    long first = Math.max(spec.paneStart(from), progress.minPane);
    long last = Math.min(to - 1, progress.maxPane);
    for (long paneStart = first; paneStart <= last; paneStart += spec.paneMillis()) {
      Map<K, Long> pane = panes.get(paneStart).read();
      if (pane == null) {
        continue;
      }
      if (sign > 0) {
        add(totals, pane);
      } else {
        for (Map.Entry<K, Long> e : pane.entrySet()) {
          totals.computeIfPresent(e.getKey(), (k, t) -> t.longValue() == e.getValue().longValue() ? null : t - e.getValue());
        }
      }
    }
  }

  private static <K> void add(Map<K, Long> totals, Map<K, Long> delta) {
    for (Map.Entry<K, Long> e : delta.entrySet()) {
      totals.merge(e.getKey(), e.getValue(), Long::sum);
    }
  }

  /** Where a shard stands: the windows it has emitted and the range of live panes. */
  static final class Progress {
    long lastFired = NONE;
    long nextFire = NONE;
    long runFrom = NONE;
    long runTo = NONE;
    long minPane = NONE;
    long maxPane = NONE;
    long version;

    static final class ProgressCoder extends AtomicCoder<Progress> {
      static final ProgressCoder INSTANCE = new ProgressCoder();
      private static final VarLongCoder LONG = VarLongCoder.of();

      @Override
      public void encode(Progress p, OutputStream out) throws IOException {
        for (long v : new long[] {p.lastFired, p.nextFire, p.runFrom, p.runTo, p.minPane, p.maxPane, p.version}) {
          LONG.encode(v, out);
        }
      }

      @Override
      public Progress decode(InputStream in) throws IOException {
        Progress p = new Progress();
        p.lastFired = LONG.decode(in);
        p.nextFire = LONG.decode(in);
        p.runFrom = LONG.decode(in);
        p.runTo = LONG.decode(in);
        p.minPane = LONG.decode(in);
        p.maxPane = LONG.decode(in);
        p.version = LONG.decode(in);
        return p;
      }
    }
  }
}
