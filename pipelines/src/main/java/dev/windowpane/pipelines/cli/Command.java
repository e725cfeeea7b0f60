package dev.windowpane.pipelines.cli;

import dev.windowpane.pipelines.io.OutputDirectories;
import dev.windowpane.pipelines.io.PipelineMetrics;
import dev.windowpane.pipelines.io.SourceOptions;
import dev.windowpane.pipelines.io.SourceSettings;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * One name of the command line: a pipeline (built from its options, then run to the end) or a
 * tool (a plain program such as {@code generate}).
 */
public abstract class Command {
  private final String name;
  private final String description;
  private final Class<? extends PipelineOptions> optionsClass;

  private Command(String name, String description, Class<? extends PipelineOptions> optionsClass) {
    this.name = name;
    this.description = description;
    this.optionsClass = optionsClass;
  }

  /** Builds a pipeline into the given {@link Pipeline}; bad options are a {@link UsageException}. */
  @FunctionalInterface
  public interface PipelineBuilder<O extends PipelineOptions> {
    void buildPipeline(Pipeline pipeline, O options);
  }

  /** Runs a tool; returns its exit code. */
  @FunctionalInterface
  public interface Tool<O extends PipelineOptions> {
    int run(O options, PrintStream out, PrintStream err) throws Exception;
  }

  /**
   * A pipeline: validates and builds it with {@code builder}, checks its output directories
   * ({@code output} of its options, and {@code --deadLetters}), prints the generator note, runs it
   * to the end (an unbounded one until it is cancelled), marks the directories of a finished run
   * with {@code _SUCCESS} and prints the metrics, {@code metrics} always (0 if never counted),
   * any other counter when it was counted.
   */
  public static <O extends SourceOptions> Command pipeline(
      String name,
      String description,
      Class<O> optionsClass,
      PipelineBuilder<O> builder,
      Function<O, String> output,
      List<String> metrics) {
    return new Command(name, description, optionsClass) {
      @Override
      public int run(PipelineOptions options, PrintStream out, PrintStream err) {
        O typed = options.as(optionsClass);
        Pipeline pipeline = Pipeline.create(typed);
        try {
          builder.buildPipeline(pipeline, typed);
        } catch (IllegalArgumentException e) {
          throw new UsageException(firstLine(e.getMessage()), e);
        }
        boolean overwrite = Boolean.TRUE.equals(typed.getOverwrite());
        Map<String, String> directories = new LinkedHashMap<>();
        directories.put("output", output.apply(typed));
        directories.put("deadLetters", typed.getDeadLetters());
        OutputDirectories outputs = OutputDirectories.check(directories, overwrite);
        SourceSettings.from(typed).generatorNote().ifPresent(out::println);
        outputs.prepare(overwrite);
        PipelineResult result = pipeline.run();
        PipelineResult.State state = result.waitUntilFinish();
        if (state == PipelineResult.State.DONE) {
          outputs.markSuccess();
        }
        PipelineMetrics.print(result, metrics, out);
        return state == PipelineResult.State.DONE ? 0 : 1;
      }
    };
  }

  /** A tool: a plain program with options parsed like a pipeline's. */
  public static <O extends PipelineOptions> Command tool(
      String name, String description, Class<O> optionsClass, Tool<O> tool) {
    return new Command(name, description, optionsClass) {
      @Override
      public int run(PipelineOptions options, PrintStream out, PrintStream err) throws Exception {
        return tool.run(options.as(optionsClass), out, err);
      }
    };
  }

  /** Runs this command with parsed options; returns the exit code. */
  public abstract int run(PipelineOptions options, PrintStream out, PrintStream err) throws Exception;

  public String name() {
    return name;
  }

  public String description() {
    return description;
  }

  public Class<? extends PipelineOptions> optionsClass() {
    return optionsClass;
  }

  static String firstLine(String message) {
    if (message == null) {
      return "Invalid command line.";
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).trim();
  }
}
