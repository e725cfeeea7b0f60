package dev.windowpane.pipelines.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static dev.windowpane.pipelines.runners.RunFiles.jsonLines;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windowpane.pipelines.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bundled jar on a real Flink session cluster (a JobManager and two TaskManagers, three JVMs on
 * Flink's own classpath), submitted both ways a user does: by the command line with
 * {@code --flinkMaster=127.0.0.1:<rest port>}, and by uploading the jar through Flink's REST API and
 * running its cluster entry class. Each gives exactly the DirectRunner's rankings, with parallelism 2
 * over both TaskManagers.
 *
 * <p>A failsafe integration test: it needs {@code target/windowpane-pipelines.jar}, which the shade
 * plugin writes at {@code package}.
 */
class FlinkClusterIT {
  private static final String[] ORDERS = {
    "{\"timestamp\":\"2025-11-25T10:07:00Z\",\"item\":\"sku-b\",\"quantity\":1}",
    "not json",
    "{\"timestamp\":\"2025-11-25T10:01:00Z\",\"item\":\"sku-a\",\"quantity\":2}",
    "{\"timestamp\":\"2025-11-25T10:03:30Z\",\"item\":\"sku-b\",\"quantity\":3}",
    "{\"timestamp\":1764065520000,\"item\":\"sku-c\",\"quantity\":4}",
    "{\"timestamp\":\"2025-11-25T10:04:59.999Z\",\"item\":\"sku-a\",\"quantity\":1}",
    "{\"timestamp\":\"2025-11-25T11:05:00+01:00\",\"item\":\"sku-c\",\"quantity\":1}",
    "{\"timestamp\":\"1764065640000\",\"item\":\"sku-a\",\"quantity\":2}",
    "{\"timestamp\":\"2025-11-25T10:12:00Z\",\"item\":\"sku-d\",\"quantity\":5}",
    "{\"timestamp\":\"2025-11-25T10:13:00Z\",\"item\":\"sku-b\",\"quantity\":2}",
  };

  private static Path dir;
  private static Path jar;
  private static Path input;
  private static LocalFlinkCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    jar = RunFiles.bundledJar();
    dir = RunFiles.integrationTestDirectory("run");
    input = dir.resolve("orders.jsonl");
    Files.write(input, List.of(ORDERS), StandardCharsets.UTF_8);
    long start = System.nanoTime();
    cluster = LocalFlinkCluster.start(dir.resolve("cluster"));
    System.out.printf("Flink cluster up in %.1f s on REST port %d; logs in %s%n",
        (System.nanoTime() - start) / 1e9, cluster.restPort(), cluster.logDir());
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theCommandLineAndTheRestApiGiveTheDirectRunnersRankingsOnTwoTaskManagers() throws Exception {
    List<String> direct = directRunnerRankings();
    // [09:55,10:05): a 3, b 3; [10:00,10:10): b 4, a 3; [10:05,10:15): c 5, d 5; [10:10,10:20): d 5, c 4.
    assertThat(direct, hasSize(4 * 2));

    // (a) The command line, as a user types it: Beam stages the bundled jar to the cluster.
    Path cliOutput = dir.resolve("out-cli");
    Path cliLog = dir.resolve("cli.log");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-jar", jar.toString(), "top-sellers"));
    command.addAll(topSellersArgs(cliOutput));
    command.addAll(List.of("--runner=FlinkRunner", "--flinkMaster=127.0.0.1:" + cluster.restPort(),
        "--parallelism=2", "--jobName=windowpane-it-cli"));
    Process cli = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(cliLog.toFile()).start();
    boolean ended = cli.waitFor(150, TimeUnit.SECONDS);
    if (!ended) {
      cli.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String cliText = Files.readString(cliLog);
    assertThat("the command line ended in time:\n" + cliText, ended, is(true));
    assertThat(cliText, cli.exitValue(), is(0));
    assertThat(cliText, containsString("windows emitted      4"));
    assertThat(Files.exists(cliOutput.resolve("_SUCCESS")), is(true));
    assertThat(jsonLines(cliOutput), equalTo(direct));
    String cliJob = jobNamed("windowpane-it-cli");
    assertRanOnBothTaskManagers(cliJob);

    // (b) The REST API, as Flink's web UI does it: upload the jar, run the cluster entry class.
    String jarId = cluster.uploadJar(jar);
    Path restOutput = dir.resolve("out-rest");
    String restJob =
        cluster.runJar(jarId, "dev.windowpane.pipelines.cluster.FlinkJob", 2,
            Stream.concat(Stream.of("top-sellers"), topSellersArgs(restOutput).stream()).toArray(String[]::new));
    JsonNode job = cluster.awaitJob(restJob, Duration.ofSeconds(120));
    assertThat(job.toString(), job.path("state").asText(), is("FINISHED"));
    assertThat(job.path("name").asText(), is("windowpane-top-sellers"));
    assertThat(jsonLines(restOutput), equalTo(direct));
    assertRanOnBothTaskManagers(restJob);

    // Both jobs are in the web UI's list.
    List<String> listed = new ArrayList<>();
    cluster.get("/jobs/overview").path("jobs").forEach(j -> listed.add(j.path("jid").asText()));
    assertThat(Set.copyOf(listed), equalTo(Set.of(cliJob, restJob)));
  }

  private static List<String> topSellersArgs(Path output) {
    List<String> args = new ArrayList<>();
    if (output != null) {
      args.add("--output=" + output);
    }
    args.addAll(List.of("--input=" + input, "--window=10m", "--slide=5m", "--top=2"));
    return args;
  }

  private static List<String> directRunnerRankings() {
    Path output = dir.resolve("out-direct");
    List<String> args = new ArrayList<>(List.of("top-sellers"));
    args.addAll(topSellersArgs(output));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args.toArray(new String[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(err.toString(StandardCharsets.UTF_8), code, is(0));
    return jsonLines(output);
  }

  private static String jobNamed(String name) throws Exception {
    List<String> ids = new ArrayList<>();
    cluster.get("/jobs/overview").path("jobs").forEach(j -> {
      if (j.path("name").asText().equals(name)) {
        ids.add(j.path("jid").asText());
      }
    });
    assertThat("one job named " + name, ids, hasSize(1));
    return ids.get(0);
  }

  /** Every vertex at parallelism 2 and the subtasks on both TaskManagers. */
  private static void assertRanOnBothTaskManagers(String jobId) throws Exception {
    List<Integer> parallelisms = new ArrayList<>();
    cluster.get("/jobs/" + jobId).path("vertices").forEach(v -> parallelisms.add(v.path("parallelism").asInt()));
    assertThat(parallelisms.isEmpty(), is(false));
    assertThat(parallelisms, everyItem(is(2)));
    assertThat(cluster.taskManagersOf(jobId), equalTo(Set.of("taskmanager-1", "taskmanager-2")));
  }
}
