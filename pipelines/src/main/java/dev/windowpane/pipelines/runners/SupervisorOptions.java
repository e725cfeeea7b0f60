package dev.windowpane.pipelines.runners;

import dev.windowpane.pipelines.cli.CommandLine;
import dev.windowpane.pipelines.cli.Range;
import dev.windowpane.pipelines.cli.UsageException;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Spark's {@code spark-submit --supervise}: the pipeline in a child JVM, started again when it dies ({@link Supervisor}). */
@Description("Supervision (with --checkpointDir)")
public interface SupervisorOptions extends PipelineOptions {
  /** The options of this interface: the supervisor's, never handed to the child JVM. */
  List<String> NAMES = List.of("supervise", "maxRestarts", "restartWindow", "restartDelay");

  @Description(
      "Run the pipeline in a child JVM and start it again with the same arguments when it dies (an"
          + " exit code other than 0 and 2, a signal, an OutOfMemoryError): it resumes from the"
          + " newest checkpoint in --checkpointDir. Ctrl-C or SIGTERM to this process stops the"
          + " child and ends both.")
  @Default.Boolean(false)
  boolean getSupervise();

  void setSupervise(boolean value);

  @Description("The most restarts within --restartWindow; one more and the supervisor gives up (exit 1).")
  @Default.Integer(5)
  @Range(min = 1, max = 1000)
  Integer getMaxRestarts();

  void setMaxRestarts(Integer value);

  @Description("The time in which at most --maxRestarts restarts are made.")
  @Default.String("10m")
  String getRestartWindow();

  void setRestartWindow(String value);

  @Description(
      "The wait before the first restart; it doubles with each further restart within"
          + " --restartWindow, up to 1m.")
  @Default.String("1s")
  String getRestartDelay();

  void setRestartDelay(String value);

  /** Checks that supervision can apply: a checkpoint directory to resume from. */
  static void validate(SupervisorOptions options, Set<String> given) {
    if (!options.getSupervise()) {
      for (String name : NAMES) {
        if (given.contains(name) && !name.equals("supervise")) {
          throw new UsageException("Option --" + name + " does nothing without --supervise.");
        }
      }
      return;
    }
    if (options.as(CheckpointOptions.class).getCheckpointDirectory() == null) {
      throw new UsageException(
          "Option --supervise needs --checkpointDir=DIR: a pipeline started again without its"
              + " checkpoints would count its events again.");
    }
    CommandLine.positiveDuration("restartWindow", options.getRestartWindow());
    CommandLine.positiveDuration("restartDelay", options.getRestartDelay());
  }
}
