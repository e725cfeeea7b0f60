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
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.joda.time.Instant;

/**
 * A tweet of the trending-hashtags pipeline: its {@code text}, posted at {@code timestamp}. JSON:
 * {@code {"timestamp": T, "text": "loving #Beam today"}}.
 */
public final class Tweet {
  private final Instant timestamp;
  private final String text;

  private Tweet(Instant timestamp, String text) {
    this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
    this.text = Objects.requireNonNull(text, "text");
  }

  public static Tweet of(Instant timestamp, String text) {
    return new Tweet(timestamp, text);
  }

  public Instant timestamp() {
    return timestamp;
  }

  public String text() {
    return text;
  }

  /** This tweet as one JSON line of the input contract. */
  public String toJson() {
    ObjectNode json = Json.mapper().createObjectNode();
    json.put("timestamp", EventTimestamps.format(timestamp));
    json.put("text", text);
    return Json.write(json);
  }

  /** Reads a tweet from a JSON line: text a string. */
  public static JsonEventParser<Tweet> parser() {
    return line ->
        new Tweet(
            JsonFields.requireTimestamp(line, "timestamp"), JsonFields.requireString(line, "text"));
  }

  public static Coder<Tweet> coder() {
    return TweetCoder.INSTANCE;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tweet
        && timestamp.equals(((Tweet) o).timestamp)
        && text.equals(((Tweet) o).text);
  }

  @Override
  public int hashCode() {
    return Objects.hash(timestamp, text);
  }

  @Override
  public String toString() {
    return toJson();
  }

  private static final class TweetCoder extends CustomCoder<Tweet> {
    private static final long serialVersionUID = 1L;
    static final TweetCoder INSTANCE = new TweetCoder();

    @Override
    public void encode(Tweet tweet, OutputStream out) throws IOException {
      InstantCoder.of().encode(tweet.timestamp, out);
      StringUtf8Coder.of().encode(tweet.text, out);
    }

    @Override
    public Tweet decode(InputStream in) throws IOException {
      return new Tweet(InstantCoder.of().decode(in), StringUtf8Coder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}

    private Object readResolve() {
      return INSTANCE;
    }
  }
}
