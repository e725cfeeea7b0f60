package dev.windowpane.transforms.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import org.joda.time.Instant;

/**
 * Reads the required fields of an event object, so that every {@link JsonEventParser} is short and
 * every bad field gets the same kind of one-sentence message: {@code field "item" is missing},
 * {@code field "item" must be a string, got 42}, {@code field "quantity" must be an integer >= 1,
 * got 0}. A field holding JSON {@code null} counts as present with the wrong type.
 */
public final class JsonFields {
  private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
  private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

  private JsonFields() {}

  /** The string value of {@code field} (possibly empty); any other JSON type is rejected. */
  public static String requireString(ObjectNode event, String field) throws InvalidEventException {
    JsonNode value = require(event, field);
    if (!value.isTextual()) {
      throw new InvalidEventException(name(field) + " must be a string, got " + Json.show(value));
    }
    return value.textValue();
  }

  /** As {@link #requireLong(ObjectNode, String, long)} with no lower bound. */
  public static long requireLong(ObjectNode event, String field) throws InvalidEventException {
    return requireLong(event, field, Long.MIN_VALUE);
  }

  /**
   * The integer value of {@code field}, at least {@code min}. An integer is a JSON number without a
   * fractional part, as in JSON Schema: {@code 2}, {@code 2.0} and {@code 1e3} are integers, {@code
   * 2.5}, {@code 1.5e0} and the string {@code "2"} are not; one beyond the 64-bit range is
   * rejected.
   */
  public static long requireLong(ObjectNode event, String field, long min)
      throws InvalidEventException {
    JsonNode value = require(event, field);
    String expected = min == Long.MIN_VALUE ? "an integer" : "an integer >= " + min;
    Long result = null;
    if (value.isNumber()) {
      try {
        result = exactLong(value);
      } catch (ArithmeticException tooLarge) {
        throw new InvalidEventException(
            name(field)
                + " must be "
                + expected
                + " within the 64-bit range, got "
                + Json.show(value));
      }
    }
    if (result == null || result < min) {
      throw new InvalidEventException(
          name(field) + " must be " + expected + ", got " + Json.show(value));
    }
    return result;
  }

  /** The value of {@code field}, any finite JSON number, as a double (the nearest one). */
  public static double requireNumber(ObjectNode event, String field) throws InvalidEventException {
    JsonNode value = require(event, field);
    if (!value.isNumber()) {
      throw new InvalidEventException(name(field) + " must be a number, got " + Json.show(value));
    }
    double result = value.doubleValue();
    if (!Double.isFinite(result)) {
      throw new InvalidEventException(
          name(field) + " must be a number within the 64-bit floating-point range");
    }
    return result;
  }

  /** The event time in {@code field}, in any form {@link EventTimestamps} accepts. */
  public static Instant requireTimestamp(ObjectNode event, String field)
      throws InvalidEventException {
    return EventTimestamps.parse(require(event, field), name(field));
  }

  /**
   * The exact value of a JSON number without a fractional part, or null if it has one.
   *
   * @throws ArithmeticException if it is an integer outside the 64-bit range
   */
  static Long exactLong(JsonNode number) {
    if (number.isIntegralNumber()) {
      if (!number.canConvertToLong()) {
        throw new ArithmeticException("beyond the 64-bit range");
      }
      return number.longValue();
    }
    if (!number.isBigDecimal() && !Double.isFinite(number.doubleValue())) {
      throw new ArithmeticException("beyond the 64-bit range");
    }
    BigDecimal exact = number.decimalValue();
    if (exact.signum() != 0 && exact.stripTrailingZeros().scale() > 0) {
      return null;
    }
    if (exact.compareTo(LONG_MIN) < 0 || exact.compareTo(LONG_MAX) > 0) {
      throw new ArithmeticException("beyond the 64-bit range");
    }
    return exact.longValue();
  }

  private static JsonNode require(ObjectNode event, String field) throws InvalidEventException {
    JsonNode value = event.get(field);
    if (value == null) {
      throw new InvalidEventException(name(field) + " is missing");
    }
    return value;
  }

  private static String name(String field) {
    return "field \"" + field + "\"";
  }
}
