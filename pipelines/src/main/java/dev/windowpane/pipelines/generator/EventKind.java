package dev.windowpane.pipelines.generator;

import dev.windowpane.pipelines.events.Order;
import dev.windowpane.pipelines.events.SessionEvent;
import dev.windowpane.pipelines.events.Tweet;
import dev.windowpane.transforms.json.JsonEventParser;
import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.joda.time.Instant;

/**
 * One kind of event of the command line ({@code orders}, {@code tweets}, {@code sessions}): how a
 * pipeline reads it from JSON lines, how it is encoded and written, and what the built-in
 * generator makes of it.
 */
public final class EventKind<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final EventKind<Order> ORDERS =
      new EventKind<>(
          "orders", Order.coder(), Order.parser(), Order::timestamp, Order::toJson, EventContent::order);
  public static final EventKind<Tweet> TWEETS =
      new EventKind<>(
          "tweets", Tweet.coder(), Tweet.parser(), Tweet::timestamp, Tweet::toJson, EventContent::tweet);
  public static final EventKind<SessionEvent> SESSIONS =
      new EventKind<>(
          "sessions",
          SessionEvent.coder(),
          SessionEvent.parser(),
          SessionEvent::timestamp,
          SessionEvent::toJson,
          EventContent::session);

  private final String name;
  private final Coder<T> coder;
  private final JsonEventParser<T> parser;
  private final SerializableFunction<T, Instant> eventTime;
  private final SerializableFunction<T, String> toJson;
  private final EventContent<T> content;

  private EventKind(
      String name,
      Coder<T> coder,
      JsonEventParser<T> parser,
      SerializableFunction<T, Instant> eventTime,
      SerializableFunction<T, String> toJson,
      EventContent<T> content) {
    this.name = name;
    this.coder = coder;
    this.parser = parser;
    this.eventTime = eventTime;
    this.toJson = toJson;
    this.content = content;
  }

  /** Every kind, in the order the help lists them. */
  public static List<EventKind<?>> all() {
    return List.of(ORDERS, TWEETS, SESSIONS);
  }

  public static Optional<EventKind<?>> named(String name) {
    return all().stream().filter(kind -> kind.name.equals(name)).findFirst();
  }

  public String name() {
    return name;
  }

  public Coder<T> coder() {
    return coder;
  }

  public JsonEventParser<T> parser() {
    return parser;
  }

  public SerializableFunction<T, Instant> eventTime() {
    return eventTime;
  }

  public String toJson(T event) {
    return toJson.apply(event);
  }

  /** What the generator makes of this kind. */
  public EventContent<T> content() {
    return content;
  }

  @Override
  public String toString() {
    return name;
  }
}
