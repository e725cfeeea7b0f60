package dev.windowpane.pipelines.runners;

import dev.windowpane.pipelines.cli.CommandLine;
import dev.windowpane.pipelines.cli.OptionName;
import dev.windowpane.pipelines.cli.UsageException;
import dev.windowpane.transforms.time.Durations;
import org.joda.time.Duration;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where a streaming run keeps its checkpoints and resumes from them ({@link CheckpointDirectory}). */
@Description("Runner: checkpoints and batches (FlinkRunner)")
public interface CheckpointOptions extends PipelineOptions {
  /** The lowest {@code --batchInterval}: below it the runner spends its time closing bundles. */
  Duration LOWEST_BATCH_INTERVAL = Duration.millis(10);

  @Description(
      "Spark's getOrCreate(checkpointDir): keep the run's checkpoints under this directory (every"
          + " --checkpointingInterval, 10s unless given), and resume from the newest one in it when"
          + " started again with the same directory; start fresh when it holds none. A failed task"
          + " is restarted from the last checkpoint (--numberOfExecutionRetries, 3 unless given,"
          + " --executionRetryDelay, 5s unless given).")
  @OptionName("checkpointDir")
  String getCheckpointDirectory();

  void setCheckpointDirectory(String value);

  @Description(
      "Spark's batch interval: how long the runner gathers input before it processes it as one"
          + " batch (Flink: a bundle closes after this time, or 1000 elements, and the sources'"
          + " watermarks advance this often); longer trades latency for throughput. At least 10ms;"
          + " unset: 100ms on Flink.")
  String getBatchInterval();

  void setBatchInterval(String value);

  /** Checks that checkpoints can apply: the FlinkRunner, an unbounded input. */
  static void validate(CheckpointOptions options, boolean boundedInput) {
    String runner = options.getRunner() == null ? "" : options.getRunner().getSimpleName();
    if (options.getBatchInterval() != null) {
      CommandLine.positiveDuration("batchInterval", options.getBatchInterval());
      if (Durations.parse(options.getBatchInterval()).isShorterThan(LOWEST_BATCH_INTERVAL)) {
        throw new UsageException(
            "Option --batchInterval must be at least 10ms, got " + options.getBatchInterval() + ".");
      }
      if (runner.equals("SparkRunner")) {
        throw new UsageException(
            "Option --batchInterval does nothing on the SparkRunner, which runs the pipelines in batch"
                + " mode (files), where Spark has no micro-batches.");
      }
      if (!runner.equals("FlinkRunner")) {
        throw new UsageException(
            "Option --batchInterval does nothing on the " + runner + ", which has no batch interval.");
      }
    }
    if (options.getCheckpointDirectory() == null) {
      return;
    }
    if (boundedInput) {
      throw new UsageException(
          "Option --checkpointDir does nothing with --input: a bounded run is run again from its"
              + " files, not resumed.");
    }
    if (!runner.equals("FlinkRunner")) {
      throw new UsageException(
          "Option --checkpointDir needs --runner=FlinkRunner: the " + runner + " keeps no checkpoints.");
    }
  }
}
