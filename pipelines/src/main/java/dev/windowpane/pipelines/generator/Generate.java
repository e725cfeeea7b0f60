package dev.windowpane.pipelines.generator;

import dev.windowpane.pipelines.cli.LoggingOptions;
import dev.windowpane.pipelines.cli.Range;
import dev.windowpane.pipelines.cli.UsageException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/**
 * The {@code generate} command: writes events 0..maxEvents-1 of the built-in generator as JSON
 * lines, in sequence order, exactly as a pipeline with the same options sees them (late events,
 * with {@code --latePercent}, with their late event times). A plain loop, no pipeline; O(1) per
 * event.
 */
public final class Generate {
  public static final String NAME = "generate";
  public static final String DESCRIPTION =
      "Writes the built-in generator's events as JSON lines: the events a pipeline reads with the same options.";

  private Generate() {}

  /** Options of {@code generate}. */
  public interface Options extends GeneratorOptions, LoggingOptions {
    @Description("Which events: orders, tweets or sessions.")
    @Default.String("orders")
    String getKind();

    void setKind(String value);

    @Description("How many events to write.")
    @Validation.Required
    @Range(min = 1)
    @Override
    Long getMaxEvents();

    @Description("The file to write (its directory is created); without it, standard output.")
    String getOutput();

    void setOutput(String value);

    @Description("Replace the file --output names if it exists; without it, an existing file is refused.")
    @Default.Boolean(false)
    Boolean getOverwrite();

    void setOverwrite(Boolean value);
  }

  /** Checks {@code options} once, before anything is written; {@code given}: the options named. */
  public static void validate(Options options, Set<String> given) {
    if (!EventKind.named(options.getKind()).isPresent()) {
      throw new UsageException(
          "Option --kind must be one of "
              + EventKind.all().stream().map(EventKind::name).collect(Collectors.joining(", "))
              + ", got '" + options.getKind() + "'.");
    }
    if (options.getOutput() == null && options.getOverwrite()) {
      throw new UsageException("Option --overwrite does nothing without --output.");
    }
    if (options.getOutput() != null) {
      Path file = Paths.get(options.getOutput());
      if (Files.isDirectory(file)) {
        throw new UsageException("Option --output=" + options.getOutput() + " is a directory; give a file.");
      }
      if (Files.exists(file) && !options.getOverwrite()) {
        throw new UsageException(
            "Option --output=" + options.getOutput() + " is an existing file; use --overwrite to replace it.");
      }
    }
    GeneratorOptions.validate(options, given);
  }

  /** Writes the events {@code options} describe (validated by {@link #validate}). */
  public static void run(Options options, PrintStream out) throws IOException {
    EventKind<?> kind = EventKind.named(options.getKind()).get();
    Generator settings = Generator.from(options);
    long count = settings.maxEvents().getAsLong();
    if (options.getOutput() == null) {
      Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
      write(kind, settings, count, writer);
      writer.flush();
    } else {
      Path file = Paths.get(options.getOutput());
      if (file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
      try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        write(kind, settings, count, writer);
      }
    }
  }

  private static <T> void write(EventKind<T> kind, Generator settings, long count, Writer writer)
      throws IOException {
    for (long index = 0; index < count; index++) {
      writer.write(kind.toJson(settings.event(kind, index)));
      writer.write('\n');
    }
  }
}
