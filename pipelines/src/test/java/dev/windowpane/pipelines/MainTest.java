package dev.windowpane.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's contract: help, and every bad command line fails before a pipeline starts
 * with one sentence on stderr, nothing on stdout and exit code 2.
 */
class MainTest {
  @TempDir Path dir;

  @Test
  void helpListsThePipelines() {
    Cli run = Cli.run("--help");

    assertThat(run.exitCode, is(0));
    assertThat(run.out, containsString("  top-sellers "));
    assertThat(run.out, containsString("  trending-hashtags "));
    assertThat(run.out, containsString("  generate "));
  }

  @Test
  void helpAfterANameListsThatPipelinesOptionsWithDefaults() {
    Cli run = Cli.run("top-sellers", "--help");

    assertThat(run.exitCode, is(0));
    for (String option :
        new String[] {"--input", "--output", "--deadLetters", "--window", "--slide", "--top",
            "--allowedLateness", "--eventsPerSecond", "--seed", "--maxEvents", "--eventSpacing",
            "--latePercent", "--lateBy"}) {
      assertThat(run.out, containsString("  " + option + "\n"));
    }
    assertThat(run.out, containsString("Default: 1h."));
  }

  @Test
  void helpListsTheOptionsInGroupsInAStableOrder() {
    Cli run = Cli.run("top-sellers", "--help");

    List<String> lines = run.out.lines().filter(line -> line.startsWith("  --") || (!line.startsWith(" ") && line.endsWith(":"))).collect(Collectors.toList());
    assertThat(
        lines,
        equalTo(
            List.of(
                "Windows and rankings:", "  --allowedLateness", "  --output", "  --slide", "  --top",
                "  --window", "  --windowOffset",
                "Input:", "  --deadLetters", "  --eventsPerSecond", "  --input", "  --overwrite",
                "The built-in generator:", "  --eventSpacing", "  --eventTimeOrigin",
                "  --lateBy", "  --latePercent", "  --maxEvents", "  --seed",
                "Kafka:", "  --bootstrapServers", "  --deadLetterTopic", "  --exactlyOnce", "  --groupId",
                "  --kafkaProperty", "  --maxOutOfOrderness", "  --outputTopic", "  --partitionIdleness", "  --sink",
                "  --sinkGroupId", "  --source", "  --startOffsets", "  --startReadTime", "  --stopAtEnd", "  --topic",
                "Runner: checkpoints and batches (FlinkRunner):", "  --batchInterval", "  --checkpointDir",
                "Supervision (with --checkpointDir):", "  --maxRestarts", "  --restartDelay", "  --restartWindow",
                "  --supervise",
                "Dashboard:", "  --ui", "  --uiHost",
                "Logging:", "  --logLevel")));
  }

  @Test
  void noPipeline() {
    assertUsageError(
        "Name a pipeline: top-sellers, trending-hashtags, session-stats, generate, produce, consume, dashboard, stop (--help lists them).");
  }

  @Test
  void unknownPipeline() {
    assertUsageError(
        "Unknown pipeline 'top-seller'; the pipelines are top-sellers, trending-hashtags, session-stats, generate, produce, consume, dashboard, stop.",
        "top-seller");
  }

  @Test
  void unknownOption() {
    assertUsageError(
        "Unknown option --windw for top-sellers (did you mean --window?); 'top-sellers --help'"
            + " lists the options.",
        "top-sellers", "--windw=1h");
  }

  @Test
  void aWindowThatIsNotADuration() {
    Cli run = Cli.run("top-sellers", "--window=an hour");

    assertOneSentenceUsageError(run);
    assertThat(run.err, startsWith("Option --window: "));
    assertThat(run.err, containsString("an hour"));
  }

  @Test
  void aSlideThatIsNotADuration() {
    Cli run = Cli.run("trending-hashtags", "--slide=5 minutes");

    assertOneSentenceUsageError(run);
    assertThat(run.err, startsWith("Option --slide: "));
  }

  @Test
  void aSlideLongerThanTheWindow() {
    assertUsageError(
        "Option --slide=2h must not be longer than --window=1h.",
        "top-sellers", "--window=1h", "--slide=2h");
  }

  @Test
  void generateRefusesToReplaceAFileUnlessTold() {
    Path file = Cli.write(dir.resolve("events.jsonl"), "keep me");

    assertUsageError(
        "Option --output=" + file + " is an existing file; use --overwrite to replace it.",
        "generate", "--maxEvents=3", "--output=" + file);
    assertThat(Cli.run("generate", "--maxEvents=3", "--output=" + file, "--overwrite").exitCode, is(0));
    assertThat(Cli.jsonLines(dir).size(), is(3));
  }

  @Test
  void aLogLevelThatSlf4jDoesNotKnowIsRefused() {
    assertUsageError(
        "Option --logLevel must be one of error, warn, info, debug, trace, got 'loud'.",
        "top-sellers", "--logLevel=loud");
  }

  @Test
  void aBadValueOfBeamsOwnOptionNamesTheOption() {
    assertUsageError(
        "Option --targetParallelism must be a whole number, got abc.", "top-sellers", "--targetParallelism=abc");
    assertUsageError("Option --streaming is true or false, got 'yes'.", "top-sellers", "--streaming=yes");
  }

  @Test
  void aFlinkOptionOnTheDirectRunnerIsRefused() {
    assertUsageError(
        "Option --flinkMaster is the FlinkRunner's and does nothing on the DirectRunner; add --runner=FlinkRunner.",
        "top-sellers", "--flinkMaster=127.0.0.1:8081");
    assertUsageError(
        "Option --parallelism is the FlinkRunner's and does nothing on the DirectRunner; add --runner=FlinkRunner.",
        "session-stats", "--parallelism=2", "--runner=DirectRunner");
  }

  @Test
  void theSparkRunnerNamesTheJarThatCarriesIt() {
    assertUsageError(
        "The SparkRunner is not in this jar but in spark/target/windowpane-spark.jar ('make package' builds"
            + " both): run java -jar spark/target/windowpane-spark.jar top-sellers ... --runner=SparkRunner.",
        "top-sellers", "--runner=SparkRunner");
  }

  @Test
  void topBelowOne() {
    assertUsageError(
        "Option --top must be a whole number from 1 to 100000, got 0.", "top-sellers", "--top=0");
  }

  @Test
  void topThatIsNotANumber() {
    assertUsageError(
        "Option --top must be a whole number from 1 to 100000, got ten.", "top-sellers", "--top=ten");
  }

  @Test
  void topBeyondItsRangeSaysTheRange() {
    assertUsageError(
        "Option --top must be a whole number from 1 to 100000, got 10000000000.",
        "top-sellers", "--top=10000000000");
  }

  @Test
  void aRepeatedOptionNamesIt() {
    assertUsageError(
        "Option --top is given twice (--top=3 and --top=4); give it once.",
        "top-sellers", "--top=3", "--top=4");
  }

  @Test
  void aRepeatedBeamOptionNamesIt() {
    assertUsageError(
        "Option --runner is given twice (--runner=DirectRunner and --runner=FlinkRunner); give it once.",
        "top-sellers", "--runner=DirectRunner", "--runner=FlinkRunner");
  }

  @Test
  void aValueAfterASpaceSuggestsTheEqualsSign() {
    assertUsageError(
        "Option --input takes its value after '=': write --input=orders.jsonl.",
        "top-sellers", "--input", "orders.jsonl");
  }

  @Test
  void anOptionWithoutItsValue() {
    assertUsageError("Option --window needs a value: write --window=VALUE.", "top-sellers", "--window");
  }

  @Test
  void anArgumentThatIsNotAnOption() {
    assertUsageError(
        "Unexpected argument 'orders.jsonl': options are written --name=value ('top-sellers --help'"
            + " lists them).",
        "top-sellers", "orders.jsonl");
  }

  @Test
  void aBooleanThatIsNotTrueOrFalse() {
    assertUsageError("Option --overwrite is true or false, got 'yes'.", "top-sellers", "--overwrite=yes");
  }

  @Test
  void generatorOptionsDoNothingWithAnInput() {
    Path input = Cli.write(dir.resolve("orders.jsonl"), "");
    for (String option : new String[] {"--seed=2", "--maxEvents=10", "--eventsPerSecond=5", "--latePercent=1"}) {
      String name = option.substring(2, option.indexOf('='));
      assertUsageError(
          "Option --" + name + " does nothing with --input: it sets the built-in generator, which"
              + " --input replaces.",
          "top-sellers", "--input=" + input, option);
    }
  }

  @Test
  void deadLettersDoNothingWithTheGenerator() {
    assertUsageError(
        "Option --deadLetters does nothing without --input: the generator makes no malformed lines.",
        "session-stats", "--deadLetters=" + dir.resolve("dead"));
  }

  @Test
  void lateByDoesNothingWithoutLateEvents() {
    assertUsageError(
        "Option --lateBy does nothing without --latePercent.", "top-sellers", "--lateBy=5m");
  }

  @Test
  void overwriteDoesNothingWithoutAnOutputDirectory() {
    assertUsageError(
        "Option --overwrite does nothing without --output or --deadLetters.", "top-sellers", "--overwrite");
  }

  @Test
  void aWindowOffsetNotShorterThanTheSlide() {
    assertUsageError(
        "Option --windowOffset=22h must be shorter than --slide=1m: window starts repeat every slide.",
        "top-sellers", "--windowOffset=22h");
  }

  @Test
  void anUnknownRunnerIsBeamsOwnSentence() {
    Cli run = Cli.run("top-sellers", "--runner=NoSuchRunner");

    assertOneSentenceUsageError(run);
    assertThat(run.err, containsString("NoSuchRunner"));
  }

  @Test
  void aCheckpointDirectoryNeedsTheFlinkRunnerAndAnUnboundedInput() {
    assertUsageError(
        "Option --checkpointDir needs --runner=FlinkRunner: the DirectRunner keeps no checkpoints.",
        "top-sellers", "--checkpointDir=" + dir.resolve("checkpoints"));
    Path input = Cli.write(dir.resolve("orders.jsonl"), "");
    assertUsageError(
        "Option --checkpointDir does nothing with --input: a bounded run is run again from its"
            + " files, not resumed.",
        "top-sellers", "--input=" + input, "--runner=FlinkRunner", "--checkpointDir=" + dir.resolve("checkpoints"));
  }

  @Test
  void aCheckpointingIntervalThatIsNotADuration() {
    assertUsageError(
        "Option --checkpointingInterval: cannot read \"often\" as a duration: write a number and a"
            + " unit, such as 500ms, 90s, 1m, 1h or 1d.",
        "top-sellers", "--runner=FlinkRunner", "--checkpointingInterval=often");
  }

  @Test
  void aBatchIntervalDoesNothingOnTheDirectRunner() {
    assertUsageError(
        "Option --batchInterval does nothing on the DirectRunner, which has no batch interval.",
        "top-sellers", "--batchInterval=2s");
  }

  @Test
  void aBatchIntervalIsAtLeastTenMilliseconds() {
    assertUsageError(
        "Option --batchInterval must be at least 10ms, got 5ms.",
        "top-sellers", "--runner=FlinkRunner", "--batchInterval=5ms");
  }

  @Test
  void versionPrintsTheVersions() {
    Cli run = Cli.run("--version");

    assertThat(run.exitCode, is(0));
    assertThat(run.out, matchesPattern("windowpane \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(Apache Beam 2\\.62\\.0\\)\\R"));
  }

  @Test
  void anExceptionWhileBuildingIsAFailureNotABadCommandLine() {
    // A transform's IllegalArgumentException: SlidingTopN refuses a portable stream.
    Cli run = Cli.run("top-sellers", "--maxEvents=10", "--streaming", "--experiments=beam_fn_api");

    assertThat(run.err, run.exitCode, is(1));
    assertThat(run.err, startsWith("top-sellers failed: SlidingTopN on a stream needs its input watermark"));
  }

  @Test
  void anInputGlobThatMatchesNothing() {
    String glob = dir.resolve("nothing-*.jsonl").toString();

    assertUsageError("No file matches --input=" + glob + ".", "top-sellers", "--input=" + glob);
  }

  @Test
  void anInputThatIsADirectory() {
    assertUsageError(
        "Option --input=" + dir + " is a directory; give a file or a glob such as " + dir
            + "/*.jsonl.",
        "trending-hashtags", "--input=" + dir);
  }

  @Test
  void anEventSpacingOfZero() {
    assertUsageError(
        "Option --eventSpacing must be at least 1ms, got 0s.", "top-sellers", "--eventSpacing=0s");
  }

  @Test
  void aLatePercentAboveOneHundred() {
    assertUsageError(
        "Option --latePercent must be a whole number from 0 to 100, got 150.", "top-sellers", "--latePercent=150");
  }

  @Test
  void aNegativeLatePercent() {
    assertUsageError(
        "Option --latePercent must be a whole number from 0 to 100, got -1.", "generate", "--maxEvents=3", "--latePercent=-1");
  }

  @Test
  void lateEventsThatAreNotLate() {
    assertUsageError(
        "Option --lateBy must be longer than 0 when --latePercent is above 0, got 0s.",
        "generate", "--maxEvents=3", "--latePercent=5", "--lateBy=0s");
  }

  @Test
  void aLateByThatIsNotADuration() {
    Cli run = Cli.run("trending-hashtags", "--latePercent=5", "--lateBy=a minute");

    assertOneSentenceUsageError(run);
    assertThat(run.err, startsWith("Option --lateBy: "));
  }

  @Test
  void generateWithAnUnknownKind() {
    assertUsageError(
        "Option --kind must be one of orders, tweets, sessions, got 'clicks'.",
        "generate", "--kind=clicks", "--maxEvents=3");
  }

  @Test
  void generateWithoutMaxEvents() {
    assertUsageError(
        "Option --maxEvents is required: how many events to write.", "generate", "--kind=orders");
  }

  @Test
  void superviseNeedsACheckpointDirectoryAndItsOptionsNeedSupervise() {
    assertUsageError(
        "Option --supervise needs --checkpointDir=DIR: a pipeline started again without its checkpoints would"
            + " count its events again.",
        "top-sellers", "--supervise", "--runner=FlinkRunner");
    assertUsageError("Option --maxRestarts does nothing without --supervise.", "top-sellers", "--maxRestarts=3");
    assertUsageError(
        "Option --maxRestarts must be a whole number from 1 to 1000, got 0.",
        "top-sellers", "--supervise", "--maxRestarts=0");
  }

  @Test
  void stopNeedsAClusterAndACheckpointDirectory() {
    assertUsageError("Option --flinkMaster is required: the cluster's HOST:PORT.", "stop", "--checkpointDir=" + dir);
    assertUsageError(
        "Option --checkpointDir is required: the pipeline's checkpoint directory (its --checkpointDir), where the"
            + " savepoint is written and from which the pipeline resumes.",
        "stop", "--flinkMaster=127.0.0.1:8081");
    assertUsageError(
        "Option --flinkMaster must name a cluster (HOST:PORT), got [local]: an embedded Flink ends with its"
            + " command, so stop that with Ctrl-C (its checkpoints stay).",
        "stop", "--flinkMaster=[local]", "--checkpointDir=" + dir);
  }

  @Test
  void stopSaysSoInOneSentenceWhenNoClusterAnswers() throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Cli run = Cli.run("stop", "--flinkMaster=127.0.0.1:" + port, "--checkpointDir=" + dir);

    assertThat(run.exitCode, is(1));
    assertThat(run.err, equalTo("Cannot reach a Flink cluster at 127.0.0.1:" + port + " (ConnectException).\n"));
  }

  @Test
  void aPipelineSaysSoInOneSentenceWhenNoClusterAnswers() throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Cli run = Cli.run("top-sellers", "--maxEvents=10", "--runner=FlinkRunner", "--flinkMaster=127.0.0.1:" + port);

    assertThat(run.exitCode, is(1));
    assertThat(run.err, equalTo("Cannot reach a Flink cluster at 127.0.0.1:" + port + " (ConnectException): start one"
        + " (make flink-up) or give its HOST:PORT.\n"));
  }

  @Test
  void noOutputIsWrittenForABadCommandLine() {
    Path output = dir.resolve("out");

    Cli run =
        Cli.run("top-sellers", "--output=" + output, "--window=1h", "--slide=90m", "--maxEvents=10");

    assertThat(run.exitCode, is(2));
    assertThat(Files.exists(output), is(false));
  }

  @Test
  void helpListsOverwriteForEveryPipeline() {
    for (String pipeline : new String[] {"top-sellers", "trending-hashtags", "session-stats"}) {
      Cli run = Cli.run(pipeline, "--help");

      assertThat(run.out, containsString("  --overwrite\n"));
      assertThat(run.out, containsString("Default: false."));
    }
  }

  @Test
  void anOutputThatIsAnExistingFile() {
    Path input = Cli.write(dir.resolve("orders.jsonl"), "{}");
    Path file = Cli.write(dir.resolve("taken"), "not a directory");

    assertUsageError(
        "Option --output=" + file + " is an existing file, not a directory; give a directory (it is"
            + " created if missing).",
        "top-sellers", "--input=" + input, "--output=" + file);
  }

  @Test
  void aDeadLetterDirectoryThatIsAnExistingFile() {
    Path input = Cli.write(dir.resolve("events.jsonl"), "{}");
    Path file = Cli.write(dir.resolve("taken"), "not a directory");

    assertUsageError(
        "Option --deadLetters=" + file + " is an existing file, not a directory; give a directory"
            + " (it is created if missing).",
        "session-stats", "--input=" + input, "--deadLetters=" + file);
  }

  @Test
  void anOutputUnderARegularFileCannotBeCreated() {
    Path input = Cli.write(dir.resolve("orders.jsonl"), "{}");
    Path file = Cli.write(dir.resolve("taken"), "not a directory");
    Path output = file.resolve("sub").resolve("out");

    assertUsageError(
        "Option --output=" + output + " cannot be created: " + file + " is a file.",
        "trending-hashtags", "--input=" + input, "--output=" + output);
  }

  @Test
  void aDeadLetterDirectoryUnderARegularFileCannotBeCreatedAndNoOutputIsStarted() {
    Path input = Cli.write(dir.resolve("orders.jsonl"), "{}");
    Path file = Cli.write(dir.resolve("taken"), "not a directory");

    assertUsageError(
        "Option --deadLetters=" + file.resolve("dead") + " cannot be created: " + file + " is a file.",
        "top-sellers", "--input=" + input, "--output=" + dir.resolve("out"),
        "--deadLetters=" + file.resolve("dead"));
    assertThat(Files.exists(dir.resolve("out")), is(false));
  }

  @Test
  void anOutputInADirectoryThatCannotBeWritten() throws Exception {
    Path input = Cli.write(dir.resolve("orders.jsonl"), "{}");
    Path locked = Files.createDirectory(dir.resolve("locked"));
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      assumeFalse(Files.isWritable(locked), "a superuser can write any directory");

      assertUsageError(
          "Option --output=" + locked.resolve("out") + " cannot be created: " + locked
              + " cannot be written.",
          "top-sellers", "--input=" + input, "--output=" + locked.resolve("out"));
    } finally {
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void anOutputWhoseNameIsTooLongForTheFileSystemIsTriedBeforeTheRun() {
    Path input = Cli.write(dir.resolve("orders.jsonl"), "{}");
    Path output = dir.resolve("x".repeat(300));

    assertUsageError(
        "Option --output=" + output + " cannot be created: file name too long.",
        "top-sellers", "--input=" + input, "--output=" + output);
  }

  @Test
  void anOutputWhereNoDirectoryCanBeMadeIsTriedBeforeTheRunAndLeavesNothing() {
    assumeTrue(Files.isDirectory(Path.of("/proc/self")), "a Linux /proc");
    Path input = Cli.write(dir.resolve("orders.jsonl"), "{}");

    assertUsageError(
        "Option --output=/proc/windowpane-test/out cannot be created: a part of it cannot hold directories.",
        "top-sellers", "--input=" + input, "--output=/proc/windowpane-test/out");
  }

  @Test
  void anOutputThatCanBeCreatedIsNotLeftBehindByARefusedCommandLine() {
    Path input = Cli.write(dir.resolve("orders.jsonl"), "{}");
    Path output = dir.resolve("new").resolve("out");

    assertUsageError(
        "Option --top must be a whole number from 1 to 100000, got 0.",
        "top-sellers", "--input=" + input, "--output=" + output, "--top=0");
    assertThat(Files.exists(dir.resolve("new")), is(false));
  }

  private static void assertUsageError(String sentence, String... args) {
    Cli run = Cli.run(args);

    assertOneSentenceUsageError(run);
    assertThat(run.err, equalTo(sentence + System.lineSeparator()));
  }

  private static void assertOneSentenceUsageError(Cli run) {
    assertThat(run.err, run.exitCode, is(2));
    assertThat(run.out, equalTo(""));
    assertThat(run.err, run.err.strip().lines().count(), is(1L));
    assertThat(run.err, run.err.strip().endsWith("."), is(true));
  }
}
