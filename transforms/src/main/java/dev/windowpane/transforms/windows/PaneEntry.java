package dev.windowpane.transforms.windows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StructuredCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * One key's aggregate over some events (of a pane, or of a window) and how many events it covers.
 * The count tells a key that is present with a zero or negative total from a key that is absent.
 */
final class PaneEntry<A> {
  final A value;
  final long events;

  PaneEntry(A value, long events) {
    this.value = value;
    this.events = events;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PaneEntry
        && ((PaneEntry<?>) o).events == events
        && Objects.equals(((PaneEntry<?>) o).value, value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(value, events);
  }

  @Override
  public String toString() {
    return value + " (" + events + " events)";
  }

  static <A> Coder<PaneEntry<A>> coder(Coder<A> valueCoder) {
    return new PaneEntryCoder<>(valueCoder);
  }

  private static final class PaneEntryCoder<A> extends StructuredCoder<PaneEntry<A>> {
    private final Coder<A> valueCoder;

    PaneEntryCoder(Coder<A> valueCoder) {
      this.valueCoder = valueCoder;
    }

    @Override
    public void encode(PaneEntry<A> entry, OutputStream out) throws IOException {
      valueCoder.encode(entry.value, out);
      VarLongCoder.of().encode(entry.events, out);
    }

    @Override
    public PaneEntry<A> decode(InputStream in) throws IOException {
      A value = valueCoder.decode(in);
      return new PaneEntry<>(value, VarLongCoder.of().decode(in));
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return Collections.singletonList(valueCoder);
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      valueCoder.verifyDeterministic();
    }
  }
}
