package dev.windowpane.transforms.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * An input line that is not a valid event, kept unchanged with the reason in words. Written out as
 * {@code {"input":"<the original line>","error":"<why>"}}; a line whose bytes are not valid UTF-8
 * also keeps those bytes exactly, base64-encoded: {@code {"input":"<the line decoded with
 * replacement characters, for a human>","inputBase64":"<its bytes>","error":"<why>"}}. A record read
 * from a partitioned log (a Kafka topic) also says where it was: {@code "topic"}, {@code
 * "partition"} and {@code "offset"} after {@code "error"} ({@link #at}). Immutable;
 * encoded by {@link DeadLetterCoder}, which Beam finds through {@link DefaultCoder}.
 */
@DefaultCoder(DeadLetter.DeadLetterCoder.class)
public final class DeadLetter {
  private final String input;
  private final @Nullable String inputBase64;
  private final String error;
  private final @Nullable String topic;
  private final int partition;
  private final long offset;

  private DeadLetter(String input, @Nullable String inputBase64, String error) {
    this(input, inputBase64, error, null, 0, 0);
  }

  private DeadLetter(
      String input, @Nullable String inputBase64, String error, @Nullable String topic, int partition, long offset) {
    this.input = Objects.requireNonNull(input, "input");
    this.inputBase64 = inputBase64;
    this.error = Objects.requireNonNull(error, "error");
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
  }

  /** This dead letter, read as the record at {@code offset} of {@code partition} of {@code topic}. */
  public DeadLetter at(String topic, int partition, long offset) {
    return new DeadLetter(input, inputBase64, error, Objects.requireNonNull(topic, "topic"), partition, offset);
  }

  /** The topic the record was read from, for a record of a partitioned log ({@link #at}). */
  public Optional<String> topic() {
    return Optional.ofNullable(topic);
  }

  /** The record's partition of {@link #topic()} (0 without one). */
  public int partition() {
    return partition;
  }

  /** The record's offset in its {@link #partition()} (0 without a topic). */
  public long offset() {
    return offset;
  }

  /** The line {@code input}, rejected because of {@code error} (one sentence). */
  public static DeadLetter of(String input, String error) {
    return new DeadLetter(input, null, error);
  }

  /**
   * The line of bytes {@code input} that cannot be decoded as text (it is not valid UTF-8),
   * rejected because of {@code error}: kept exactly as {@link #inputBase64()}, and decoded with
   * replacement characters as {@link #input()}.
   */
  public static DeadLetter ofBytes(byte[] input, String error) {
    return new DeadLetter(
        new String(input, StandardCharsets.UTF_8),
        Base64.getEncoder().encodeToString(input),
        error);
  }

  /** The coder of dead letters. */
  public static Coder<DeadLetter> coder() {
    return DeadLetterCoder.INSTANCE;
  }

  /**
   * The original input line, unchanged; for a line that is not valid UTF-8, its bytes decoded with
   * replacement characters (U+FFFD), and {@link #inputBase64()} holds the bytes.
   */
  public String input() {
    return input;
  }

  /** The line's exact bytes in base64 (RFC 4648), for a line that is not valid UTF-8 only. */
  public Optional<String> inputBase64() {
    return Optional.ofNullable(inputBase64);
  }

  /** Why the line was rejected, in one sentence. */
  public String error() {
    return error;
  }

  /**
   * {@code {"input":"<the original line>","error":"<why>"}} as one line of JSON, with {@code
   * "inputBase64"} after {@code "input"} when the line is not valid UTF-8, and {@code "topic"},
   * {@code "partition"}, {@code "offset"} at the end for a record of a topic.
   */
  public String toJson() {
    ObjectNode json = Json.object().put("input", input);
    if (inputBase64 != null) {
      json.put("inputBase64", inputBase64);
    }
    json.put("error", error);
    if (topic != null) {
      json.put("topic", topic).put("partition", partition).put("offset", offset);
    }
    return Json.write(json);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeadLetter
        && ((DeadLetter) o).input.equals(input)
        && Objects.equals(((DeadLetter) o).inputBase64, inputBase64)
        && ((DeadLetter) o).error.equals(error)
        && Objects.equals(((DeadLetter) o).topic, topic)
        && ((DeadLetter) o).partition == partition
        && ((DeadLetter) o).offset == offset;
  }

  @Override
  public int hashCode() {
    return Objects.hash(input, inputBase64, error, topic, partition, offset);
  }

  @Override
  public String toString() {
    return toJson();
  }

  /**
   * Encodes a dead letter as its input, its base64 bytes (nullable), its error and its topic
   * (nullable), each a nested UTF-8 string, then with a topic its partition and offset as
   * variable-length integers. Deterministic.
   */
  public static final class DeadLetterCoder extends AtomicCoder<DeadLetter> {
    private static final long serialVersionUID = 1L;
    private static final DeadLetterCoder INSTANCE = new DeadLetterCoder();
    private static final StringUtf8Coder STRING = StringUtf8Coder.of();
    private static final Coder<String> OPTIONAL_STRING = NullableCoder.of(STRING);

    private DeadLetterCoder() {}

    public static DeadLetterCoder of() {
      return INSTANCE;
    }

    /** Lets {@link DefaultCoder} find this coder for {@link DeadLetter}. */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(DeadLetter.class), INSTANCE);
    }

    @Override
    public void encode(DeadLetter value, OutputStream out) throws IOException {
      STRING.encode(value.input, out);
      OPTIONAL_STRING.encode(value.inputBase64, out);
      STRING.encode(value.error, out);
      OPTIONAL_STRING.encode(value.topic, out);
      if (value.topic != null) {
        VarIntCoder.of().encode(value.partition, out);
        VarLongCoder.of().encode(value.offset, out);
      }
    }

    @Override
    public DeadLetter decode(InputStream in) throws IOException {
      String input = STRING.decode(in);
      String inputBase64 = OPTIONAL_STRING.decode(in);
      String error = STRING.decode(in);
      String topic = OPTIONAL_STRING.decode(in);
      if (topic == null) {
        return new DeadLetter(input, inputBase64, error);
      }
      return new DeadLetter(input, inputBase64, error, topic, VarIntCoder.of().decode(in), VarLongCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }
}
