package dev.windowpane.bench;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one run of a contender did, recorded from inside its job: how many events its source
 * emitted (and when the first one left), which windows it reported, when, and their rankings
 * (every run is verified), how many events a pass-through counted, and when it had produced
 * everything it was expected to. Every contender runs in the recording JVM (embedded Flink, local Spark, the
 * DirectRunner), so sources and sinks find their run by id in a static registry. Sources and
 * sinks report in batches; each report is O(1) (O(log windows) when keeping rankings).
 */
public final class RunRecorder {
  private static final ConcurrentHashMap<String, RunRecorder> RUNS = new ConcurrentHashMap<>();

  private final String runId;
  private final long expectedWindows;
  private final long expectedCount;
  private final LongAdder emitted = new LongAdder();
  private final AtomicLong firstEmitNanos = new AtomicLong();
  private final AtomicLong completedNanos = new AtomicLong();
  private final AtomicLong counted = new AtomicLong();
  private final Set<Long> windowEnds = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<Long, Long> firstReportNanos = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Long, Long> lastReportNanos = new ConcurrentHashMap<>();
  private final WindowTops tops = new WindowTops();
  private final CountDownLatch complete = new CountDownLatch(1);
  private volatile long eventsPerSecond;
  private final AtomicLong paceStartNanos = new AtomicLong();
  private final AtomicLong maxBehindNanos = new AtomicLong();

  private RunRecorder(String runId, long expectedWindows, long expectedCount) {
    this.runId = runId;
    this.expectedWindows = expectedWindows;
    this.expectedCount = expectedCount;
  }

  /**
   * Registers a run that is complete once {@code expectedWindows} distinct windows were reported
   * (windowed contenders) or {@code expectedCount} events were counted (pass-through; give 0
   * windows).
   */
  public static RunRecorder register(String runId, long expectedWindows, long expectedCount) {
    RunRecorder r = new RunRecorder(runId, expectedWindows, expectedCount);
    if (RUNS.putIfAbsent(runId, r) != null) {
      throw new IllegalStateException("Run " + runId + " is already registered.");
    }
    return r;
  }

  /** The run with this id; sources and sinks call this once and keep the result. */
  public static RunRecorder of(String runId) {
    RunRecorder r = RUNS.get(runId);
    if (r == null) {
      throw new IllegalStateException("No run " + runId + " in this JVM.");
    }
    return r;
  }

  public static void forget(String runId) {
    RUNS.remove(runId);
  }

  public String runId() {
    return runId;
  }

  /** Paces the run's sources to {@code eventsPerSecond} events a second (0: as fast as they can). */
  public void pace(long eventsPerSecond) {
    this.eventsPerSecond = eventsPerSecond;
  }

  public long pacedEventsPerSecond() {
    return eventsPerSecond;
  }

  /**
   * When event {@code index} is due (System.nanoTime), the schedule starting when a source first
   * asks; 0 for an unpaced run. Sources emit an event no earlier than this.
   */
  public long dueNanos(long index) {
    long rate = eventsPerSecond;
    if (rate <= 0) {
      return 0;
    }
    long start = paceStartNanos.get();
    if (start == 0) {
      paceStartNanos.compareAndSet(0, System.nanoTime());
      start = paceStartNanos.get();
    }
    return start + index * 1_000_000_000L / rate;
  }

  /** A source emitted event {@code index} at {@code nanos}: records how far behind its schedule it was. */
  public void emittedAt(long index, long nanos) {
    long behind = nanos - dueNanos(index);
    if (behind > maxBehindNanos.get()) {
      maxBehindNanos.accumulateAndGet(behind, Math::max);
    }
  }

  /** The most a paced source fell behind its schedule, in nanoseconds. */
  public long maxBehindNanos() {
    return maxBehindNanos.get();
  }

  /** When the window ending at {@code windowEnd} was first reported (System.nanoTime), or 0. */
  public long reportedNanos(long windowEnd) {
    return firstReportNanos.getOrDefault(windowEnd, 0L);
  }

  /** A source emitted {@code n} more events. */
  public void emitted(long n) {
    if (firstEmitNanos.get() == 0) {
      firstEmitNanos.compareAndSet(0, System.nanoTime());
    }
    emitted.add(n);
  }

  /** A sink received the ranking of the window ending at {@code windowEnd}. */
  public void window(long windowEnd, List<Ranked> ranking) {
    tops.put(windowEnd, ranking);
    long now = System.nanoTime();
    firstReportNanos.putIfAbsent(windowEnd, now);
    lastReportNanos.put(windowEnd, now);
    if (windowEnds.add(windowEnd) && windowEnds.size() >= expectedWindows && expectedWindows > 0) {
      markComplete();
    }
  }

  /** A pass-through sink counted {@code n} more events. */
  public void counted(long n) {
    if (counted.addAndGet(n) >= expectedCount && expectedWindows == 0) {
      markComplete();
    }
  }

  private void markComplete() {
    completedNanos.compareAndSet(0, System.nanoTime());
    complete.countDown();
  }

  /** Waits up to {@code millis} for the run to produce everything expected. */
  public boolean awaitComplete(long millis) throws InterruptedException {
    return complete.await(millis, TimeUnit.MILLISECONDS);
  }

  public boolean isComplete() {
    return complete.getCount() == 0;
  }

  public long emittedCount() {
    return emitted.sum();
  }

  public long countedEvents() {
    return counted.get();
  }

  public long firstEmitNanos() {
    return firstEmitNanos.get();
  }

  public long completedNanos() {
    return completedNanos.get();
  }

  public int windowsReported() {
    return windowEnds.size();
  }

  /**
   * The windows reported without a gap from the one ending at {@code firstEnd}, every {@code
   * period}: {@code {end of the last, when the last report of any of them arrived}} (a late
   * firing refines a window), or null when the first was not reported.
   */
  public long[] completedPrefix(long firstEnd, long period) {
    if (!lastReportNanos.containsKey(firstEnd)) {
      return null;
    }
    long end = firstEnd;
    long at = lastReportNanos.get(firstEnd);
    while (lastReportNanos.containsKey(end + period)) {
      end += period;
      at = Math.max(at, lastReportNanos.get(end));
    }
    return new long[] {end, at};
  }

  public WindowTops tops() {
    return tops;
  }
}
