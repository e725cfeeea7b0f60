package dev.windowpane.pipelines.cli;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.windowpane.transforms.json.EventTimestamps;
import dev.windowpane.transforms.json.InvalidEventException;
import dev.windowpane.transforms.time.Durations;
import org.joda.time.Duration;
import org.joda.time.Instant;

/** Reads option values that arrive as text, turning every bad value into a {@link UsageException}. */
public final class OptionValues {
  private OptionValues() {}

  /** {@code --option=value} as a duration ({@code 500ms}, {@code 90s}, {@code 1m}, {@code 1h}, ...). */
  public static Duration duration(String option, String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new UsageException("Option --" + option + ": " + lowerFirst(e.getMessage()), e);
    }
  }

  private static String lowerFirst(String sentence) {
    return sentence.isEmpty() ? sentence : Character.toLowerCase(sentence.charAt(0)) + sentence.substring(1);
  }

  /** {@code --option=value} as a positive duration. */
  public static Duration positiveDuration(String option, String value) {
    Duration duration = duration(option, value);
    if (duration.getMillis() <= 0) {
      throw new UsageException("Option --" + option + " must be longer than 0, got " + value + ".");
    }
    return duration;
  }

  /** {@code --option=value} as an instant, written like the timestamps of the input lines. */
  public static Instant instant(String option, String value) {
    try {
      return EventTimestamps.parse(TextNode.valueOf(value));
    } catch (InvalidEventException e) {
      throw new UsageException(
          "Option --" + option + " must be an ISO-8601 instant like 2025-01-01T00:00:00Z, got '"
              + value + "'.",
          e);
    }
  }

  /** {@code --option=value} as a number of at least {@code min}. */
  public static long atLeast(String option, Long value, long min) {
    if (value == null || value < min) {
      throw new UsageException("Option --" + option + " must be at least " + min + ", got " + value + ".");
    }
    return value;
  }
}
