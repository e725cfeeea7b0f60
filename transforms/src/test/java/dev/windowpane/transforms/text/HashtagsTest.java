package dev.windowpane.transforms.text;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HashtagsTest {

  @Test
  void findsTagsLowerCasedWithoutTheHashInOrder() {
    assertThat(Hashtags.extract("loving #Beam today #beam_2 #"), contains("beam", "beam_2"));
  }

  @Test
  void reportsEveryOccurrenceIncludingRepeats() {
    assertThat(
        Hashtags.extract("#Beam #beam #BEAM #flink"), contains("beam", "beam", "beam", "flink"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "'#beam!'                 | beam",
        "'(#beam)'                | beam",
        "'#beam, #flink.'         | beam;flink",
        "'x,#beam'                | beam",
        "'##beam'                 | beam",
        "'#beam#flink'            | beam;flink",
        "'#café'                  | caf",
        "'#2025'                  | 2025",
        "'#_'                     | _",
        "'#Big_Data-Day'          | big_data",
        "'tab\t#beam'             | beam",
        "'ünï#beam'               | beam",
        "'a#b'                    | b",
        "'issue#12'               | 12",
        "'page#top'               | top",
        "'_#beam'                 | beam",
      })
  void aTagIsAsciiLettersDigitsAndUnderscoresAfterAHash(String text, String tags) {
    assertThat(Hashtags.extract(text), contains(tags.split(";")));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "''",
        "'no tags here'",
        "'#'",
        "'# beam'",
        "'#!beam'",
        "'#éa'",
        "'C# and F#'",
      })
  void findsNothingWithoutATag(String text) {
    List<String> tags = Hashtags.extract(text);
    assertThat(tags, empty());
  }
}
