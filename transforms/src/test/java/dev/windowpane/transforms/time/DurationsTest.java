package dev.windowpane.transforms.time;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {
  private static final String USAGE =
      "write a number and a unit, such as 500ms, 90s, 1m, 1h or 1d.";

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "500ms        | 500",
        "1s           | 1000",
        "90s          | 90000",
        "1m           | 60000",
        "1h           | 3600000",
        "1d           | 86400000",
        "1h30m        | 5400000",
        "1d2h3m4s5ms  | 93784005",
        "2H           | 7200000",
        "250MS        | 250",
        "1M           | 60000",
        "1m1ms        | 60001",
        "0s           | 0",
        "0ms          | 0",
        "0            | 0",
        "'  15m '     | 900000",
        "007s         | 7000",
        "1h0m         | 3600000",
        "106751991167d | 9223372036828800000",
      })
  void parsesNumbersWithUnits(String text, long millis) {
    assertThat(Durations.parse(text), equalTo(Duration.millis(millis)));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "abc", "''", "'   '", "10", "s", "1.5h", "1 h", "1h 30m", "1w", "1y", "1min", "1sec", "+1s",
        "1h30", "1h-30m", "PT1H",
      })
  void rejectsTextWithoutANumberAndAUnit(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    assertThat(e.getMessage(), equalTo("Cannot read \"" + text + "\" as a duration: " + USAGE));
  }

  @Test
  void rejectsNegativeDurations() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("-1s"));
    assertThat(
        e.getMessage(),
        equalTo("Cannot read \"-1s\" as a duration: a duration cannot be negative."));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource({"30m1h", "1m1m", "1s1m", "5ms1s"})
  void rejectsPartsOutOfOrderOrRepeated(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    assertThat(
        e.getMessage(),
        equalTo(
            "Cannot read \""
                + text
                + "\" as a duration: write its parts from the largest unit to the smallest,"
                + " each unit once, such as 1h30m."));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource({
    "106751991168d",
    "9223372036854775808ms",
    "99999999999999999999999s",
    "106751991167d24h"
  })
  void rejectsDurationsBeyondTheMillisecondRange(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
    assertThat(
        e.getMessage(),
        equalTo(
            "Cannot read \""
                + text
                + "\" as a duration: it is longer than the longest duration a 64-bit millisecond"
                + " count holds (about 292 million years)."));
  }

  @ParameterizedTest(name = "[{index}] {0} ms")
  @CsvSource(
      delimiter = '|',
      value = {
        "0          | 0s",
        "500        | 500ms",
        "1000       | 1s",
        "90000      | 1m30s",
        "60000      | 1m",
        "3600000    | 1h",
        "5400000    | 1h30m",
        "86400000   | 1d",
        "129600000  | 1d12h",
        "93784005   | 1d2h3m4s5ms",
        "3600001    | 1h1ms",
        "-90000     | -1m30s",
      })
  void formatsLargestUnitsFirstWithoutZeroParts(long millis, String text) {
    assertThat(Durations.format(Duration.millis(millis)), equalTo(text));
  }

  @Test
  void formatsTheExtremes() {
    assertThat(
        Durations.format(Duration.millis(Long.MAX_VALUE)), equalTo("106751991167d7h12m55s807ms"));
    assertThat(
        Durations.format(Duration.millis(Long.MIN_VALUE)), equalTo("-106751991167d7h12m55s808ms"));
  }

  @Test
  void formattedTextParsesBackToTheSameDuration() {
    for (long millis :
        new long[] {0, 1, 999, 1000, 61_001, 5_400_000, 86_400_000, Long.MAX_VALUE}) {
      Duration duration = Duration.millis(millis);
      assertThat(Durations.parse(Durations.format(duration)), equalTo(duration));
    }
  }
}
