package dev.windowpane.pipelines.io;

import dev.windowpane.pipelines.cli.OptionValues;
import dev.windowpane.pipelines.cli.UsageException;
import dev.windowpane.pipelines.generator.GeneratorSettings;
import dev.windowpane.transforms.json.EventTimestamps;
import dev.windowpane.transforms.time.Durations;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Paths;
import java.util.Optional;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * The source options, validated before a pipeline is built: an {@code --input} glob that matches at
 * least one file, or the generator's settings and pace.
 */
public final class SourceSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String input;
  private final String deadLetters;
  private final GeneratorSettings generator;
  private final long eventsPerSecond;

  private SourceSettings(
      String input, String deadLetters, GeneratorSettings generator, long eventsPerSecond) {
    this.input = input;
    this.deadLetters = deadLetters;
    this.generator = generator;
    this.eventsPerSecond = eventsPerSecond;
  }

  /** Validates {@code options}; a bad value is a {@link UsageException}. */
  public static SourceSettings from(SourceOptions options) {
    FileSystems.setDefaultPipelineOptions(options);
    GeneratorSettings generator = GeneratorSettings.from(options);
    long eventsPerSecond = OptionValues.atLeast("eventsPerSecond", options.getEventsPerSecond(), 1);
    if (options.getInput() != null) {
      requireMatch(options.getInput());
    }
    return new SourceSettings(options.getInput(), options.getDeadLetters(), generator, eventsPerSecond);
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

  /** The input glob; empty when the generator is the source. */
  public Optional<String> input() {
    return Optional.ofNullable(input);
  }

  /** The dead-letter directory; empty when dead letters are only counted. */
  public Optional<String> deadLetters() {
    return Optional.ofNullable(deadLetters);
  }

  public GeneratorSettings generator() {
    return generator;
  }

  public long eventsPerSecond() {
    return eventsPerSecond;
  }

  /** The note printed at the start of a generator run: how event time relates to the wall clock. */
  public Optional<String> generatorNote() {
    if (input != null) {
      return Optional.empty();
    }
    double speedUp = generator.clock().speedUp(eventsPerSecond);
    String times =
        speedUp == Math.rint(speedUp) ? Long.toString((long) speedUp) : String.format("%.2f", speedUp);
    String pace =
        speedUp > 1
            ? "event time runs " + times + " times faster than the wall clock"
            : speedUp == 1
                ? "event time runs as fast as the wall clock"
                : "event time runs at " + times + " times the speed of the wall clock";
    return Optional.of(
        String.format(
            "Generator: %d events per second, %s apart in event time from %s (seed %d%s): %s.",
            eventsPerSecond,
            Durations.format(generator.clock().spacing()),
            EventTimestamps.format(generator.clock().origin()),
            generator.seed(),
            generator.maxEvents().isPresent() ? ", " + generator.maxEvents().getAsLong() + " events" : "",
            pace)
            + (generator.hasLateEvents()
                ? String.format(
                    " %d%% of the events are late: %s earlier than their place, behind the watermark.",
                    generator.latePercent(),
                    Durations.format(generator.lateBy()))
                : ""));
  }
}
