package dev.windowpane.transforms.json;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTest {

  @Test
  void readsOneJsonObject() throws Exception {
    ObjectNode event = Json.readObject(" {\"item\": \"sku-1\", \"quantity\": 2} ");
    assertThat(event.get("item").textValue(), equalTo("sku-1"));
    assertThat(event.get("quantity").longValue(), equalTo(2L));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "''                   | 'the line is blank'",
        "'   '                | 'the line is blank'",
        "'[1,2]'              | 'the line is a JSON array, not a JSON object'",
        "'\"x\"'              | 'the line is a JSON string, not a JSON object'",
        "'42'                 | 'the line is a JSON number, not a JSON object'",
        "'true'               | 'the line is a JSON boolean, not a JSON object'",
        "'null'               | 'the line is JSON null, not a JSON object'",
        "'{\"a\":1} {\"b\":2}' | 'the line has more text after its JSON value, at column 9'",
        "'{\"a\":1,\"a\":2}'  | 'the line is not JSON: Duplicate field ''a'', at column 11'",
        "'{\"a\":1'           | 'the line is not JSON: Unexpected end-of-input: expected close"
            + " marker for Object, at column 7'",
        "'{a:1}'              | 'the line is not JSON: Unexpected character (''a'' (code 97)): was"
            + " expecting double-quote to start field name, at column 3'",
        "'{\"a\":NaN}'        | 'the line is not JSON: Non-standard token ''NaN'', at column 9'",
        "'yesterday'          | 'the line is not JSON: Unrecognized token ''yesterday'': was"
            + " expecting (JSON String, Number, Array, Object or token ''null'', ''true'' or"
            + " ''false''), at column 10'",
      })
  void rejectsLinesThatAreNotExactlyOneJsonObject(String line, String message) {
    InvalidEventException e =
        assertThrows(InvalidEventException.class, () -> Json.readObject(line));
    assertThat(e.getMessage(), equalTo(message));
  }

  @Test
  void writesCompactJsonWithFieldsInInsertionOrder() {
    ObjectNode line = Json.object().put("windowStart", "T0").put("rank", 1).put("item", "sku-1");
    assertThat(Json.write(line), equalTo("{\"windowStart\":\"T0\",\"rank\":1,\"item\":\"sku-1\"}"));

    Map<String, Object> map = new LinkedHashMap<>();
    map.put("b", List.of(1, 2));
    map.put("a", "é \"quoted\"\n");
    assertThat(Json.write(map), equalTo("{\"b\":[1,2],\"a\":\"é \\\"quoted\\\"\\n\"}"));
  }
}
