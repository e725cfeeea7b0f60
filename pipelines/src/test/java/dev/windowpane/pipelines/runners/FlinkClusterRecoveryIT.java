package dev.windowpane.pipelines.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static dev.windowpane.pipelines.runners.RunFiles.rankingLines;
import static dev.windowpane.pipelines.runners.RunFiles.read;
import static dev.windowpane.pipelines.runners.RunFiles.windowFiles;
import static dev.windowpane.pipelines.runners.RunFiles.windowsOf;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * top-sellers on a real Flink session cluster (a JobManager and two TaskManagers, each its own JVM,
 * parallelism 2), submitted by the command line with {@code --checkpointDir}, reading the built-in
 * generator, survives what happens to a job on a cluster, and its rankings then equal, window for
 * window, those of a failure-free DirectRunner run of the same events:
 *
 * <ol>
 *   <li>stopped mid-stream with {@code windowpane stop} (a savepoint in its checkpoint directory),
 *       then started again with the same command, which resumes from the savepoint;
 *   <li>a TaskManager process killed with SIGKILL mid-stream once a checkpoint is complete, and a
 *       new TaskManager started in its place: Flink restarts the job from the checkpoint.
 * </ol>
 *
 * <p>A failsafe integration test: it needs {@code target/windowpane-pipelines.jar}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlinkClusterRecoveryIT {
  private static final List<String> PIPELINE = RunFiles.CLUSTER_PIPELINE;
  private static final long WINDOWS = RunFiles.CLUSTER_PIPELINE_WINDOWS;

  private static Path dir;
  private static Path jar;
  private static LocalFlinkCluster cluster;
  private static List<String> reference;

  @BeforeAll
  static void startCluster() throws Exception {
    jar = RunFiles.bundledJar();
    dir = RunFiles.integrationTestDirectory("recovery");
    reference = RunFiles.directRunnerRankings(PIPELINE, dir.resolve("reference"));
    assertThat(windowsOf(reference), is(WINDOWS));
    cluster = LocalFlinkCluster.startWithQuickHeartbeats(dir.resolve("cluster"));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void aJobStoppedWithASavepointAndStartedAgainWithTheSameCommandGivesTheFailureFreeResults() throws Exception {
    Path checkpoints = dir.resolve("stopped-checkpoints");
    Path output = dir.resolve("stopped-out");
    // 100 events a second (60 s of input) rather than 300: the stop command (its own JVM, a
    // savepoint) then comes well before the last window even on a loaded machine; in CI at 300 a
    // second it came after all 39 windows had been written.
    List<String> command = new ArrayList<>(pipelineCommand(checkpoints, output, List.of()));
    command.replaceAll(arg -> arg.startsWith("--eventsPerSecond=") ? "--eventsPerSecond=100" : arg);

    Process first = start(command, dir.resolve("stopped-first.log"));
    try {
      RunFiles.await(() -> windowFiles(output) > 0, first, 120, "its first results");
      Process stop =
          start(
              List.of("stop", "--flinkMaster=127.0.0.1:" + cluster.restPort(), "--checkpointDir=" + checkpoints),
              dir.resolve("stop.log"));
      assertThat(read(dir.resolve("stop.log")), stop.waitFor(120, TimeUnit.SECONDS), is(true));
      String stopLog = read(dir.resolve("stop.log"));
      assertThat(stopLog, stop.exitValue(), is(0));
      assertThat(stopLog, containsString("Stopped job windowpane-top-sellers ("));
      assertThat(stopLog, containsString("with savepoint " + checkpoints.resolve("savepoint-")));
      assertThat(read(dir.resolve("stopped-first.log")), first.waitFor(60, TimeUnit.SECONDS), is(true));
    } finally {
      first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    String firstLog = read(dir.resolve("stopped-first.log"));
    assertThat(firstLog, first.exitValue(), is(0));
    assertThat(firstLog, containsString("Stopped with savepoint " + checkpoints.resolve("savepoint-")));
    // Stopped mid-stream: not finished, so no _SUCCESS, and most windows are to come.
    assertThat(Files.exists(output.resolve("_SUCCESS")), is(false));
    assertThat(firstLog, windowsOf(rankingLines(output)), lessThan(WINDOWS));

    Process second = start(command, dir.resolve("stopped-second.log"));
    boolean finished = second.waitFor(180, TimeUnit.SECONDS);
    second.destroyForcibly();
    String secondLog = read(dir.resolve("stopped-second.log"));
    assertThat(secondLog, finished, is(true));
    assertThat(secondLog, second.exitValue(), is(0));
    assertThat(secondLog, containsString("Resuming from savepoint " + checkpoints.resolve("savepoint-")));
    assertThat(rankingLines(output), equalTo(reference));
    assertThat(Files.exists(output.resolve("_SUCCESS")), is(true));
  }

  @Test
  @Order(2)
  void aKilledTaskManagerIsReplacedAndTheJobRecoversFromItsCheckpointWithTheFailureFreeResults() throws Exception {
    Path checkpoints = dir.resolve("killed-checkpoints");
    Path output = dir.resolve("killed-out");
    // Flink restarts the job each time it cannot place it while the dead TaskManager is still counted.
    List<String> command =
        pipelineCommand(checkpoints, output, List.of("--numberOfExecutionRetries=20", "--executionRetryDelay=1s",
            "--jobName=windowpane-recovery-it"));

    Process run = start(command, dir.resolve("killed.log"));
    try {
      RunFiles.await(
          () -> windowFiles(output) > 0 && CheckpointDirectory.at(checkpoints.toString()).newestCheckpoint().isPresent(),
          run, 120, "its first checkpoint");
      cluster.kill("taskmanager-1");
      cluster.startTaskManager("taskmanager-3", 2);
      boolean finished = run.waitFor(240, TimeUnit.SECONDS);
      assertThat(read(dir.resolve("killed.log")), finished, is(true));
    } finally {
      run.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    String runLog = read(dir.resolve("killed.log"));
    assertThat(runLog, run.exitValue(), is(0));
    assertThat(rankingLines(output), equalTo(reference));
    assertThat(Files.exists(output.resolve("_SUCCESS")), is(true));

    // The job really failed and was restarted: Flink's exception history holds the lost TaskManager.
    String job = null;
    for (JsonNode overview : cluster.get("/jobs/overview").path("jobs")) {
      if (overview.path("name").asText().equals("windowpane-recovery-it")) {
        job = overview.path("jid").asText();
      }
    }
    assertThat("the job is in the cluster's list", job, not(equalTo(null)));
    JsonNode history = cluster.get("/jobs/" + job + "/exceptions").path("exceptionHistory").path("entries");
    assertThat(history.toString(), history.size(), greaterThan(0));
  }


  private static List<String> pipelineCommand(Path checkpoints, Path output, List<String> more) {
    List<String> command = new ArrayList<>(PIPELINE);
    command.addAll(
        List.of(
            "--runner=FlinkRunner", "--flinkMaster=127.0.0.1:" + cluster.restPort(), "--parallelism=2",
            "--checkpointDir=" + checkpoints, "--checkpointingInterval=2s", "--output=" + output));
    command.addAll(more);
    return command;
  }

  /** {@code java -jar windowpane-pipelines.jar ARGS}, its output in {@code log}. */
  private static Process start(List<String> args, Path log) throws IOException {
    List<String> command =
        new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m", "-jar",
            jar.toString()));
    command.addAll(args);
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }
}
