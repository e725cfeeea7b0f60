package dev.windowpane.pipelines.io;

import dev.windowpane.pipelines.cli.CommandLine;
import dev.windowpane.pipelines.cli.LoggingOptions;
import dev.windowpane.pipelines.cli.Range;
import dev.windowpane.pipelines.cli.UsageException;
import dev.windowpane.pipelines.dashboard.DashboardOptions;
import dev.windowpane.pipelines.generator.GeneratorOptions;
import dev.windowpane.pipelines.runners.CheckpointOptions;
import dev.windowpane.pipelines.runners.SupervisorOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Paths;
import java.util.Set;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.StreamingOptions;
import org.checkerframework.checker.nullness.qual.Nullable;

/** Where a pipeline's events come from: JSON-lines files, Kafka topics, or the built-in generator. */
@Description("Input")
public interface SourceOptions
    extends GeneratorOptions,
        KafkaOptions,
        CheckpointOptions,
        SupervisorOptions,
        DashboardOptions,
        LoggingOptions {
  @Description(
      "JSON-lines file(s) to read (a glob works): bounded, event time from each line."
          + " Without it, the built-in generator: unbounded synthetic events.")
  String getInput();

  void setInput(String value);

  @Description(
      "Write every malformed input line as {\"input\", \"error\"} JSON lines under this directory"
          + " (with --input).")
  String getDeadLetters();

  void setDeadLetters(String value);

  @Description(
      "Replace the results of another run in the --output and --deadLetters directories: delete"
          + " windowpane's files there (rankings-*, sessions-*, updates-*, dead-letters-*, _SUCCESS,"
          + " .temp-beam*) before the run. Without it such a directory is refused.")
  @Default.Boolean(false)
  Boolean getOverwrite();

  void setOverwrite(Boolean value);

  @Description(
      "Without --input: the generator's events per second of wall-clock time; event time then runs"
          + " eventsPerSecond x eventSpacing times faster than the wall clock (60 with the defaults)."
          + " The DirectRunner keeps up with a few hundred per second (top-sellers at its default windows).")
  @Default.Long(200)
  @Range(min = 1)
  Long getEventsPerSecond();

  void setEventsPerSecond(Long value);

  /**
   * Checks the source: an {@code --input} glob that matches at least one file, and no generator
   * option beside it; or the generator's options. {@code given}: the options named.
   */
  static void validate(SourceOptions options, Set<String> given) {
    FileSystems.setDefaultPipelineOptions(options);
    DashboardOptions.validate(options, given);
    String runner = options.getRunner() == null ? "" : options.getRunner().getSimpleName();
    if (runner.equals("SparkRunner")
        && (options.getInput() == null || options.as(StreamingOptions.class).isStreaming())) {
      throw new UsageException(
          "On the SparkRunner the pipelines read files only (--input, batch mode): in streaming mode"
              + " Beam 2.62's Spark runner has no timers (the sliding rankings and session timeouts need"
              + " them) and no splittable DoFns (the generator's source); write the generator's events"
              + " to a file with 'generate --output=FILE', or run streams with --runner=FlinkRunner.");
    }
    KafkaOptions.validate(options, given, options.getInput() != null, options.getCheckpointDirectory() != null);
    boolean kafka = KafkaOptions.readsKafka(options);
    CheckpointOptions.validate(options, options.getInput() != null);
    SupervisorOptions.validate(options, given);
    if (kafka) {
      for (String name : given) {
        if (name.equals("eventsPerSecond") || CommandLine.declaredOptionNames(GeneratorOptions.class).contains(name)) {
          throw new UsageException(
              "Option --" + name + " does nothing with --source=kafka: it sets the built-in generator, which"
                  + " Kafka replaces.");
        }
      }
      return;
    }
    if (options.getInput() == null) {
      GeneratorOptions.validate(options, given);
      if (given.contains("deadLetters")) {
        throw new UsageException(
            "Option --deadLetters does nothing without --input: the generator makes no malformed lines.");
      }
      return;
    }
    if (given.contains("allowedLateness")) {
      throw new UsageException(
          "Option --allowedLateness does nothing with --input: a file is read whole before the watermark"
              + " passes any window, so none of its events is late.");
    }
    for (String name : given) {
      if (name.equals("eventsPerSecond")
          || CommandLine.declaredOptionNames(GeneratorOptions.class).contains(name)) {
        throw new UsageException(
            "Option --" + name + " does nothing with --input: it sets the built-in generator, which"
                + " --input replaces.");
      }
    }
    requireMatch(options.getInput());
  }

  /**
   * A local path (or glob) made absolute against this command's working directory, which the
   * workers of a cluster do not share; a path with a scheme ({@code file://}, {@code gs://}, ...)
   * or an absolute one as it is.
   */
  static @Nullable String absolute(@Nullable String path) {
    if (path == null || path.isEmpty() || path.contains("://") || path.startsWith("/")) {
      return path;
    }
    try {
      return Paths.get(path).toAbsolutePath().normalize().toString();
    } catch (InvalidPathException e) {
      return path;
    }
  }

  private static void requireMatch(String glob) {
    if (isLocalDirectory(glob)) {
      throw new UsageException(
          "Option --input=" + glob + " is a directory; give a file or a glob such as " + glob + "/*.jsonl.");
    }
    try {
      MatchResult match = FileSystems.match(glob, EmptyMatchTreatment.ALLOW);
      if (match.status() != MatchResult.Status.OK || match.metadata().isEmpty()) {
        throw new UsageException("No file matches --input=" + glob + ".");
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException("Cannot read --input=" + glob + ": " + e.getMessage(), e);
    }
  }

  private static boolean isLocalDirectory(String path) {
    try {
      return !path.contains("://") && Files.isDirectory(Paths.get(path));
    } catch (InvalidPathException e) {
      return false;
    }
  }
}
