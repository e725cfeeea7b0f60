package dev.windowpane.transforms.windows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StructuredCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;

/**
 * One ranking of one window, with the window's bounds: {@code [windowStart, windowEnd)}, the
 * entries best first, and whether this firing refines an earlier ranking of the same window (a
 * late firing, which replaces the earlier one). What {@link SlidingTopN.Result#rankingsWithWindows()}
 * emits, so a reader needs no window parameter.
 */
public final class Ranking<K> {
  private final Instant windowStart;
  private final Instant windowEnd;
  private final boolean refinement;
  private final List<KV<K, Long>> entries;

  public Ranking(Instant windowStart, Instant windowEnd, boolean refinement, List<KV<K, Long>> entries) {
    this.windowStart = Objects.requireNonNull(windowStart, "windowStart");
    this.windowEnd = Objects.requireNonNull(windowEnd, "windowEnd");
    this.refinement = refinement;
    this.entries = Collections.unmodifiableList(entries);
  }

  public Instant windowStart() {
    return windowStart;
  }

  /** The end of the window, exclusive. */
  public Instant windowEnd() {
    return windowEnd;
  }

  /** Whether an earlier ranking of this window was emitted, which this one replaces. */
  public boolean isRefinement() {
    return refinement;
  }

  /** (key, total) best first, in {@link Rankings#order()}. */
  public List<KV<K, Long>> entries() {
    return entries;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Ranking)) {
      return false;
    }
    Ranking<?> other = (Ranking<?>) o;
    return windowStart.equals(other.windowStart)
        && windowEnd.equals(other.windowEnd)
        && refinement == other.refinement
        && entries.equals(other.entries);
  }

  @Override
  public int hashCode() {
    return Objects.hash(windowStart, windowEnd, refinement, entries);
  }

  @Override
  public String toString() {
    return "[" + windowStart + ", " + windowEnd + ")" + (refinement ? " (refined) " : " ") + entries;
  }

  public static <K> Coder<Ranking<K>> coder(Coder<K> keyCoder) {
    return new RankingCoder<>(keyCoder);
  }

  /** Attaches each ranking's window bounds and firing. */
  static final class AttachWindowFn<K> extends DoFn<List<KV<K, Long>>, Ranking<K>> {
    @ProcessElement
    public void process(
        @Element List<KV<K, Long>> entries, BoundedWindow window, PaneInfo pane, OutputReceiver<Ranking<K>> out) {
      IntervalWindow interval = (IntervalWindow) window;
      out.output(new Ranking<>(interval.start(), interval.end(), !pane.isFirst(), entries));
    }
  }

  private static final class RankingCoder<K> extends StructuredCoder<Ranking<K>> {
    private final Coder<K> keyCoder;
    private final ListCoder<KV<K, Long>> entriesCoder;

    RankingCoder(Coder<K> keyCoder) {
      this.keyCoder = keyCoder;
      this.entriesCoder = ListCoder.of(KvCoder.of(keyCoder, VarLongCoder.of()));
    }

    @Override
    public void encode(Ranking<K> ranking, OutputStream out) throws IOException {
      InstantCoder.of().encode(ranking.windowStart, out);
      InstantCoder.of().encode(ranking.windowEnd, out);
      BooleanCoder.of().encode(ranking.refinement, out);
      entriesCoder.encode(ranking.entries, out);
    }

    @Override
    public Ranking<K> decode(InputStream in) throws IOException {
      Instant start = InstantCoder.of().decode(in);
      Instant end = InstantCoder.of().decode(in);
      boolean refinement = BooleanCoder.of().decode(in);
      return new Ranking<>(start, end, refinement, entriesCoder.decode(in));
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return Collections.singletonList(keyCoder);
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      entriesCoder.verifyDeterministic();
    }
  }
}
