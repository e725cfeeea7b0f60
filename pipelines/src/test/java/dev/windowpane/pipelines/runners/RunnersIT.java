package dev.windowpane.pipelines.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static dev.windowpane.pipelines.runners.RunFiles.jsonLines;

import dev.windowpane.cluster.FlinkCluster;
import dev.windowpane.pipelines.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One suite over the runners: each pipeline, on the same input files (the generator's events with
 * a malformed line and late lines among them), gives exactly the DirectRunner's results and dead
 * letters on the FlinkRunner embedded ({@code [local]}) and on the FlinkRunner against the
 * project's real cluster (a JobManager and two TaskManagers, three JVMs), both at parallelism 2,
 * run by the command line as a user types it.
 *
 * <p>The same on the PortableRunner, through Beam's Flink job server with the LOOPBACK environment
 * (no Docker), in batch mode; the sliding rankings refuse a stream there in one sentence on Beam
 * 2.62.
 * The SparkRunner is in the Spark jar and tested in the {@code spark} module.
 *
 * <p>A failsafe integration test: the cluster runs need {@code target/windowpane-pipelines.jar}.
 */
class RunnersIT {

  private static Path dir;
  private static Path jar;
  private static LocalFlinkCluster cluster;
  private static Process jobServer;
  private static int jobServerPort;
  private static final Map<String, Path> INPUTS = new HashMap<>();

  @BeforeAll
  static void prepare() throws Exception {
    jar = RunFiles.bundledJar();
    dir = RunFiles.integrationTestDirectory("runners");
    for (String kind : List.of("orders", "tweets", "sessions")) {
      Path input = dir.resolve(kind + ".jsonl");
      run(List.of("generate", "--kind=" + kind, "--seed=21", "--maxEvents=3000", "--latePercent=5", "--lateBy=7m",
          "--output=" + input));
      Files.write(input, List.of("not json", "{\"timestamp\":\"yesterday\"}"), StandardCharsets.UTF_8,
          StandardOpenOption.APPEND);
      INPUTS.put(kind, input);
    }
    cluster = LocalFlinkCluster.start(dir.resolve("cluster"));
    jobServerPort = FlinkCluster.freePort();
    jobServer = startJobServer(jobServerPort, dir.resolve("job-server.log"));
  }

  @AfterAll
  static void stopCluster() throws InterruptedException {
    if (jobServer != null) {
      jobServer.destroy();
      if (!jobServer.waitFor(30, TimeUnit.SECONDS)) {
        jobServer.destroyForcibly();
      }
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Beam's Flink job server (embedded Flink), as {@code make jobserver} starts it, in its own JVM. */
  private static Process startJobServer(int port, Path log) throws Exception {
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m", "-cp",
                System.getProperty("java.class.path"), "org.apache.beam.runners.flink.FlinkJobServerDriver",
                "--job-host=127.0.0.1", "--job-port=" + port, "--artifact-port=0", "--expansion-port=0",
                "--flink-master=[local]")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!FlinkCluster.inUse(port)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new AssertionError("The job server did not listen on port " + port + ":\n" + RunFiles.read(log));
      }
      Thread.sleep(200);
    }
    return process;
  }

  @org.junit.jupiter.api.Test
  void theSlidingRankingsRefuseAStreamOnThePortableRunnerInOneSentence() {
    for (String pipeline : List.of("top-sellers", "trending-hashtags")) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = Main.run(
          new String[] {pipeline, "--maxEvents=100", "--runner=PortableRunner", "--jobEndpoint=127.0.0.1:" + jobServerPort},
          new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
      assertThat(code, is(2));
      assertThat(err.toString(StandardCharsets.UTF_8), equalTo(
          "On the PortableRunner the sliding rankings read files only (--input, batch mode): on a stream they need"
              + " their input watermark in a DoFn, which Beam 2.62's portable SDK harness does not provide; run"
              + " streams with --runner=FlinkRunner.\n"));
    }
  }

  static Stream<Arguments> pipelinesAndRunners() {
    List<Arguments> all = new ArrayList<>();
    for (String pipeline : List.of("top-sellers", "trending-hashtags", "session-stats")) {
      all.add(Arguments.of(pipeline, "FlinkRunner [local]"));
      all.add(Arguments.of(pipeline, "FlinkRunner cluster"));
      all.add(Arguments.of(pipeline, "PortableRunner"));
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} on the {1}")
  @MethodSource("pipelinesAndRunners")
  void givesTheDirectRunnersResults(String pipeline, String runner) throws Exception {
    Path direct = dir.resolve(pipeline + "-direct");
    if (!Files.isDirectory(direct)) {
      run(args(pipeline, direct, List.of()));
    }
    Path output = dir.resolve(pipeline + "-" + runner.replace(' ', '-').replaceAll("[\\[\\]]", ""));
    List<String> flink = new ArrayList<>(List.of("--runner=FlinkRunner", "--parallelism=2"));
    if (runner.equals("PortableRunner")) {
      run(args(pipeline, output, List.of("--runner=PortableRunner", "--jobEndpoint=127.0.0.1:" + jobServerPort,
          "--defaultEnvironmentType=LOOPBACK")));
    } else if (runner.endsWith("cluster")) {
      flink.add("--flinkMaster=127.0.0.1:" + cluster.restPort());
      runJar(args(pipeline, output, flink), dir.resolve(pipeline + "-cluster.log"));
    } else {
      flink.add("--flinkMaster=[local]");
      run(args(pipeline, output, flink));
    }

    List<String> expected = jsonLines(direct.resolve("out"));
    assertThat(expected.size(), greaterThan(10));
    assertThat(jsonLines(output.resolve("out")), equalTo(expected));
    List<String> deadLetters = jsonLines(direct.resolve("dead-letters"));
    assertThat(deadLetters.size(), is(2));
    assertThat(jsonLines(output.resolve("dead-letters")), equalTo(deadLetters));
  }

  /** The pipeline's command line on its input, writing under {@code output}. */
  private static List<String> args(String pipeline, Path output, List<String> runner) {
    List<String> args = new ArrayList<>(List.of(pipeline));
    String kind = pipeline.equals("top-sellers") ? "orders" : pipeline.equals("trending-hashtags") ? "tweets" : "sessions";
    args.add("--input=" + INPUTS.get(kind));
    args.add("--output=" + output.resolve("out"));
    args.add("--deadLetters=" + output.resolve("dead-letters"));
    if (pipeline.equals("session-stats")) {
      args.addAll(List.of("--gap=5m"));
    } else {
      args.addAll(List.of("--window=10m", "--slide=2m", "--top=5"));
    }
    args.addAll(runner);
    return args;
  }

  /** The command line in this JVM (the DirectRunner, embedded Flink). */
  private static void run(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(args + "\n" + err.toString(StandardCharsets.UTF_8), code, is(0));
  }

  /** {@code java -jar windowpane-pipelines.jar ARGS} as its own JVM, as a user submits to a cluster. */
  private static void runJar(List<String> args, Path log) throws Exception {
    List<String> command = new ArrayList<>(
        List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m", "-jar", jar.toString()));
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean ended = process.waitFor(180, TimeUnit.SECONDS);
    if (!ended) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String text = Files.readString(log);
    assertThat("ended in time:\n" + text, ended, is(true));
    assertThat(text, process.exitValue(), is(0));
  }
}
