package dev.windowpane.transforms.windows;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The geometry of Beam's sliding windows of {@code size} every {@code period}, cut into panes: a
 * window is {@code [start, start + size)} for every start that is {@code offset} plus a multiple
 * of the period (Beam's {@code SlidingWindows.withOffset}, Flink's {@code offset}, Spark's
 * {@code startTime}; offset 0 unless {@link #withOffset} says otherwise), and every window is a
 * whole number of panes of {@code gcd(size, period)} milliseconds.
 * Pane-based transforms add each element once to its pane and build a window from its panes.
 * All methods are O(1).
 */
public final class SlidingSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long size;
  private final long period;
  private final long pane;
  private final long offset;

  private SlidingSpec(long size, long period, long offset) {
    this.size = size;
    this.period = period;
    this.pane = gcd(size, period);
    this.offset = Math.floorMod(offset, period);
  }

  /**
   * Sliding windows of {@code size} starting every {@code period}; both positive, the period no
   * longer than the size (a longer period would leave gaps that belong to no window).
   */
  public static SlidingSpec of(Duration size, Duration period) {
    Objects.requireNonNull(size, "size");
    Objects.requireNonNull(period, "period");
    if (size.getMillis() <= 0) {
      throw new IllegalArgumentException("The window size must be positive, got " + size + ".");
    }
    if (period.getMillis() <= 0) {
      throw new IllegalArgumentException("The slide period must be positive, got " + period + ".");
    }
    if (period.getMillis() > size.getMillis()) {
      throw new IllegalArgumentException(
          "The slide period (" + period + ") must not be longer than the window size (" + size + ").");
    }
    return new SlidingSpec(size.getMillis(), period.getMillis(), 0);
  }

  /**
   * The same windows moved by {@code offset}: window starts are {@code offset} plus a multiple of
   * the period (only the offset modulo the period matters; e.g. 1h windows every 1h that start at
   * local midnight in UTC+2 have the offset 22h, or -2h).
   */
  public SlidingSpec withOffset(Duration offset) {
    Objects.requireNonNull(offset, "offset");
    return new SlidingSpec(size, period, offset.getMillis());
  }

  /** The offset of the window starts, in [0, period). */
  public Duration offset() {
    return Duration.millis(offset);
  }

  public Duration size() {
    return Duration.millis(size);
  }

  public Duration period() {
    return Duration.millis(period);
  }

  /** The pane length: the greatest common divisor of size and period, in milliseconds. */
  public long paneMillis() {
    return pane;
  }

  public long sizeMillis() {
    return size;
  }

  public long periodMillis() {
    return period;
  }

  /** Windows per element: how many windows contain each instant. */
  public long windowsPerElement() {
    return size / period;
  }

  /** Start of the pane that holds {@code timestamp}. */
  public long paneStart(long timestamp) {
    long paneOffset = offset % pane;
    return Math.floorDiv(timestamp - paneOffset, pane) * pane + paneOffset;
  }

  /** End of the earliest window that contains {@code timestamp}. */
  public long firstWindowEnd(long timestamp) {
    long firstStart = Math.floorDiv(timestamp - size - offset, period) * period + period + offset;
    return firstStart + size;
  }

  /** End of the latest window that contains {@code timestamp}. */
  public long lastWindowEnd(long timestamp) {
    return Math.floorDiv(timestamp - offset, period) * period + offset + size;
  }

  /** The latest window end at or before {@code timestamp}. */
  public long latestWindowEndAtOrBefore(long timestamp) {
    return Math.floorDiv(timestamp - size - offset, period) * period + offset + size;
  }

  /** Whether {@code end} is the end of one of these windows. */
  public boolean isWindowEnd(long end) {
    return Math.floorMod(end - size - offset, period) == 0;
  }

  /** The window {@code [end - size, end)}. */
  public IntervalWindow windowEndingAt(long end) {
    return new IntervalWindow(new Instant(end - size), new Instant(end));
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SlidingSpec
        && ((SlidingSpec) o).size == size
        && ((SlidingSpec) o).period == period
        && ((SlidingSpec) o).offset == offset;
  }

  @Override
  public int hashCode() {
    return Objects.hash(size, period, offset);
  }

  @Override
  public String toString() {
    return "SlidingSpec{size=" + Duration.millis(size) + ", period=" + Duration.millis(period)
        + (offset == 0 ? "" : ", offset=" + Duration.millis(offset)) + "}";
  }
}
