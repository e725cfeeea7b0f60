package dev.windowpane.transforms.windows;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The runner's parallelism, read by its option name so that the library names no runner: the
 * FlinkRunner's {@code --parallelism} (and the option of any runner that calls it so). The sliding
 * transforms derive their default shard count from it ({@link SlidingTopN#defaultShards}).
 */
public interface RunnerParallelismOptions extends PipelineOptions {
  @Description("The runner's parallelism (-1: the runner's own default).")
  @Default.Integer(-1)
  Integer getParallelism();

  void setParallelism(Integer value);
}
