package dev.windowpane.transforms.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;
import org.joda.time.Instant;

/**
 * Event times in JSON lines: reads an ISO-8601 instant or epoch milliseconds, writes ISO-8601 UTC.
 *
 * <p>Accepted: a string such as {@code "2025-11-25T10:00:00Z"}, {@code "2025-11-25T10:00:00.250Z"}
 * or {@code "2025-11-25T12:00:00+02:00"} (seconds required, up to nine fraction digits, {@code Z}
 * or an offset; a time without zone is rejected as ambiguous); a JSON integer of epoch
 * milliseconds, negative ones included (a number written with a zero fraction such as {@code
 * 1.0E12} counts as an integer, {@code 1.5} does not); or a string of ASCII digits only ({@code
 * "1764064800000"}, no sign). Fractions finer than a millisecond are truncated. Event times must
 * lie in the years 0000 to 9999, which also rejects epoch micro- or nanoseconds given by mistake.
 */
public final class EventTimestamps {
  /** 0000-01-01T00:00:00Z. */
  static final long EARLIEST_MILLIS = -62_167_219_200_000L;

  /** 9999-12-31T23:59:59.999Z. */
  static final long LATEST_MILLIS = 253_402_300_799_999L;

  private static final Pattern DIGITS = Pattern.compile("[0-9]+");

  private EventTimestamps() {}

  /**
   * The instant {@code value} denotes.
   *
   * @throws InvalidEventException when it is neither an ISO-8601 instant nor epoch milliseconds,
   *     such as {@code the timestamp is not an ISO-8601 instant or epoch milliseconds: "yesterday"}
   */
  public static Instant parse(JsonNode value) throws InvalidEventException {
    return parse(value, "the timestamp");
  }

  /** ISO-8601 in UTC, such as {@code 2025-11-25T10:00:00Z}; a fraction only when non-zero. */
  public static String format(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(
        java.time.Instant.ofEpochMilli(instant.getMillis()));
  }

  /** As {@link #parse(JsonNode)}; {@code subject} names the value in messages, e.g. a field. */
  static Instant parse(JsonNode value, String subject) throws InvalidEventException {
    Long millis = null;
    if (value != null && value.isTextual()) {
      millis = textMillis(value.textValue());
    } else if (value != null && value.isNumber()) {
      try {
        millis = JsonFields.exactLong(value);
      } catch (ArithmeticException tooLarge) {
        millis = Long.MAX_VALUE;
      }
    }
    if (millis == null) {
      throw new InvalidEventException(
          subject + " is not an ISO-8601 instant or epoch milliseconds: " + Json.show(value));
    }
    if (millis < EARLIEST_MILLIS || millis > LATEST_MILLIS) {
      throw new InvalidEventException(
          subject + " is outside the years 0000 to 9999: " + Json.show(value));
    }
    return new Instant(millis);
  }

  /**
   * Epoch milliseconds of an ISO-8601 instant or a digit string; null if it is neither, {@link
   * Long#MAX_VALUE} (out of range) if it does not fit a long.
   */
  private static Long textMillis(String text) {
    try {
      if (DIGITS.matcher(text).matches()) {
        return Long.parseLong(text);
      }
      return DateTimeFormatter.ISO_INSTANT.parse(text, java.time.Instant::from).toEpochMilli();
    } catch (NumberFormatException | ArithmeticException tooLarge) {
      return Long.MAX_VALUE;
    } catch (DateTimeParseException notAnInstant) {
      return null;
    }
  }
}
