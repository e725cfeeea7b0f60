package dev.windowpane.pipelines.runners;

import static dev.windowpane.pipelines.runners.RunFiles.rankingLines;
import static dev.windowpane.pipelines.runners.RunFiles.read;
import static dev.windowpane.pipelines.runners.RunFiles.windowFiles;
import static dev.windowpane.pipelines.runners.RunFiles.windowsOf;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A highly available Flink cluster (ZooKeeper, two JobManagers that elect their leader in it, two
 * TaskManagers; each its own JVM): a streaming top-sellers job submitted by the command line with
 * {@code --checkpointDir} goes on when the leading JobManager is killed with SIGKILL mid-run. The
 * standby takes over and recovers the job from its latest checkpoint, the command line (which finds
 * the leader through the cluster's configuration) sees it finish, and the rankings equal, window for
 * window, those of a failure-free DirectRunner run. The killed JobManager, started again, stands by.
 *
 * <p>A failsafe integration test: it needs {@code target/windowpane-pipelines.jar}.
 */
class HighAvailabilityIT {
  private static final List<String> PIPELINE = RunFiles.CLUSTER_PIPELINE;
  private static final long WINDOWS = RunFiles.CLUSTER_PIPELINE_WINDOWS;

  private static Path dir;
  private static Path jar;
  private static LocalFlinkCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    jar = RunFiles.bundledJar();
    dir = RunFiles.integrationTestDirectory("high-availability");
    cluster = LocalFlinkCluster.startHighlyAvailable(dir.resolve("cluster"));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aJobGoesOnUnderTheStandbyWhenTheLeadingJobManagerIsKilledAndItsResultsAreExact() throws Exception {
    Path checkpoints = dir.resolve("checkpoints");
    Path output = dir.resolve("out");
    Path log = dir.resolve("pipeline.log");
    int leader = cluster.leadingJobManager();
    assertThat("a JobManager leads", leader == 1 || leader == 2, is(true));
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m", "-jar", jar.toString()));
    command.addAll(PIPELINE);
    command.addAll(List.of(
        "--runner=FlinkRunner", "--flinkMaster=127.0.0.1:" + cluster.restPortOf(leader),
        "--flinkConfDir=" + cluster.confDir(), "--parallelism=2", "--checkpointDir=" + checkpoints,
        "--checkpointingInterval=2s", "--numberOfExecutionRetries=20", "--executionRetryDelay=1s",
        "--output=" + output));
    Process run = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long windowsBeforeTheKill;
    try {
      RunFiles.await(
          () -> windowFiles(output) > 0 && CheckpointDirectory.at(checkpoints.toString()).newestCheckpoint().isPresent(),
          run, 120, "its first checkpoint");
      windowsBeforeTheKill = windowFiles(output);
      cluster.kill("jobmanager-" + leader);
      cluster.startJobManager("jobmanager-" + leader, cluster.restPortOf(leader));
      boolean finished = run.waitFor(240, TimeUnit.SECONDS);
      assertThat(read(log), finished, is(true));
    } finally {
      run.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    String text = read(log);
    assertThat(text, run.exitValue(), is(0));
    // Killed mid-run: most windows were still to come.
    assertThat(text, windowsBeforeTheKill, lessThan(WINDOWS));
    assertThat(Files.exists(output.resolve("_SUCCESS")), is(true));
    List<String> expected = RunFiles.directRunnerRankings(PIPELINE, dir.resolve("reference"));
    assertThat(windowsOf(expected), is(WINDOWS));
    assertThat(rankingLines(output), equalTo(expected));
    // The other JobManager leads now; the one started again stands by.
    assertThat(cluster.leadingJobManager(), is(3 - leader));
  }

}
