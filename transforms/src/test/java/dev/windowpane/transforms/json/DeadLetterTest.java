package dev.windowpane.transforms.json;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.sameInstance;

import java.util.Base64;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

class DeadLetterTest {
  private static final DeadLetter LETTER =
      DeadLetter.of(
          "{\"item\":\"café\",\"quantity\":0}",
          "field \"quantity\" must be an integer >= 1, got 0");

  @Test
  void writesTheOriginalLineUnchangedAndTheErrorAsJson() {
    assertThat(
        LETTER.toJson(),
        equalTo(
            "{\"input\":\"{\\\"item\\\":\\\"café\\\",\\\"quantity\\\":0}\","
                + "\"error\":\"field \\\"quantity\\\" must be an integer >= 1, got 0\"}"));
  }

  @Test
  void theJsonReadsBackToTheSameInputAndError() throws Exception {
    DeadLetter odd = DeadLetter.of("  tab\there \"q\" \\ \u2028 end ", "the line is not JSON");
    var json = Json.readObject(odd.toJson());
    assertThat(json.get("input").textValue(), equalTo(odd.input()));
    assertThat(json.get("error").textValue(), equalTo(odd.error()));
    assertThat(json.size(), equalTo(2));
  }

  @Test
  void aLineThatIsNotValidUtf8KeepsItsExactBytesInBase64BesideTheReadableInput() throws Exception {
    byte[] line = {'{', '"', 'i', '"', ':', '"', 'c', 'a', 'f', (byte) 0xE9, '"', '}'};
    DeadLetter letter =
        DeadLetter.ofBytes(line, "the line is not valid UTF-8 (byte 0xE9 at offset 9)");

    assertThat(
        letter.toJson(),
        equalTo(
            "{\"input\":\"{\\\"i\\\":\\\"caf\uFFFD\\\"}\","
                + "\"inputBase64\":\"eyJpIjoiY2Fm6SJ9\","
                + "\"error\":\"the line is not valid UTF-8 (byte 0xE9 at offset 9)\"}"));
    var json = Json.readObject(letter.toJson());
    assertThat(Base64.getDecoder().decode(json.get("inputBase64").textValue()), equalTo(line));
    assertThat(LETTER.inputBase64().isPresent(), equalTo(false));
    CoderProperties.coderDecodeEncodeEqual(DeadLetter.coder(), letter);
    CoderProperties.coderDeterministic(
        DeadLetter.coder(), letter, DeadLetter.ofBytes(line.clone(), letter.error()));
  }

  @Test
  void coderRoundTripsAndIsDeterministic() throws Exception {
    CoderProperties.coderDecodeEncodeEqual(DeadLetter.coder(), LETTER);
    CoderProperties.coderDecodeEncodeEqual(DeadLetter.coder(), DeadLetter.of("", ""));
    CoderProperties.coderDeterministic(
        DeadLetter.coder(), LETTER, DeadLetter.of(LETTER.input(), LETTER.error()));
    CoderProperties.coderSerializable(DeadLetter.coder());
  }

  @Test
  void beamInfersTheCoderFromTheClass() throws Exception {
    assertThat(
        CoderRegistry.createDefault().getCoder(DeadLetter.class), sameInstance(DeadLetter.coder()));
  }
}
