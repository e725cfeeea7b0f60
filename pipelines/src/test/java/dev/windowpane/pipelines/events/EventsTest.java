package dev.windowpane.pipelines.events;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windowpane.transforms.json.InvalidEventException;
import dev.windowpane.transforms.json.Json;
import dev.windowpane.transforms.json.JsonEventParser;
import org.apache.beam.sdk.testing.CoderProperties;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The three event types: their JSON contract (valid and invalid lines), toJson and coders. */
class EventsTest {
  private static final Instant T = Instant.parse("2025-11-25T10:00:00Z");

  @Test
  void anOrderIsReadFromItsContractLine() throws Exception {
    assertThat(
        parse(Order.parser(), "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"item\":\"sku-1\",\"quantity\":2}"),
        equalTo(Order.of(T, "sku-1", 2)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"item\":\"sku-1\",\"quantity\":0}",
        "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"item\":\"sku-1\",\"quantity\":-3}",
        "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"item\":\"sku-1\",\"quantity\":1000000000001}",
        "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"item\":\"sku-1\",\"quantity\":9223372036854775807}",
        "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"item\":\"sku-1\",\"quantity\":1.5}",
        "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"item\":\"sku-1\",\"quantity\":\"2\"}",
        "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"item\":\"sku-1\",\"quantity\":null}",
        "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"item\":\"sku-1\"}",
        "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"item\":17,\"quantity\":1}",
        "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"quantity\":1}",
        "{\"item\":\"sku-1\",\"quantity\":1}",
        "{\"timestamp\":\"noon\",\"item\":\"sku-1\",\"quantity\":1}",
      })
  void anOrderLineBreakingTheContractIsInvalid(String line) {
    assertThrows(InvalidEventException.class, () -> parse(Order.parser(), line));
  }

  @Test
  void anOrderQuantityIsAtMostTenToTheTwelfthSoAWindowTotalCannotOverflow() throws Exception {
    assertThat(
        parse(Order.parser(), "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"item\":\"sku-1\",\"quantity\":1000000000000}"),
        equalTo(Order.of(T, "sku-1", 1_000_000_000_000L)));
    InvalidEventException tooMany =
        assertThrows(
            InvalidEventException.class,
            () ->
                parse(
                    Order.parser(),
                    "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"item\":\"sku-1\",\"quantity\":9223372036854775807}"));
    assertThat(
        tooMany.getMessage(),
        equalTo(
            "field \"quantity\" is outside the allowed range 1 to 1000000000000, got 9223372036854775807"));
    assertThrows(IllegalArgumentException.class, () -> Order.of(T, "sku-1", 1_000_000_000_001L));
  }

  @Test
  void aTweetIsReadFromItsContractLine() throws Exception {
    assertThat(
        parse(Tweet.parser(), "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"text\":\"loving #Beam\"}"),
        equalTo(Tweet.of(T, "loving #Beam")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"text\":42}",
        "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"text\":[\"#beam\"]}",
        "{\"timestamp\":\"2025-11-25T10:00:00Z\"}",
        "{\"text\":\"#beam\"}",
      })
  void aTweetLineBreakingTheContractIsInvalid(String line) {
    assertThrows(InvalidEventException.class, () -> parse(Tweet.parser(), line));
  }

  @Test
  void aSessionEventIsReadFromItsContractLineWithAnyJsonNumber() throws Exception {
    assertThat(
        parse(SessionEvent.parser(), "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"session\":\"s-1\",\"value\":12.5}"),
        equalTo(SessionEvent.of(T, "s-1", 12.5)));
    assertThat(
        parse(SessionEvent.parser(), "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"session\":\"s-1\",\"value\":12}"),
        equalTo(SessionEvent.of(T, "s-1", 12.0)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"session\":\"s-1\",\"value\":\"12.5\"}",
        "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"session\":\"s-1\"}",
        "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"session\":1,\"value\":1}",
        "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"value\":1}",
        "{\"session\":\"s-1\",\"value\":1}",
      })
  void aSessionLineBreakingTheContractIsInvalid(String line) {
    assertThrows(InvalidEventException.class, () -> parse(SessionEvent.parser(), line));
  }

  @Test
  void toJsonWritesTheContractLine() {
    assertThat(
        Order.of(T, "sku-1", 2).toJson(),
        equalTo("{\"timestamp\":\"2025-11-25T10:00:00Z\",\"item\":\"sku-1\",\"quantity\":2}"));
    assertThat(
        Tweet.of(T, "a \"quoted\" #tag").toJson(),
        equalTo("{\"timestamp\":\"2025-11-25T10:00:00Z\",\"text\":\"a \\\"quoted\\\" #tag\"}"));
    assertThat(
        SessionEvent.of(T, "s-1", 12.5).toJson(),
        equalTo("{\"timestamp\":\"2025-11-25T10:00:00Z\",\"session\":\"s-1\",\"value\":12.5}"));
  }

  @Test
  void toJsonReadsBackAsTheSameEvent() throws Exception {
    Instant withMillis = Instant.parse("2025-11-25T10:00:00.007Z");
    Order order = Order.of(withMillis, "sku-ü", 5);
    Tweet tweet = Tweet.of(withMillis, "line\nbreak and #Beam");
    SessionEvent event = SessionEvent.of(withMillis, "s-9", 0.1);

    assertThat(parse(Order.parser(), order.toJson()), equalTo(order));
    assertThat(parse(Tweet.parser(), tweet.toJson()), equalTo(tweet));
    assertThat(parse(SessionEvent.parser(), event.toJson()), equalTo(event));
  }

  @Test
  void codersRoundTrip() throws Exception {
    CoderProperties.coderDecodeEncodeEqual(Order.coder(), Order.of(T, "sku-1", 3));
    CoderProperties.coderDecodeEncodeEqual(Tweet.coder(), Tweet.of(T, "#beam"));
    CoderProperties.coderDecodeEncodeEqual(SessionEvent.coder(), SessionEvent.of(T, "s-1", -2.5));
    CoderProperties.coderSerializable(Order.coder());
    CoderProperties.coderSerializable(Tweet.coder());
    CoderProperties.coderSerializable(SessionEvent.coder());
  }

  private static <T> T parse(JsonEventParser<T> parser, String line) throws Exception {
    return parser.parse((ObjectNode) Json.mapper().readTree(line));
  }
}
