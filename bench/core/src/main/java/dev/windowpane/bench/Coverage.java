package dev.windowpane.bench;

/**
 * How many events of a workload a windowed run has fully processed: those every window of which
 * it has emitted. An event at time t is in the windows ending at multiples of the period in {@code
 * (t, t + size]}; the last of them ends at {@code floor(t / period) * period + size}. One
 * definition for every contender, so that a rate is events fully processed per second of wall
 * time. O(events) to build, O(1) per question.
 */
public final class Coverage {
  private final long firstSlide;
  private final long periodMillis;
  private final long sizeMillis;
  /** {@code cumulative[s]}: events in slides {@code firstSlide .. firstSlide + s}. */
  private final long[] cumulative;

  private Coverage(long firstSlide, long periodMillis, long sizeMillis, long[] cumulative) {
    this.firstSlide = firstSlide;
    this.periodMillis = periodMillis;
    this.sizeMillis = sizeMillis;
    this.cumulative = cumulative;
  }

  public static Coverage of(Workload workload, int ratio, long periodMillis) {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (long i = 0; i < workload.events(); i++) {
      long slide = Math.floorDiv(workload.timestampMillis(i), periodMillis);
      first = Math.min(first, slide);
      last = Math.max(last, slide);
    }
    long[] counts = new long[workload.events() == 0 ? 0 : (int) (last - first + 1)];
    for (long i = 0; i < workload.events(); i++) {
      counts[(int) (Math.floorDiv(workload.timestampMillis(i), periodMillis) - first)]++;
    }
    for (int s = 1; s < counts.length; s++) {
      counts[s] += counts[s - 1];
    }
    return new Coverage(first, periodMillis, ratio * periodMillis, counts);
  }

  /** The events whose every window ends at or before {@code lastEnd}. */
  public long processedThrough(long lastEnd) {
    if (cumulative.length == 0) {
      return 0;
    }
    long slide = Math.floorDiv(lastEnd - sizeMillis, periodMillis) - firstSlide;
    if (slide < 0) {
      return 0;
    }
    return cumulative[(int) Math.min(slide, cumulative.length - 1)];
  }
}
