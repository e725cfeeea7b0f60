package dev.windowpane.transforms.time;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.joda.time.Duration;

/**
 * The one duration syntax of windowpane, as people write durations: {@code 500ms}, {@code 1s},
 * {@code 90s}, {@code 1m}, {@code 1h}, {@code 1d}, or compound such as {@code 1h30m}.
 *
 * <p>A duration is one or more parts, each a whole number and a unit: {@code ms}, {@code s}, {@code
 * m} (minutes), {@code h}, {@code d} (24 hours), case-insensitive, the parts from the largest unit
 * to the smallest, each unit once, no spaces inside (surrounding spaces are ignored). Zero ({@code
 * 0s}, {@code 0ms}, or a bare {@code 0}) is accepted: whether zero makes sense is for the caller to
 * say (an allowed lateness may be zero, a window size may not). Negative durations, fractions
 * ({@code 1.5h}: write {@code 1h30m}) and durations beyond the 64-bit millisecond range are
 * rejected with an {@link IllegalArgumentException} of one sentence.
 */
public final class Durations {
  private enum Unit {
    DAY("d", 86_400_000L),
    HOUR("h", 3_600_000L),
    MINUTE("m", 60_000L),
    SECOND("s", 1_000L),
    MILLISECOND("ms", 1L);

    final String symbol;
    final long millis;

    Unit(String symbol, long millis) {
      this.symbol = symbol;
      this.millis = millis;
    }

    static Unit of(String symbol) {
      for (Unit unit : values()) {
        if (unit.symbol.equalsIgnoreCase(symbol)) {
          return unit;
        }
      }
      throw new IllegalStateException("No unit " + symbol);
    }
  }

  /** One part: digits and a unit; {@code ms} is tried before {@code m} and {@code s}. */
  private static final Pattern PART =
      Pattern.compile("\\G([0-9]+)(ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);

  private Durations() {}

  /**
   * The duration {@code text} denotes, such as {@code 1h30m}.
   *
   * @throws IllegalArgumentException saying in one sentence why {@code text} is not a duration
   */
  public static Duration parse(String text) {
    Objects.requireNonNull(text, "text");
    String trimmed = text.strip();
    if (trimmed.equals("0")) {
      return Duration.ZERO;
    }
    if (trimmed.startsWith("-")) {
      throw cannotRead(text, "a duration cannot be negative.");
    }
    Matcher part = PART.matcher(trimmed);
    long total = 0;
    int end = 0;
    Unit previous = null;
    while (part.find()) {
      Unit unit = Unit.of(part.group(2));
      if (previous != null && unit.ordinal() <= previous.ordinal()) {
        throw cannotRead(
            text,
            "write its parts from the largest unit to the smallest, each unit once, such as"
                + " 1h30m.");
      }
      try {
        total =
            Math.addExact(total, Math.multiplyExact(Long.parseLong(part.group(1)), unit.millis));
      } catch (NumberFormatException | ArithmeticException e) {
        throw cannotRead(
            text,
            "it is longer than the longest duration a 64-bit millisecond count holds"
                + " (about 292 million years).");
      }
      previous = unit;
      end = part.end();
    }
    if (previous == null || end != trimmed.length()) {
      throw cannotRead(text, "write a number and a unit, such as 500ms, 90s, 1m, 1h or 1d.");
    }
    return Duration.millis(total);
  }

  /**
   * {@code duration} in the syntax {@link #parse} reads, largest units first and without zero
   * parts: {@code 1h}, {@code 1m30s} (for 90 seconds), {@code 1d12h}, {@code 500ms}, {@code 0s}. A
   * negative duration is written with a leading {@code -}, which {@link #parse} rejects.
   */
  public static String format(Duration duration) {
    long rest = duration.getMillis();
    if (rest == 0) {
      return "0s";
    }
    StringBuilder text = new StringBuilder(rest < 0 ? "-" : "");
    for (Unit unit : Unit.values()) {
      long count = rest / unit.millis;
      rest %= unit.millis;
      if (count != 0) {
        text.append(Math.abs(count)).append(unit.symbol);
      }
    }
    return text.toString();
  }

  private static IllegalArgumentException cannotRead(String text, String why) {
    return new IllegalArgumentException(
        String.format(Locale.ROOT, "Cannot read \"%s\" as a duration: %s", text, why));
  }
}
