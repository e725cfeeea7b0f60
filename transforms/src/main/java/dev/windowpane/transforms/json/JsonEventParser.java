package dev.windowpane.transforms.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;

/**
 * Turns one JSON object (an input line already parsed by {@link ParseJsonLines}) into an event, or
 * says in one sentence why it is not one. {@link JsonFields} reads the usual fields.
 */
@FunctionalInterface
public interface JsonEventParser<T> extends Serializable {
  T parse(ObjectNode line) throws InvalidEventException;
}
