package dev.windowpane.transforms.json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * A line read from a partitioned log, with where it was: the record at {@code offset} of {@code
 * partition} of {@code topic} (a Kafka record's value). {@link ParseJsonLines#positioned} parses it
 * and gives its dead letter that position. Immutable; encoded by {@link PositionedLineCoder}.
 */
@DefaultCoder(PositionedLine.PositionedLineCoder.class)
public final class PositionedLine {
  private final String topic;
  private final int partition;
  private final long offset;
  private final String line;

  private PositionedLine(String topic, int partition, long offset, String line) {
    this.topic = Objects.requireNonNull(topic, "topic");
    this.partition = partition;
    this.offset = offset;
    this.line = Objects.requireNonNull(line, "line");
  }

  public static PositionedLine of(String topic, int partition, long offset, String line) {
    return new PositionedLine(topic, partition, offset, line);
  }

  public String topic() {
    return topic;
  }

  public int partition() {
    return partition;
  }

  public long offset() {
    return offset;
  }

  public String line() {
    return line;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PositionedLine other
        && other.topic.equals(topic)
        && other.partition == partition
        && other.offset == offset
        && other.line.equals(line);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, partition, offset, line);
  }

  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset + ": " + line;
  }

  /** Topic, partition, offset and line: two nested UTF-8 strings and two variable-length integers. Deterministic. */
  public static final class PositionedLineCoder extends AtomicCoder<PositionedLine> {
    private static final long serialVersionUID = 1L;
    private static final PositionedLineCoder INSTANCE = new PositionedLineCoder();

    private PositionedLineCoder() {}

    public static PositionedLineCoder of() {
      return INSTANCE;
    }

    /** Lets {@link DefaultCoder} find this coder for {@link PositionedLine}. */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(PositionedLine.class), INSTANCE);
    }

    @Override
    public void encode(PositionedLine value, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(value.topic, out);
      VarIntCoder.of().encode(value.partition, out);
      VarLongCoder.of().encode(value.offset, out);
      StringUtf8Coder.of().encode(value.line, out);
    }

    @Override
    public PositionedLine decode(InputStream in) throws IOException {
      return new PositionedLine(
          StringUtf8Coder.of().decode(in), VarIntCoder.of().decode(in), VarLongCoder.of().decode(in),
          StringUtf8Coder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }
}
