package dev.windowpane.transforms.windows;

import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.options.ExperimentalOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.StreamingOptions;
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
   * Whether the pane engine can read its input watermark in a DoFn, through {@code
   * Timer.getCurrentRelativeTime()}: on the Direct, Flink and Spark runners it is the input
   * watermark; Beam 2.62's portable SDK harness answers with the element's timestamp instead. A
   * bounded pipeline in batch mode needs no watermark there (the runner fires timers only after all
   * of a key's input, so nothing is late), so on a portable runner the engine then judges nothing
   * late; a portable streaming pipeline is refused rather than run wrong.
   */
  static boolean readsWatermark(String transform, PCollection<?> input) {
    PipelineOptions options = input.getPipeline().getOptions();
    String runner = options.getRunner() == null ? "" : options.getRunner().getSimpleName();
    List<String> experiments = options.as(ExperimentalOptions.class).getExperiments();
    boolean portable =
        runner.equals("PortableRunner")
            || runner.equals("TestPortableRunner")
            || (experiments != null && experiments.contains("beam_fn_api"));
    if (!portable) {
      return true;
    }
    if (input.isBounded() == PCollection.IsBounded.BOUNDED
        && !options.as(StreamingOptions.class).isStreaming()) {
      return false;
    }
    throw new IllegalArgumentException(
        transform
            + " on a stream needs its input watermark in a DoFn, which Beam 2.62's portable SDK"
            + " harness does not provide; on a portable runner it runs on bounded input in batch"
            + " mode only: run streams on the DirectRunner or the FlinkRunner.");
  }

  @Override
  public PCollection<KV<Integer, PaneBatch<K, A>>> expand(PCollection<KV<K, InputT>> input) {
    // A stream already in the global window skips the step: each element would pass one more
    // operator for nothing (on Flink a chained call and a window assignment per element).
    PCollection<KV<K, InputT>> global =
        input.getWindowingStrategy().getWindowFn() instanceof GlobalWindows
            ? input
            : input.apply("IntoGlobalWindow", Window.<KV<K, InputT>>into(new GlobalWindows()));
    return global
        .apply("AggregatePerBundle", ParDo.of(new PaneBatchFn<>(spec, shards, keyCoder, aggregation)))
        .setCoder(KvCoder.of(VarIntCoder.of(), PaneBatch.coder(keyCoder, aggregation.coder())));
  }
}
