package dev.windowpane.transforms.json;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.sameInstance;

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
