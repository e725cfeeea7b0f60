package dev.windowpane.pipelines.io;

import dev.windowpane.pipelines.generator.GeneratorOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Where a pipeline's events come from: JSON-lines files, or the built-in generator. */
public interface SourceOptions extends GeneratorOptions {
  @Description(
      "JSON-lines file(s) to read (a glob works): bounded, event time from each line."
          + " Without it, the built-in generator: unbounded synthetic events.")
  String getInput();

  void setInput(String value);

  @Description("Write every malformed input line as {\"input\", \"error\"} JSON lines under this directory.")
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
      "Generator: events per second of wall-clock time; event time then runs eventsPerSecond x"
          + " eventSpacing times faster than the wall clock (60 with the defaults). The DirectRunner"
          + " keeps up with a few hundred per second at the default 1h/1m windows.")
  @Default.Long(200)
  Long getEventsPerSecond();

  void setEventsPerSecond(Long value);
}
