package dev.windowpane.transforms.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * The one JSON codec of windowpane: a shared, configured Jackson {@link ObjectMapper} that reads
 * input lines and writes output lines (one compact object per line, fields in insertion order).
 *
 * <p>Reading is strict: standard JSON only (no comments, single quotes or NaN), a duplicate field
 * or text after the value is an error, and floating-point numbers are read exactly as {@code
 * BigDecimal} so that integer checks ({@link JsonFields#requireLong}) never round. Thread-safe; do
 * not reconfigure the shared mapper.
 */
public final class Json {
  private static final int MAX_SHOWN_CHARS = 40;

  private static final ObjectMapper MAPPER =
      new ObjectMapper(
              JsonFactory.builder()
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** Reads one value and leaves the parser after it, so text after it gets a message of ours. */
  private static final ObjectReader ONE_VALUE =
      MAPPER.readerFor(JsonNode.class).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {}

  /** The shared mapper. Use it as it is: it is shared by every reader and writer in the JVM. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** A new empty JSON object; its fields are written in the order they are put. */
  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /**
   * {@code value} (an {@link ObjectNode}, a map, a list, a string ...) as one line of compact JSON.
   *
   * @throws IllegalArgumentException if Jackson cannot write the value (a programming error)
   */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "Cannot write a " + value.getClass().getName() + " as JSON: " + e.getOriginalMessage(),
          e);
    }
  }

  /**
   * Reads {@code line} as exactly one JSON object.
   *
   * @throws InvalidEventException saying why when the line is blank, is not JSON, holds more than
   *     one value, or holds a value that is not an object (such as {@code [1,2]} or {@code 42})
   */
  public static ObjectNode readObject(String line) throws InvalidEventException {
    if (line == null || line.isBlank()) {
      throw new InvalidEventException("the line is blank");
    }
    JsonNode value;
    try (JsonParser parser = MAPPER.createParser(line)) {
      value = ONE_VALUE.readTree(parser);
      JsonToken after = parser.nextToken();
      if (after != null) {
        throw new InvalidEventException(
            "the line has more text after its JSON value, at "
                + position(parser.currentTokenLocation()));
      }
    } catch (JsonProcessingException e) {
      throw new InvalidEventException("the line is not JSON: " + readable(e));
    } catch (IOException e) {
      throw new UncheckedIOException("Reading JSON from a String failed", e);
    } catch (RuntimeException e) {
      // Not expected from Jackson, but one odd line must not stop a pipeline.
      throw new InvalidEventException("the line is not JSON: " + e);
    }
    if (!(value instanceof ObjectNode)) {
      throw new InvalidEventException("the line is " + kind(value) + ", not a JSON object");
    }
    return (ObjectNode) value;
  }

  /** A short rendering of {@code value} for an error message: its JSON text, cut after 40 chars. */
  static String show(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "nothing";
    }
    String text = value.toString();
    return text.length() <= MAX_SHOWN_CHARS ? text : text.substring(0, MAX_SHOWN_CHARS) + "...";
  }

  private static String kind(JsonNode value) {
    switch (value.getNodeType()) {
      case ARRAY:
        return "a JSON array";
      case STRING:
        return "a JSON string";
      case NUMBER:
        return "a JSON number";
      case BOOLEAN:
        return "a JSON boolean";
      case NULL:
        return "JSON null";
      default:
        return "a JSON " + value.getNodeType().name().toLowerCase(Locale.ROOT);
    }
  }

  /** Jackson's message without its source location and configuration advice, plus the column. */
  private static String readable(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    int advice = message.indexOf(": enable `");
    if (advice >= 0) {
      message = message.substring(0, advice);
    }
    message = message.replaceAll(" \\(start marker at \\[Source: [^]]*\\]\\)", "");
    message = message.replace('\n', ' ').replace('\r', ' ').strip();
    return e.getLocation() == null ? message : message + ", at " + position(e.getLocation());
  }

  private static String position(JsonLocation location) {
    return location.getLineNr() > 1
        ? "line " + location.getLineNr() + ", column " + location.getColumnNr()
        : "column " + location.getColumnNr();
  }
}
