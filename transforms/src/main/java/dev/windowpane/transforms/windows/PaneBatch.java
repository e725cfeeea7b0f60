package dev.windowpane.transforms.windows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StructuredCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.KV;

/**
 * What one bundle contributes to one shard: per pane, each key's aggregate of the bundle's events
 * in that pane. The one element that crosses the shuffle between the pre-aggregation and the pane
 * engine, instead of one element per event.
 */
final class PaneBatch<K, A> {
  final List<Pane<K, A>> panes;

  PaneBatch(List<Pane<K, A>> panes) {
    this.panes = Collections.unmodifiableList(panes);
  }

  /** The keys' aggregates of one pane (starting at {@code start}) over {@code events} events. */
  static final class Pane<K, A> {
    final long start;
    final long events;
    final List<KV<K, PaneEntry<A>>> entries;

    Pane(long start, long events, List<KV<K, PaneEntry<A>>> entries) {
      this.start = start;
      this.events = events;
      this.entries = Collections.unmodifiableList(entries);
    }
  }

  static <K, A> Coder<PaneBatch<K, A>> coder(Coder<K> keyCoder, Coder<A> valueCoder) {
    return new PaneBatchCoder<>(keyCoder, valueCoder);
  }

  /** The coder of a pane's entries, as the engine also keeps them in state. */
  static <K, A> ListCoder<KV<K, PaneEntry<A>>> entriesCoder(Coder<K> keyCoder, Coder<A> valueCoder) {
    return ListCoder.of(KvCoder.of(keyCoder, PaneEntry.coder(valueCoder)));
  }

  private static final class PaneBatchCoder<K, A> extends StructuredCoder<PaneBatch<K, A>> {
    private final Coder<K> keyCoder;
    private final Coder<A> valueCoder;
    private final ListCoder<KV<K, PaneEntry<A>>> entriesCoder;

    PaneBatchCoder(Coder<K> keyCoder, Coder<A> valueCoder) {
      this.keyCoder = keyCoder;
      this.valueCoder = valueCoder;
      this.entriesCoder = entriesCoder(keyCoder, valueCoder);
    }

    @Override
    public void encode(PaneBatch<K, A> batch, OutputStream out) throws IOException {
      VarIntCoder.of().encode(batch.panes.size(), out);
      for (Pane<K, A> pane : batch.panes) {
        VarLongCoder.of().encode(pane.start, out);
        VarLongCoder.of().encode(pane.events, out);
        entriesCoder.encode(pane.entries, out);
      }
    }

    @Override
    public PaneBatch<K, A> decode(InputStream in) throws IOException {
      int count = VarIntCoder.of().decode(in);
      List<Pane<K, A>> panes = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        long start = VarLongCoder.of().decode(in);
        long events = VarLongCoder.of().decode(in);
        panes.add(new Pane<>(start, events, entriesCoder.decode(in)));
      }
      return new PaneBatch<>(panes);
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return List.of(keyCoder, valueCoder);
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      entriesCoder.verifyDeterministic();
    }
  }
}
