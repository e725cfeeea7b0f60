package dev.windowpane.pipelines.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static dev.windowpane.pipelines.runners.RunFiles.rankingLines;
import static dev.windowpane.pipelines.runners.RunFiles.read;

import dev.windowpane.pipelines.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --supervise}: top-sellers on embedded Flink reading the built-in generator, its child JVM
 * killed with SIGKILL twice, each time at a random moment after the child's first checkpoint. The
 * supervisor starts it again each time, the run finishes by itself, and its rankings equal, window
 * for window, those of a failure-free DirectRunner run of the same events.
 */
class SupervisedRunTest {
  private static final List<String> PIPELINE =
      List.of("top-sellers", "--seed=3", "--maxEvents=9000", "--eventsPerSecond=300", "--window=10m", "--slide=1m",
          "--top=5");
  private static final Pattern CHILD = Pattern.compile("Supervising: the pipeline runs in JVM pid (\\d+)\\.");

  @TempDir Path dir;

  @Test
  void aSupervisedPipelineWhoseJvmIsKilledTwiceFinishesByItselfWithTheFailureFreeResults() throws Exception {
    Path checkpoints = dir.resolve("checkpoints");
    Path output = dir.resolve("out");
    Path log = dir.resolve("supervisor.log");
    List<String> command = new ArrayList<>(List.of(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m", "-cp",
        System.getProperty("java.class.path"), "dev.windowpane.pipelines.Main"));
    command.addAll(PIPELINE);
    command.addAll(List.of("--supervise", "--restartDelay=500ms", "--runner=FlinkRunner", "--parallelism=2",
        "--checkpointDir=" + checkpoints, "--checkpointingInterval=2s", "--output=" + output));
    Process supervisor = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Random random = new Random(11);
    try {
      for (int kill = 1; kill <= 2; kill++) {
        long child = awaitChild(log, kill, supervisor);
        long started = System.currentTimeMillis();
        RunFiles.await(() -> newestCheckpointSince(checkpoints, started), supervisor, 120, "a checkpoint of child " + kill);
        Thread.sleep(random.nextInt(2_000));
        ProcessHandle handle = ProcessHandle.of(child).orElseThrow();
        handle.destroyForcibly();
        handle.onExit().get(30, TimeUnit.SECONDS);
      }
      boolean finished = supervisor.waitFor(240, TimeUnit.SECONDS);
      assertThat(read(log), finished, is(true));
    } finally {
      supervisor.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    String text = read(log);
    assertThat(text, supervisor.exitValue(), is(0));
    assertThat(text, children(text), hasSize(3));
    assertThat(text, restarts(text, "was ended by signal 9 (SIGKILL); restart 1 of at most 5 within 10m in 500 ms, resuming from "
        + checkpoints), is(1L));
    assertThat(text, restarts(text, "was ended by signal 9 (SIGKILL); restart 2 of at most 5 within 10m in 1000 ms, resuming from "
        + checkpoints), is(1L));
    assertThat(text, containsString("Resuming from checkpoint " + checkpoints));
    assertThat(Files.exists(output.resolve("_SUCCESS")), is(true));

    assertThat(rankingLines(output), equalTo(RunFiles.directRunnerRankings(PIPELINE, dir.resolve("reference"))));
  }

  /** The pid of the supervisor's {@code n}th child, once the supervisor has said it. */
  private static long awaitChild(Path log, int n, Process supervisor) throws Exception {
    RunFiles.await(() -> children(read(log)).size() >= n, supervisor, 120, "child " + n);
    return children(read(log)).get(n - 1);
  }

  private static List<Long> children(String log) {
    List<Long> pids = new ArrayList<>();
    Matcher matcher = CHILD.matcher(log);
    while (matcher.find()) {
      pids.add(Long.parseLong(matcher.group(1)));
    }
    return pids;
  }

  private static long restarts(String log, String sentence) {
    return log.lines().filter(line -> line.contains(sentence)).count();
  }

  private static boolean newestCheckpointSince(Path checkpoints, long millis) throws IOException {
    Optional<Path> newest = CheckpointDirectory.at(checkpoints.toString()).newestCheckpoint();
    return newest.isPresent()
        && Files.getLastModifiedTime(newest.get().resolve("_metadata")).compareTo(FileTime.fromMillis(millis)) >= 0;
  }
}
