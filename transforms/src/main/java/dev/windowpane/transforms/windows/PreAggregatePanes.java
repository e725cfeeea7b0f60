package dev.windowpane.transforms.windows;

import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.options.ExperimentalOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * The first half of every sliding transform: into the global window, then each bundle's inputs
 * aggregated per (shard, pane, key) into one {@link PaneBatch} per shard ({@link PaneBatchFn}).
 */
final class PreAggregatePanes<K, InputT, A>
    extends PTransform<PCollection<KV<K, InputT>>, PCollection<KV<Integer, PaneBatch<K, A>>>> {
  private final SlidingSpec spec;
  private final int shards;
  private final Coder<K> keyCoder;
  private final PaneAggregation<InputT, A> aggregation;

  PreAggregatePanes(SlidingSpec spec, int shards, Coder<K> keyCoder, PaneAggregation<InputT, A> aggregation) {
    this.spec = spec;
    this.shards = shards;
    this.keyCoder = keyCoder;
    this.aggregation = aggregation;
  }

  /**
   * Keys are compared by {@code equals} within a bundle and in state, so their coder must agree.
   */
  static void checkKeyCoder(String transform, Coder<?> keyCoder) {
    if (!keyCoder.consistentWithEquals()) {
      throw new IllegalArgumentException(
          transform
              + " needs keys whose coder is consistent with equals (strings, numbers, ...), got "
              + keyCoder
              + ".");
    }
  }

  /**
   * The pane engine reads its input watermark through {@code Timer.getCurrentRelativeTime()}; Beam
   * 2.62's portable SDK harness answers with the element's timestamp instead, which would make
   * on-time data look late, so a portable pipeline is refused rather than run wrong.
   */
  static void checkRunner(String transform, PipelineOptions options) {
    String runner = options.getRunner() == null ? "" : options.getRunner().getSimpleName();
    List<String> experiments = options.as(ExperimentalOptions.class).getExperiments();
    if (runner.equals("PortableRunner")
        || runner.equals("TestPortableRunner")
        || (experiments != null && experiments.contains("beam_fn_api"))) {
      throw new IllegalArgumentException(
          transform
              + " needs its input watermark in a DoFn, which Beam 2.62's portable SDK harness does"
              + " not provide; run it on the DirectRunner or the FlinkRunner.");
    }
  }

  @Override
  public PCollection<KV<Integer, PaneBatch<K, A>>> expand(PCollection<KV<K, InputT>> input) {
    return input
        .apply("IntoGlobalWindow", Window.<KV<K, InputT>>into(new GlobalWindows()))
        .apply("AggregatePerBundle", ParDo.of(new PaneBatchFn<>(spec, shards, keyCoder, aggregation)))
        .setCoder(KvCoder.of(VarIntCoder.of(), PaneBatch.coder(keyCoder, aggregation.coder())));
  }
}
