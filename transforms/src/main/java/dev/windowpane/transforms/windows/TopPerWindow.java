package dev.windowpane.transforms.windows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * The top {@code n} of {@code KV<key, total>} per window, best first in {@link Rankings#order()}
 * (total descending, key ascending); a window with fewer keys reports what it has.
 *
 * <p>Built for per-key totals that are refined by late firings, such as {@link SlidingCombine}'s
 * accumulating late panes: of the totals of one key in one window, the one from the latest pane
 * (highest {@link PaneInfo#getIndex()}) replaces the earlier ones; totals of one key from the same
 * pane add up, so raw per-event counts work too. The ranking fires when the watermark passes the
 * end of the window and again for every late total, each time with the complete top list of the
 * window, so a late list replaces the earlier one. The result does not depend on the order in
 * which elements arrive.
 *
 * <p>Cost: one element per input total through one shuffle per window; the combiner keeps one
 * entry per key of the window and selects the top n in O(keys log n).
 */
public final class TopPerWindow<K extends Comparable<? super K>>
    extends PTransform<PCollection<KV<K, Long>>, PCollection<List<KV<K, Long>>>> {

  private final int n;

  private TopPerWindow(int n) {
    this.n = n;
  }

  /** The top {@code n} (at least 1) per window. */
  public static <K extends Comparable<? super K>> TopPerWindow<K> of(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("The top list needs at least 1 entry, got " + n + ".");
    }
    return new TopPerWindow<>(n);
  }

  @Override
  public PCollection<List<KV<K, Long>>> expand(PCollection<KV<K, Long>> totals) {
    if (!(totals.getCoder() instanceof KvCoder)) {
      throw new IllegalArgumentException(
          "TopPerWindow needs a KvCoder on its input, got " + totals.getCoder() + ".");
    }
    Coder<K> keyCoder = ((KvCoder<K, Long>) totals.getCoder()).getKeyCoder();
    return totals
        .apply("TagWithPaneIndex", ParDo.of(new TagWithPaneIndexFn<K>()))
        .setCoder(KvCoder.of(keyCoder, KvCoder.of(VarLongCoder.of(), VarLongCoder.of())))
        .apply(
            "RankOnTimeAndOnEachLateTotal",
            Window.<KV<K, KV<Long, Long>>>configure()
                .triggering(
                    AfterWatermark.pastEndOfWindow()
                        .withLateFirings(AfterPane.elementCountAtLeast(1)))
                .withOnTimeBehavior(Window.OnTimeBehavior.FIRE_IF_NON_EMPTY)
                .accumulatingFiredPanes()
                .withAllowedLateness(totals.getWindowingStrategy().getAllowedLateness()))
        .apply("TopN", Combine.globally(new LatestTotalsTopFn<K>(n, keyCoder)).withoutDefaults());
  }

  /** {@code KV<key, total>} to {@code KV<key, KV<pane index, total>>}. */
  static final class TagWithPaneIndexFn<K> extends DoFn<KV<K, Long>, KV<K, KV<Long, Long>>> {
    @ProcessElement
    public void process(
        @Element KV<K, Long> total, PaneInfo pane, OutputReceiver<KV<K, KV<Long, Long>>> out) {
      out.output(KV.of(total.getKey(), KV.of(pane.getIndex(), total.getValue())));
    }
  }

  /**
   * Keeps, per key, the total of the highest pane index (adding totals of equal index) and
   * extracts the top n.
   */
  static final class LatestTotalsTopFn<K extends Comparable<? super K>>
      extends CombineFn<KV<K, KV<Long, Long>>, Map<K, KV<Long, Long>>, List<KV<K, Long>>> {
    private final int n;
    private final Coder<K> keyCoder;

    LatestTotalsTopFn(int n, Coder<K> keyCoder) {
      this.n = n;
      this.keyCoder = keyCoder;
    }

    @Override
    public Map<K, KV<Long, Long>> createAccumulator() {
      return new HashMap<>();
    }

    @Override
    public Map<K, KV<Long, Long>> addInput(
        Map<K, KV<Long, Long>> latest, KV<K, KV<Long, Long>> total) {
      latest.merge(total.getKey(), total.getValue(), LatestTotalsTopFn::later);
      return latest;
    }

    @Override
    public Map<K, KV<Long, Long>> mergeAccumulators(Iterable<Map<K, KV<Long, Long>>> accumulators) {
      Map<K, KV<Long, Long>> merged = null;
      for (Map<K, KV<Long, Long>> accumulator : accumulators) {
        if (merged == null) {
          merged = accumulator;
        } else {
          for (Map.Entry<K, KV<Long, Long>> e : accumulator.entrySet()) {
            merged.merge(e.getKey(), e.getValue(), LatestTotalsTopFn::later);
          }
        }
      }
      return merged == null ? createAccumulator() : merged;
    }

    private static KV<Long, Long> later(KV<Long, Long> a, KV<Long, Long> b) {
      int byPane = Long.compare(a.getKey(), b.getKey());
      if (byPane == 0) {
        return KV.of(a.getKey(), a.getValue() + b.getValue());
      }
      return byPane > 0 ? a : b;
    }

    @Override
    public List<KV<K, Long>> extractOutput(Map<K, KV<Long, Long>> latest) {
      List<KV<K, Long>> totals = new ArrayList<>(latest.size());
      latest.forEach((key, total) -> totals.add(KV.of(key, total.getValue())));
      return Rankings.top(totals, n);
    }

    @Override
    public Coder<Map<K, KV<Long, Long>>> getAccumulatorCoder(
        CoderRegistry registry, Coder<KV<K, KV<Long, Long>>> inputCoder) {
      return MapCoder.of(keyCoder, KvCoder.of(VarLongCoder.of(), VarLongCoder.of()));
    }

    @Override
    public Coder<List<KV<K, Long>>> getDefaultOutputCoder(
        CoderRegistry registry, Coder<KV<K, KV<Long, Long>>> inputCoder) {
      return ListCoder.of(KvCoder.of(keyCoder, VarLongCoder.of()));
    }
  }
}
