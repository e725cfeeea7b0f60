package dev.windowpane.transforms.windows;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The geometry of Beam's sliding windows of {@code size} every {@code period} (offset 0), cut into
 * panes: a window is {@code [start, start + size)} for every start that is a multiple of the
 * period, and every window is a whole number of panes of {@code gcd(size, period)} milliseconds.
 * Pane-based transforms add each element once to its pane and build a window from its panes.
 * All methods are O(1).
 */
public final class SlidingSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long size;
  private final long period;
  private final long pane;

  private SlidingSpec(long size, long period) {
    this.size = size;
    this.period = period;
    this.pane = gcd(size, period);
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
    return new SlidingSpec(size.getMillis(), period.getMillis());
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
    return Math.floorDiv(timestamp, pane) * pane;
  }

  /** End of the earliest window that contains {@code timestamp}. */
  public long firstWindowEnd(long timestamp) {
    long firstStart = Math.floorDiv(timestamp - size, period) * period + period;
    return firstStart + size;
  }

  /** End of the latest window that contains {@code timestamp}. */
  public long lastWindowEnd(long timestamp) {
    return Math.floorDiv(timestamp, period) * period + size;
  }

  /** The latest window end at or before {@code timestamp}. */
  public long latestWindowEndAtOrBefore(long timestamp) {
    return Math.floorDiv(timestamp - size, period) * period + size;
  }

  /** Whether {@code end} is the end of one of these windows. */
  public boolean isWindowEnd(long end) {
    return Math.floorMod(end - size, period) == 0;
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
        && ((SlidingSpec) o).period == period;
  }

  @Override
  public int hashCode() {
    return Objects.hash(size, period);
  }

  @Override
  public String toString() {
    return "SlidingSpec{size=" + Duration.millis(size) + ", period=" + Duration.millis(period) + "}";
  }
}
