package dev.windowpane.pipelines.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windowpane.transforms.json.EventTimestamps;
import dev.windowpane.transforms.json.InvalidEventException;
import org.joda.time.Instant;

/** TEMPORARY until transforms.json.JsonFields lands. */
final class EventFields {
  private EventFields() {}

  static Instant timestamp(ObjectNode line) throws InvalidEventException {
    return EventTimestamps.parse(line.get("timestamp"));
  }

  static String string(ObjectNode line, String field) throws InvalidEventException {
    JsonNode node = line.get(field);
    if (node == null || !node.isTextual()) {
      throw new InvalidEventException("Field '" + field + "' must be a string.");
    }
    return node.asText();
  }

  static long positiveInteger(ObjectNode line, String field) throws InvalidEventException {
    JsonNode node = line.get(field);
    if (node == null || !node.canConvertToExactIntegral() || !node.isNumber() || node.asLong() < 1) {
      throw new InvalidEventException("Field '" + field + "' must be an integer >= 1.");
    }
    return node.asLong();
  }

  static double number(ObjectNode line, String field) throws InvalidEventException {
    JsonNode node = line.get(field);
    if (node == null || !node.isNumber()) {
      throw new InvalidEventException("Field '" + field + "' must be a number.");
    }
    return node.asDouble();
  }
}
