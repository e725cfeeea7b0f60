package dev.windowpane.pipelines.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windowpane.transforms.json.EventTimestamps;
import dev.windowpane.transforms.json.Json;
import dev.windowpane.transforms.json.JsonEventParser;
import dev.windowpane.transforms.json.JsonFields;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.joda.time.Instant;

/**
 * An event of the session-stats pipeline: {@code value} observed in {@code session} at {@code
 * timestamp}. JSON: {@code {"timestamp": T, "session": "s-1", "value": 12.5}}.
 */
public final class SessionEvent {
  private final Instant timestamp;
  private final String session;
  private final double value;

  private SessionEvent(Instant timestamp, String session, double value) {
    this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
    this.session = Objects.requireNonNull(session, "session");
    this.value = value;
  }

  public static SessionEvent of(Instant timestamp, String session, double value) {
    return new SessionEvent(timestamp, session, value);
  }

  public Instant timestamp() {
    return timestamp;
  }

  public String session() {
    return session;
  }

  public double value() {
    return value;
  }

  /** This event as one JSON line of the input contract. */
  public String toJson() {
    ObjectNode json = Json.mapper().createObjectNode();
    json.put("timestamp", EventTimestamps.format(timestamp));
    json.put("session", session);
    json.put("value", value);
    return Json.write(json);
  }

  /** Reads a session event from a JSON line: session a string, value a JSON number. */
  public static JsonEventParser<SessionEvent> parser() {
    return line ->
        new SessionEvent(
            JsonFields.requireTimestamp(line, "timestamp"),
            JsonFields.requireString(line, "session"),
            JsonFields.requireNumber(line, "value"));
  }

  public static Coder<SessionEvent> coder() {
    return SessionEventCoder.INSTANCE;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SessionEvent)) {
      return false;
    }
    SessionEvent other = (SessionEvent) o;
    return timestamp.equals(other.timestamp)
        && session.equals(other.session)
        && Double.compare(value, other.value) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(timestamp, session, value);
  }

  @Override
  public String toString() {
    return toJson();
  }

  private static final class SessionEventCoder extends CustomCoder<SessionEvent> {
    private static final long serialVersionUID = 1L;
    static final SessionEventCoder INSTANCE = new SessionEventCoder();

    @Override
    public void encode(SessionEvent event, OutputStream out) throws IOException {
      InstantCoder.of().encode(event.timestamp, out);
      StringUtf8Coder.of().encode(event.session, out);
      DoubleCoder.of().encode(event.value, out);
    }

    @Override
    public SessionEvent decode(InputStream in) throws IOException {
      return new SessionEvent(
          InstantCoder.of().decode(in), StringUtf8Coder.of().decode(in), DoubleCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}

    private Object readResolve() {
      return INSTANCE;
    }
  }
}
