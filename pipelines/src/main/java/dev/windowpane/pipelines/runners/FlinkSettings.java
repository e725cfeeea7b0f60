package dev.windowpane.pipelines.runners;

import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.joda.time.Duration;

/**
 * The pipelines' settings of the FlinkRunner's options, in one class that only a Flink run loads:
 * the Spark jar carries no Flink classes.
 */
public final class FlinkSettings {
  private FlinkSettings() {}

  /** Whether {@code options} run on the FlinkRunner. */
  public static boolean isFlink(PipelineOptions options) {
    return options.getRunner() != null && options.getRunner().getSimpleName().equals("FlinkRunner");
  }

  /**
   * No DoFn of the pipelines changes its input, so Flink need not copy elements between chained
   * steps; the benchmark measured the difference. {@code --fasterCopy=false} turns it off.
   */
  public static void copyElementsOnlyWhereNeeded(PipelineOptions options) {
    options.as(FlinkPipelineOptions.class).setFasterCopy(true);
  }

  /** {@code --batchInterval} on Flink: a bundle closes after this time (or 1000 elements). */
  public static void batchInterval(PipelineOptions options, Duration interval) {
    options.as(FlinkPipelineOptions.class).setMaxBundleTimeMills(interval.getMillis());
  }
}
