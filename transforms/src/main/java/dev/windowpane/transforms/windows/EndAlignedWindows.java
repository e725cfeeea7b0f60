package dev.windowpane.transforms.windows;

import java.util.Collection;
import java.util.Collections;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IncompatibleWindowException;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.NonMergingWindowFn;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.transforms.windowing.WindowMappingFn;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Assigns each element to the single window of {@code size} whose last instant is the element's
 * timestamp: {@code [t + 1 - size, t + 1)}. A transform that computes sliding-window results
 * itself emits each result at its window's {@code maxTimestamp()}; this puts the result back into
 * the same {@link IntervalWindow} Beam's {@code SlidingWindows} would have given it, so
 * downstream windowed transforms (and {@code PAssert.inWindow}) see ordinary sliding windows.
 */
public final class EndAlignedWindows extends NonMergingWindowFn<Object, IntervalWindow> {
  private final long size;

  private EndAlignedWindows(long size) {
    this.size = size;
  }

  public static EndAlignedWindows of(Duration size) {
    if (size.getMillis() <= 0) {
      throw new IllegalArgumentException("The window size must be positive, got " + size + ".");
    }
    return new EndAlignedWindows(size.getMillis());
  }

  @Override
  public Collection<IntervalWindow> assignWindows(AssignContext c) {
    return Collections.singletonList(windowEndingAt(c.timestamp().getMillis() + 1));
  }

  private IntervalWindow windowEndingAt(long end) {
    return new IntervalWindow(new Instant(end - size), new Instant(end));
  }

  @Override
  public boolean isCompatible(WindowFn<?, ?> other) {
    return other instanceof EndAlignedWindows && ((EndAlignedWindows) other).size == size;
  }

  @Override
  public void verifyCompatibility(WindowFn<?, ?> other) throws IncompatibleWindowException {
    if (!isCompatible(other)) {
      throw new IncompatibleWindowException(
          other, "Only EndAlignedWindows of the same size are compatible.");
    }
  }

  @Override
  public Coder<IntervalWindow> windowCoder() {
    return IntervalWindow.getCoder();
  }

  @Override
  public WindowMappingFn<IntervalWindow> getDefaultWindowMappingFn() {
    return new WindowMappingFn<IntervalWindow>() {
      @Override
      public IntervalWindow getSideInputWindow(BoundedWindow mainWindow) {
        return windowEndingAt(mainWindow.maxTimestamp().getMillis() + 1);
      }
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EndAlignedWindows && ((EndAlignedWindows) o).size == size;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(size);
  }
}
