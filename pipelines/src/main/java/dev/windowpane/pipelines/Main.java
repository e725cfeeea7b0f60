package dev.windowpane.pipelines;

import dev.windowpane.pipelines.cli.CommandFailure;
import dev.windowpane.pipelines.cli.CommandLine;
import dev.windowpane.pipelines.cli.LoggingOptions;
import dev.windowpane.pipelines.cli.UsageException;
import dev.windowpane.pipelines.dashboard.DashboardCommand;
import dev.windowpane.pipelines.dashboard.LiveDashboard;
import dev.windowpane.pipelines.generator.Generate;
import dev.windowpane.pipelines.generator.Generator;
import dev.windowpane.pipelines.io.OutputDirectories;
import dev.windowpane.pipelines.io.ConsoleOutput;
import dev.windowpane.pipelines.io.Consume;
import dev.windowpane.pipelines.io.KafkaClients;
import dev.windowpane.pipelines.io.Produce;
import dev.windowpane.pipelines.io.KafkaOptions;
import dev.windowpane.pipelines.io.PipelineMetrics;
import dev.windowpane.pipelines.io.SourceOptions;
import dev.windowpane.pipelines.runners.CheckpointDirectory;
import dev.windowpane.pipelines.runners.StopWithSavepoint;
import dev.windowpane.pipelines.runners.Supervisor;
import dev.windowpane.pipelines.runners.FlinkSettings;
import dev.windowpane.pipelines.runners.SupervisorOptions;
import dev.windowpane.transforms.time.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.SdkHarnessOptions;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import java.time.Instant;

/**
 * The one command-line entry point: {@code java -jar windowpane-pipelines.jar <pipeline>
 * [--option=value ...]}. Each pipeline's options are read by {@link CommandLine} and checked once
 * by the pipeline's {@code validate} before anything is built: a bad command line is one sentence
 * on stderr and exit code 2. An exception while the pipeline is built or run is a failure, exit
 * code 1, with its cause. A pipeline stopped with Ctrl-C says so and prints its metrics.
 */
public final class Main {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  private static final Map<String, Command<?>> COMMANDS = new LinkedHashMap<>();

  static {
    // One line per command; the order is the order of --help.
    register(pipeline(TopSellers.NAME, TopSellers.DESCRIPTION, TopSellers.Options.class, TopSellers::validate, TopSellers::buildPipeline, TopSellers.Options::getOutput, TopSellers.Options::setOutput, PipelineMetrics.RANKINGS));
    register(pipeline(TrendingHashtags.NAME, TrendingHashtags.DESCRIPTION, TrendingHashtags.Options.class, TrendingHashtags::validate, TrendingHashtags::buildPipeline, TrendingHashtags.Options::getOutput, TrendingHashtags.Options::setOutput, PipelineMetrics.RANKINGS));
    register(pipeline(SessionStatsPipeline.NAME, SessionStatsPipeline.DESCRIPTION, SessionStatsPipeline.Options.class, SessionStatsPipeline::validate, SessionStatsPipeline::buildPipeline, SessionStatsPipeline.Options::getOutput, SessionStatsPipeline.Options::setOutput, PipelineMetrics.SESSIONS));
    register(new Command<>(Generate.NAME, Generate.DESCRIPTION, Generate.Options.class, Generate::validate, (options, out) -> { Generate.run(options, out); return OK; }));
    register(new Command<>(Produce.NAME, Produce.DESCRIPTION, Produce.Options.class, Produce::validate, Produce::run));
    register(new Command<>(Consume.NAME, Consume.DESCRIPTION, Consume.Options.class, Consume::validate, Consume::run));
    register(new Command<>(DashboardCommand.NAME, DashboardCommand.DESCRIPTION, DashboardCommand.Options.class, DashboardCommand::validate, DashboardCommand::run));
    register(new Command<>(StopWithSavepoint.NAME, StopWithSavepoint.DESCRIPTION, StopWithSavepoint.Options.class, StopWithSavepoint::validate, StopWithSavepoint::run));
  }

  private Main() {}

  /** Checks parsed options; {@code given}: the options the command line named. */
  @FunctionalInterface
  interface Validation<O> {
    void validate(O options, Set<String> given);
  }

  /** Runs a command with checked options; returns its exit code. */
  @FunctionalInterface
  interface Execution<O> {
    int execute(O options, PrintStream out) throws Exception;
  }

  /** One name of the command line: its options, their validation and what it runs. */
  private static final class Command<O extends PipelineOptions> {
    final String name;
    final String description;
    final Class<O> optionsClass;
    final Validation<O> validation;
    final Execution<O> execution;

    Command(String name, String description, Class<O> optionsClass, Validation<O> validation, Execution<O> execution) {
      this.name = name;
      this.description = description;
      this.optionsClass = optionsClass;
      this.validation = validation;
      this.execution = execution;
    }

    int run(List<String> args, PrintStream out) throws Exception {
      CommandLine.Parsed<O> parsed = CommandLine.parse(name, optionsClass, args);
      LoggingOptions.validate(parsed.options().as(LoggingOptions.class));
      validation.validate(parsed.options(), parsed.given());
      if (parsed.given().contains("supervise") && parsed.options().as(SupervisorOptions.class).getSupervise()) {
        return Supervisor.supervise(name, args, parsed.options().as(SupervisorOptions.class), out);
      }
      if (!parsed.given().contains("jobName")) {
        // The name Flink's web UI and the stop command show, instead of Beam's generated one.
        parsed.options().setJobName("windowpane-" + name);
      }
      if (parsed.options().getRunner() != null
          && parsed.options().getRunner().getSimpleName().equals("PortableRunner")
          && !parsed.given().contains("sdkHarnessLogLevelOverrides")) {
        // The PortableRunner's LOOPBACK worker, shut down after its job, leaves gRPC channels that
        // gRPC reports (SEVERE, with a stack trace) although nothing is to be done about them.
        parsed.options().as(SdkHarnessOptions.class).setSdkHarnessLogLevelOverrides(
            new SdkHarnessOptions.SdkHarnessLogLevelOverrides().addOverrideForName(
                "org.apache.beam.vendor.grpc.v1p60p1.io.grpc.internal.ManagedChannelOrphanWrapper",
                SdkHarnessOptions.LogLevel.OFF));
      }
      if (FlinkSettings.isFlink(parsed.options())) {
        FlinkSettings.copyElementsOnlyWhereNeeded(parsed.options(), parsed.given());
      }
      if (FlinkSettings.isFlink(parsed.options())
          && !parsed.given().contains("maxBundleTimeMills")
          && !parsed.given().contains("autoWatermarkInterval")) {
        FlinkSettings.batchInterval(parsed.options(), FlinkSettings.DEFAULT_BATCH_INTERVAL);
      }
      return execution.execute(parsed.options(), out);
    }
  }

  private static void register(Command<?> command) {
    COMMANDS.put(command.name, command);
  }

  /**
   * A pipeline: after its options are checked, its output directories ({@code output} of its
   * options, and {@code --deadLetters}) are checked, it is built, the generator's note printed, and
   * it runs to the end (an unbounded one until it is cancelled or stopped with Ctrl-C). A finished
   * run marks its directories with {@code _SUCCESS}; the metrics are printed, {@code metrics}
   * always (0 if never counted), any other counter when it was counted.
   */
  private static <O extends SourceOptions> Command<O> pipeline(
      String name,
      String description,
      Class<O> optionsClass,
      Validation<O> validation,
      BiConsumer<Pipeline, O> buildPipeline,
      Function<O, String> output,
      BiConsumer<O, String> setOutput,
      List<String> metrics) {
    return new Command<>(
        name,
        description,
        optionsClass,
        validation,
        (options, out) -> {
          Map<String, String> directories = new LinkedHashMap<>();
          directories.put("output", output.apply(options));
          directories.put("deadLetters", options.getDeadLetters());
          boolean overwrite = options.getOverwrite();
          if (overwrite && directories.values().stream().allMatch(dir -> dir == null)) {
            throw new UsageException("Option --overwrite does nothing without --output or --deadLetters.");
          }
          // A resumed run goes on writing the results of the run it resumes.
          CheckpointDirectory checkpoints =
              options.getCheckpointDirectory() == null ? null : CheckpointDirectory.at(options.getCheckpointDirectory());
          Optional<Path> resumed =
              checkpoints == null ? Optional.empty() : checkpoints.newestCheckpoint();
          boolean resuming = resumed.isPresent();
          if (resuming && overwrite) {
            throw new UsageException(
                "Option --overwrite would delete the results of the run that --checkpointDir="
                    + options.getCheckpointDirectory() + " resumes; give one of them.");
          }
          OutputDirectories outputs = OutputDirectories.check(directories, overwrite || resuming);
          // A cluster's workers run in other directories than this command.
          options.setInput(SourceOptions.absolute(options.getInput()));
          options.setDeadLetters(SourceOptions.absolute(options.getDeadLetters()));
          setOutput.accept(options, SourceOptions.absolute(output.apply(options)));
          if (options.getBatchInterval() != null) {
            FlinkSettings.batchInterval(options, Durations.parse(options.getBatchInterval()));
          }
          if (checkpoints != null) {
            Generator generator = Generator.from(options);
            Duration inputLasts =
                generator.places().isPresent()
                    ? Duration.millis(1000 * generator.places().getAsLong() / options.getEventsPerSecond())
                    : null;
            out.println(checkpoints.configure(options, inputLasts));
          }
          if (FlinkSettings.isFlink(options)) {
            FlinkSettings.checkClusterAnswers(options);
          }
          // Served from here to the end of the run; the pipeline's steps feed it under its run id.
          try (LiveDashboard dashboard = LiveDashboard.startIfAsked(options, name, out)) {
            Pipeline pipeline = Pipeline.create(options);
            buildPipeline.accept(pipeline, options);
            // The transforms hold the Kafka properties they need; the options, which runners show, keep no secret.
            options.setKafkaProperty(KafkaClients.redacted(options.getKafkaProperty()));
            if (options.getInput() == null && !KafkaOptions.readsKafka(options)) {
              out.println(Generator.from(options).describe(options.getEventsPerSecond()));
            }
            outputs.prepare(overwrite);
            try {
              return runToTheEnd(pipeline, outputs, metrics, out, checkpoints, dashboard);
            } catch (RuntimeException failure) {
              throw resuming ? checkpoints.cannotResume(resumed.get(), rootMessage(failure), failure) : failure;
            }
          }
        });
  }

  /**
   * Runs {@code pipeline} until it ends. A run that {@code windowpane stop} ended with a savepoint
   * in its {@code checkpoints} ends without {@code _SUCCESS}: it is to be resumed, not finished.
   */
  private static int runToTheEnd(
      Pipeline pipeline,
      OutputDirectories outputs,
      List<String> metrics,
      PrintStream out,
      @Nullable CheckpointDirectory checkpoints,
      @Nullable LiveDashboard dashboard) {
    // The DirectRunner would block in run() on an unbounded input: return, and wait below.
    pipeline.getOptions().as(DirectOptions.class).setBlockOnRun(false);
    Instant started = Instant.now();
    PipelineResult result = pipeline.run();
    if (dashboard != null) {
      dashboard.watch(result, metrics);
    }
    // Ctrl-C: stop the run, say so and print what it counted; the JVM then exits with 130.
    Thread stopOnInterrupt =
        new Thread(
            () -> {
              // The tables still being printed by workers would otherwise come after "Stopped.".
              ConsoleOutput.close();
              try {
                result.cancel();
              } catch (IOException | RuntimeException e) {
                // The run is ending with the JVM either way.
              }
              out.println("Stopped.");
              PipelineMetrics.print(result, metrics, out);
              out.flush();
            });
    Runtime.getRuntime().addShutdownHook(stopOnInterrupt);
    PipelineResult.State state;
    try {
      state = result.waitUntilFinish();
    } catch (RuntimeException failed) {
      Runtime.getRuntime().removeShutdownHook(stopOnInterrupt);
      throw failed;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnInterrupt);
    } catch (IllegalStateException shuttingDown) {
      return FAILED; // stopped: the hook reports the run
    }
    if (dashboard != null) {
      dashboard.finished(result, metrics, state);
    }
    Optional<Path> savepoint =
        checkpoints == null ? Optional.empty() : checkpoints.savepointWrittenSince(started);
    if (savepoint.isPresent()) {
      out.println(
          "Stopped with savepoint " + savepoint.get() + ": the same command resumes from it.");
    } else if (state == PipelineResult.State.DONE) {
      outputs.markSuccess();
    }
    PipelineMetrics.print(result, metrics, out);
    return state == PipelineResult.State.DONE ? OK : FAILED;
  }

  public static void main(String[] args) {
    LoggingOptions.applyBeforeLogging(args);
    System.exit(run(args, System.out, System.err));
  }

  /** Runs pipeline {@code name} with {@code args}, for a pipeline class's own {@code main}. */
  static void runAndExit(String name, String[] args) {
    String[] all = new String[args.length + 1];
    all[0] = name;
    System.arraycopy(args, 0, all, 1, args.length);
    main(all);
  }

  /** Runs the command line {@code args}; returns the exit code (0 ok, 1 failed run, 2 bad command line). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println("Name a pipeline: " + names() + " (--help lists them).");
      return USAGE;
    }
    if (isHelp(args[0])) {
      out.print(usage());
      return OK;
    }
    if (args[0].equals("--version") || args[0].equals("version")) {
      out.println(version());
      return OK;
    }
    Command<?> command = COMMANDS.get(args[0]);
    if (command == null) {
      err.println(
          args[0].startsWith("-")
              ? "Name a pipeline before the options: " + names() + "."
              : "Unknown pipeline '" + args[0] + "'; the pipelines are " + names() + ".");
      return USAGE;
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    if (rest.stream().anyMatch(Main::isHelp)) {
      out.print(CommandLine.help(command.name, command.description, command.optionsClass));
      return OK;
    }
    try {
      return command.run(rest, out);
    } catch (UsageException e) {
      err.println(e.getMessage());
      return USAGE;
    } catch (CommandFailure e) {
      err.println(e.getMessage());
      return FAILED;
    } catch (Exception e) {
      err.println(command.name + " failed: " + rootMessage(e));
      e.printStackTrace(err);
      return FAILED;
    }
  }

  private static boolean isHelp(String arg) {
    return arg.equals("--help") || arg.equals("-h") || arg.equals("help") || arg.startsWith("--help=");
  }

  private static String names() {
    return String.join(", ", COMMANDS.keySet());
  }

  /** What {@code --version} prints: windowpane's version and the Beam version it is built with. */
  static String version() {
    Properties properties = new Properties();
    try (InputStream in = Main.class.getResourceAsStream("/windowpane-version.properties")) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "windowpane " + properties.getProperty("version") + " (Apache Beam " + properties.getProperty("beam") + ")";
  }

  static String usage() {
    StringBuilder usage = new StringBuilder();
    usage.append("Usage: java -jar ").append(CommandLine.jarName()).append(" <pipeline> [--option=value ...]\n\nPipelines:\n");
    int width = COMMANDS.keySet().stream().mapToInt(String::length).max().orElse(0);
    for (Command<?> command : COMMANDS.values()) {
      usage.append(String.format("  %-" + width + "s  %s%n", command.name, command.description));
    }
    usage.append(
        "\n'<pipeline> --help' lists its options; --version prints the version. Without --input a"
            + " pipeline reads the built-in generator; without --output it prints a table per"
            + " window. Beam's own options (--runner, ...) pass through.\n");
    return usage.toString();
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.lines().findFirst().orElse(message);
  }

  /** The registered command names, for tests and help. */
  static List<String> commandNames() {
    return List.copyOf(COMMANDS.keySet());
  }
}
