package dev.windowpane.transforms.windows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.StructuredCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * Per-key sums of one shard's panes, as collected from one bundle: the unit that crosses the
 * shuffle in {@link SlidingTopN}, so that one element carries a whole bundle's worth of events.
 * It also carries the latest event time the sender has seen, so that a shard without data of its
 * own still learns how far event time has come (an element with no panes is such a heartbeat).
 */
final class PaneSums<K> {
  /** The sums of one pane: how many events it holds and each key's total. */
  static final class Pane<K> {
    final long start;
    final long events;
    final Map<K, Long> totals;

    Pane(long start, long events, Map<K, Long> totals) {
      this.start = start;
      this.events = events;
      this.totals = totals;
    }
  }

  final List<Pane<K>> panes;
  final long latestEventTime;

  PaneSums(List<Pane<K>> panes, long latestEventTime) {
    this.panes = Collections.unmodifiableList(panes);
    this.latestEventTime = latestEventTime;
  }

  static <K> PaneSumsCoder<K> coder(Coder<K> keyCoder) {
    return new PaneSumsCoder<>(keyCoder);
  }

  /** Encodes the panes as (start, events, size, then key and total per entry). */
  static final class PaneSumsCoder<K> extends StructuredCoder<PaneSums<K>> {
    private static final VarLongCoder LONG = VarLongCoder.of();
    private static final VarIntCoder INT = VarIntCoder.of();
    private final Coder<K> keyCoder;

    PaneSumsCoder(Coder<K> keyCoder) {
      this.keyCoder = keyCoder;
    }

    @Override
    public void encode(PaneSums<K> value, OutputStream out) throws IOException {
      LONG.encode(value.latestEventTime, out);
      INT.encode(value.panes.size(), out);
      for (Pane<K> pane : value.panes) {
        LONG.encode(pane.start, out);
        LONG.encode(pane.events, out);
        INT.encode(pane.totals.size(), out);
        for (Map.Entry<K, Long> e : pane.totals.entrySet()) {
          keyCoder.encode(e.getKey(), out);
          LONG.encode(e.getValue(), out);
        }
      }
    }

    @Override
    public PaneSums<K> decode(InputStream in) throws IOException {
      long latestEventTime = LONG.decode(in);
      int paneCount = INT.decode(in);
      if (paneCount < 0) {
        throw new CoderException("negative pane count " + paneCount);
      }
      List<Pane<K>> panes = new ArrayList<>(paneCount);
      for (int p = 0; p < paneCount; p++) {
        long start = LONG.decode(in);
        long events = LONG.decode(in);
        int size = INT.decode(in);
        Map<K, Long> totals = new HashMap<>(Math.max(4, size * 4 / 3 + 1));
        for (int i = 0; i < size; i++) {
          totals.put(keyCoder.decode(in), LONG.decode(in));
        }
        panes.add(new Pane<>(start, events, totals));
      }
      return new PaneSums<>(panes, latestEventTime);
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return Collections.singletonList(keyCoder);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
