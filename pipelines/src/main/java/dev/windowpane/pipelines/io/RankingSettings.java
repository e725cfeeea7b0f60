package dev.windowpane.pipelines.io;

import dev.windowpane.pipelines.cli.OptionValues;
import dev.windowpane.pipelines.cli.UsageException;
import dev.windowpane.transforms.windows.SlidingTopN;
import java.util.Optional;
import org.joda.time.Duration;

/** The ranking options, parsed and validated before a pipeline is built. */
public final class RankingSettings {
  private final int top;
  private final Duration window;
  private final Duration slide;
  private final Duration allowedLateness;
  private final String output;

  private RankingSettings(int top, Duration window, Duration slide, Duration allowedLateness, String output) {
    this.top = top;
    this.window = window;
    this.slide = slide;
    this.allowedLateness = allowedLateness;
    this.output = output;
  }

  /** Validates {@code options}; a bad value is a {@link UsageException}. */
  public static RankingSettings from(RankingOptions options) {
    Duration window = OptionValues.positiveDuration("window", options.getWindow());
    Duration slide = OptionValues.positiveDuration("slide", options.getSlide());
    if (slide.isLongerThan(window)) {
      throw new UsageException(
          "Option --slide=" + options.getSlide() + " must not be longer than --window=" + options.getWindow() + ".");
    }
    Duration allowedLateness = OptionValues.duration("allowedLateness", options.getAllowedLateness());
    if (options.getTop() == null || options.getTop() < 1) {
      throw new UsageException("Option --top must be at least 1, got " + options.getTop() + ".");
    }
    return new RankingSettings(options.getTop(), window, slide, allowedLateness, options.getOutput());
  }

  /** The sliding top-N these settings describe. */
  public <K extends Comparable<? super K>> SlidingTopN<K> slidingTopN() {
    return SlidingTopN.<K>of(top, window, slide).withAllowedLateness(allowedLateness);
  }

  public int top() {
    return top;
  }

  public Duration window() {
    return window;
  }

  public Duration slide() {
    return slide;
  }

  public Duration allowedLateness() {
    return allowedLateness;
  }

  /** The output directory; empty when rankings are printed as tables. */
  public Optional<String> output() {
    return Optional.ofNullable(output);
  }
}
