package dev.windowpane.transforms.json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * An input line that is not a valid event, kept unchanged with the reason in words. Written out as
 * {@code {"input":"<the original line>","error":"<why>"}}. Immutable; encoded by {@link
 * DeadLetterCoder} (two UTF-8 strings), which Beam finds through {@link DefaultCoder}.
 */
@DefaultCoder(DeadLetter.DeadLetterCoder.class)
public final class DeadLetter {
  private final String input;
  private final String error;

  private DeadLetter(String input, String error) {
    this.input = Objects.requireNonNull(input, "input");
    this.error = Objects.requireNonNull(error, "error");
  }

  /** The line {@code input}, rejected because of {@code error} (one sentence). */
  public static DeadLetter of(String input, String error) {
    return new DeadLetter(input, error);
  }

  /** The coder of dead letters. */
  public static Coder<DeadLetter> coder() {
    return DeadLetterCoder.INSTANCE;
  }

  /** The original input line, unchanged. */
  public String input() {
    return input;
  }

  /** Why the line was rejected, in one sentence. */
  public String error() {
    return error;
  }

  /** {@code {"input":"<the original line>","error":"<why>"}} as one line of JSON. */
  public String toJson() {
    return Json.write(Json.object().put("input", input).put("error", error));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeadLetter
        && ((DeadLetter) o).input.equals(input)
        && ((DeadLetter) o).error.equals(error);
  }

  @Override
  public int hashCode() {
    return Objects.hash(input, error);
  }

  @Override
  public String toString() {
    return toJson();
  }

  /**
   * Encodes a dead letter as its input then its error, each a nested UTF-8 string. Deterministic.
   */
  public static final class DeadLetterCoder extends AtomicCoder<DeadLetter> {
    private static final long serialVersionUID = 1L;
    private static final DeadLetterCoder INSTANCE = new DeadLetterCoder();
    private static final StringUtf8Coder STRING = StringUtf8Coder.of();

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
      STRING.encode(value.error, out);
    }

    @Override
    public DeadLetter decode(InputStream in) throws IOException {
      return new DeadLetter(STRING.decode(in), STRING.decode(in));
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }
}
