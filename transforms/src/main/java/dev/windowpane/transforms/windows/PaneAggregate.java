package dev.windowpane.transforms.windows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StructuredCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * One key's values of one pane, reduced, as collected from one bundle: the unit that crosses the
 * shuffle in {@link InvertibleSlidingReduce}. {@code events} counts the elements it stands for.
 */
final class PaneAggregate<V> {
  final long paneStart;
  final V value;
  final long events;

  PaneAggregate(long paneStart, V value, long events) {
    this.paneStart = paneStart;
    this.value = value;
    this.events = events;
  }

  static <V> Coder<PaneAggregate<V>> coder(Coder<V> valueCoder) {
    return new PaneAggregateCoder<>(valueCoder);
  }

  @Override
  public String toString() {
    return "PaneAggregate{paneStart=" + paneStart + ", value=" + value + ", events=" + events + "}";
  }

  private static final class PaneAggregateCoder<V> extends StructuredCoder<PaneAggregate<V>> {
    private static final VarLongCoder LONG = VarLongCoder.of();
    private final Coder<V> valueCoder;

    PaneAggregateCoder(Coder<V> valueCoder) {
      this.valueCoder = valueCoder;
    }

    @Override
    public void encode(PaneAggregate<V> aggregate, OutputStream out) throws IOException {
      LONG.encode(aggregate.paneStart, out);
      valueCoder.encode(aggregate.value, out);
      LONG.encode(aggregate.events, out);
    }

    @Override
    public PaneAggregate<V> decode(InputStream in) throws IOException {
      long paneStart = LONG.decode(in);
      V value = valueCoder.decode(in);
      return new PaneAggregate<>(paneStart, value, LONG.decode(in));
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return Collections.singletonList(valueCoder);
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      verifyDeterministic(this, "The value coder must be deterministic.", valueCoder);
    }
  }
}
