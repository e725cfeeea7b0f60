package dev.windowpane.transforms.json;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonFieldsTest {

  @Test
  void readsAStringField() throws Exception {
    assertThat(JsonFields.requireString(event("{\"item\":\"sku-1\"}"), "item"), equalTo("sku-1"));
    assertThat(JsonFields.requireString(event("{\"item\":\"\"}"), "item"), equalTo(""));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "'{}'                   | 'field \"item\" is missing'",
        "'{\"Item\":\"x\"}'     | 'field \"item\" is missing'",
        "'{\"item\":42}'        | 'field \"item\" must be a string, got 42'",
        "'{\"item\":null}'      | 'field \"item\" must be a string, got null'",
        "'{\"item\":[\"x\"]}'   | 'field \"item\" must be a string, got [\"x\"]'",
        "'{\"item\":{\"id\":1}}'| 'field \"item\" must be a string, got {\"id\":1}'",
      })
  void rejectsAStringFieldThatIsMissingOrNotAString(String json, String message) {
    assertRejected(() -> JsonFields.requireString(event(json), "item"), message);
  }

  @Test
  void cutsLongValuesInMessages() {
    assertRejected(
        () -> JsonFields.requireString(event("{\"item\":[" + "1,".repeat(30) + "1]}"), "item"),
        "field \"item\" must be a string, got [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1...");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "1                    | 1",
        "2                    | 2",
        "2.0                  | 2",
        "1e3                  | 1000",
        "1.5e1                | 15",
        "9223372036854775807  | 9223372036854775807",
      })
  void readsAnIntegerField(String quantity, long expected) throws Exception {
    assertThat(
        JsonFields.requireLong(event("{\"quantity\":" + quantity + "}"), "quantity", 1),
        equalTo(expected));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "'{}'                              | 'field \"quantity\" is missing'",
        "'{\"quantity\":0}'                | 'field \"quantity\" must be an integer >= 1, got 0'",
        "'{\"quantity\":-3}'               | 'field \"quantity\" must be an integer >= 1, got -3'",
        "'{\"quantity\":2.5}'              | 'field \"quantity\" must be an integer >= 1, got 2.5'",
        "'{\"quantity\":1.25e1}'           | 'field \"quantity\" must be an integer >= 1, got"
            + " 12.5'",
        "'{\"quantity\":\"2\"}'            | 'field \"quantity\" must be an integer >= 1, got"
            + " \"2\"'",
        "'{\"quantity\":true}'             | 'field \"quantity\" must be an integer >= 1, got"
            + " true'",
        "'{\"quantity\":null}'             | 'field \"quantity\" must be an integer >= 1, got"
            + " null'",
        "'{\"quantity\":9223372036854775808}' | 'field \"quantity\" must be an integer >= 1 within"
            + " the 64-bit range, got 9223372036854775808'",
        "'{\"quantity\":1e19}'             | 'field \"quantity\" must be an integer >= 1 within the"
            + " 64-bit range, got 1E+19'",
        "'{\"quantity\":1e400}'            | 'field \"quantity\" must be an integer >= 1 within the"
            + " 64-bit range, got \"Infinity\"'",
      })
  void rejectsAnIntegerFieldThatIsMissingFractionalTooSmallOrNotANumber(
      String json, String message) {
    assertRejected(() -> JsonFields.requireLong(event(json), "quantity", 1), message);
  }

  @Test
  void readsAnIntegerFieldWithoutBound() throws Exception {
    assertThat(
        JsonFields.requireLong(event("{\"delta\":-9223372036854775808}"), "delta"),
        equalTo(Long.MIN_VALUE));
    assertRejected(
        () -> JsonFields.requireLong(event("{\"delta\":0.5}"), "delta"),
        "field \"delta\" must be an integer, got 0.5");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "12.5      | 12.5",
        "12        | 12.0",
        "-0.25     | -0.25",
        "1e3       | 1000.0",
        "0.1       | 0.1",
      })
  void readsANumberField(String value, double expected) throws Exception {
    assertThat(
        JsonFields.requireNumber(event("{\"value\":" + value + "}"), "value"), equalTo(expected));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "'{}'                    | 'field \"value\" is missing'",
        "'{\"value\":\"12.5\"}'  | 'field \"value\" must be a number, got \"12.5\"'",
        "'{\"value\":null}'      | 'field \"value\" must be a number, got null'",
        "'{\"value\":1e400}'     | 'field \"value\" must be a number within the 64-bit"
            + " floating-point range'",
        "'{\"value\":-1e400}'    | 'field \"value\" must be a number within the 64-bit"
            + " floating-point range'",
      })
  void rejectsANumberFieldThatIsMissingInfiniteOrNotANumber(String json, String message) {
    assertRejected(() -> JsonFields.requireNumber(event(json), "value"), message);
  }

  @Test
  void readsATimestampFieldInEveryAcceptedForm() throws Exception {
    Instant ten = new Instant(1_764_064_800_000L);
    assertThat(
        JsonFields.requireTimestamp(event("{\"timestamp\":\"2025-11-25T10:00:00Z\"}"), "timestamp"),
        equalTo(ten));
    assertThat(
        JsonFields.requireTimestamp(event("{\"timestamp\":1764064800000}"), "timestamp"),
        equalTo(ten));
    assertThat(
        JsonFields.requireTimestamp(event("{\"timestamp\":\"1764064800000\"}"), "timestamp"),
        equalTo(ten));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "'{}'                             | 'field \"timestamp\" is missing'",
        "'{\"timestamp\":\"yesterday\"}'  | 'field \"timestamp\" is not an ISO-8601 instant or"
            + " epoch milliseconds: \"yesterday\"'",
        "'{\"timestamp\":null}'           | 'field \"timestamp\" is not an ISO-8601 instant or"
            + " epoch milliseconds: null'",
        "'{\"timestamp\":1.5}'            | 'field \"timestamp\" is not an ISO-8601 instant or"
            + " epoch milliseconds: 1.5'",
        "'{\"timestamp\":1764064800000000}' | 'field \"timestamp\" is outside the years 0000 to"
            + " 9999: 1764064800000000'",
      })
  void rejectsATimestampFieldThatIsMissingOrNotAnInstant(String json, String message) {
    assertRejected(() -> JsonFields.requireTimestamp(event(json), "timestamp"), message);
  }

  private static ObjectNode event(String json) throws InvalidEventException {
    return Json.readObject(json);
  }

  private static void assertRejected(Executable read, String message) {
    InvalidEventException e = assertThrows(InvalidEventException.class, read);
    assertThat(e.getMessage(), equalTo(message));
  }
}
