package dev.windowpane.transforms.json;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventTimestampsTest {
  /** 2025-11-25T10:00:00Z. */
  private static final long TEN_OCLOCK = 1_764_064_800_000L;

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "'\"2025-11-25T10:00:00Z\"'             | 0",
        "'\"2025-11-25T10:00:00.250Z\"'         | 250",
        "'\"2025-11-25T10:00:00.5Z\"'           | 500",
        "'\"2025-11-25T10:00:00.123456789Z\"'   | 123",
        "'\"2025-11-25T12:00:00+02:00\"'        | 0",
        "'\"2025-11-25T04:30:00.001-05:30\"'    | 1",
        "'\"1764064800000\"'                    | 0",
        "'\"1764064800042\"'                    | 42",
        "1764064800000                          | 0",
        "1764064800000.0                        | 0",
        "1.7640648E12                           | 0",
      })
  void acceptsIsoInstantsAndEpochMillis(String json, long millisAfterTen) throws Exception {
    assertThat(
        EventTimestamps.parse(node(json)), equalTo(new Instant(TEN_OCLOCK + millisAfterTen)));
  }

  @Test
  void acceptsInstantsBefore1970() throws Exception {
    assertThat(EventTimestamps.parse(node("-1000")), equalTo(new Instant(-1000)));
    assertThat(
        EventTimestamps.parse(node("\"1969-12-31T23:59:59Z\"")), equalTo(new Instant(-1000)));
    assertThat(EventTimestamps.parse(node("\"0\"")), equalTo(new Instant(0)));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "'\"yesterday\"'               | '\"yesterday\"'",
        "'\"\"'                        | '\"\"'",
        "'\"-1000\"'                   | '\"-1000\"'",
        "'\" 1764064800000\"'          | '\" 1764064800000\"'",
        "'\"1764064800000.0\"'         | '\"1764064800000.0\"'",
        "'\"2025-11-25T10:00:00\"'     | '\"2025-11-25T10:00:00\"'",
        "'\"2025-11-25T10:00Z\"'       | '\"2025-11-25T10:00Z\"'",
        "'\"2025-11-25\"'              | '\"2025-11-25\"'",
        "'\"2025-13-01T00:00:00Z\"'    | '\"2025-13-01T00:00:00Z\"'",
        "1764064800000.5               | 1764064800000.5",
        "1.5                           | 1.5",
        "true                          | true",
        "null                          | null",
        "'{\"ms\":1}'                  | '{\"ms\":1}'",
        "'[1764064800000]'             | '[1764064800000]'",
      })
  void rejectsAnythingElse(String json, String shown) {
    InvalidEventException e =
        assertThrows(InvalidEventException.class, () -> EventTimestamps.parse(node(json)));
    assertThat(
        e.getMessage(),
        equalTo("the timestamp is not an ISO-8601 instant or epoch milliseconds: " + shown));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "1764064800000000              | 1764064800000000",
        "'\"99999999999999999999\"'    | '\"99999999999999999999\"'",
        "99999999999999999999          | 99999999999999999999",
        "'\"+10000-01-01T00:00:00Z\"'  | '\"+10000-01-01T00:00:00Z\"'",
        "-62167219200001               | -62167219200001",
      })
  void rejectsTimesOutsideYears0To9999(String json, String shown) {
    InvalidEventException e =
        assertThrows(InvalidEventException.class, () -> EventTimestamps.parse(node(json)));
    assertThat(
        e.getMessage(), equalTo("the timestamp is outside the years 0000 to 9999: " + shown));
  }

  @Test
  void acceptsTheFirstAndLastMillisecondOfYears0To9999() throws Exception {
    assertThat(
        EventTimestamps.parse(node("\"0000-01-01T00:00:00Z\"")),
        equalTo(new Instant(-62_167_219_200_000L)));
    assertThat(
        EventTimestamps.parse(node("\"9999-12-31T23:59:59.999Z\"")),
        equalTo(new Instant(253_402_300_799_999L)));
  }

  @Test
  void rejectsMissingValue() {
    InvalidEventException e =
        assertThrows(
            InvalidEventException.class, () -> EventTimestamps.parse(MissingNode.getInstance()));
    assertThat(
        e.getMessage(),
        equalTo("the timestamp is not an ISO-8601 instant or epoch milliseconds: nothing"));
  }

  @Test
  void formatsIsoUtcWithFractionOnlyWhenNonZero() {
    assertThat(EventTimestamps.format(new Instant(TEN_OCLOCK)), equalTo("2025-11-25T10:00:00Z"));
    assertThat(
        EventTimestamps.format(new Instant(TEN_OCLOCK + 250)), equalTo("2025-11-25T10:00:00.250Z"));
    assertThat(EventTimestamps.format(new Instant(-1)), equalTo("1969-12-31T23:59:59.999Z"));
  }

  @Test
  void formattedTextParsesBackToTheSameInstant() throws Exception {
    for (long millis : new long[] {TEN_OCLOCK, TEN_OCLOCK + 1, -1, 0, 253_402_300_799_999L}) {
      Instant instant = new Instant(millis);
      JsonNode text = Json.mapper().getNodeFactory().textNode(EventTimestamps.format(instant));
      assertThat(EventTimestamps.parse(text), equalTo(instant));
    }
  }

  private static JsonNode node(String json) throws Exception {
    return Json.mapper().readTree(json);
  }
}
