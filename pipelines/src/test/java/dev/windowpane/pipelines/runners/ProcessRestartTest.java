package dev.windowpane.pipelines.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static dev.windowpane.pipelines.runners.RunFiles.rankingLines;
import static dev.windowpane.pipelines.runners.RunFiles.read;
import static dev.windowpane.pipelines.runners.RunFiles.windowFiles;
import static dev.windowpane.pipelines.runners.RunFiles.windowsOf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Process failure, as Spark's getOrCreate promises to survive it: top-sellers on embedded Flink
 * reading the built-in generator runs as its own JVM with {@code --checkpointDir}; it is killed with
 * SIGKILL mid-stream once a checkpoint is complete, started again with the same command, and its
 * rankings then equal, window for window, those of a failure-free DirectRunner run of the same
 * events. Each window's file is written whole or not at all, and a window written before the kill
 * and again after it is the same file with the same content.
 */
class ProcessRestartTest {
  private static final long EVENTS = 9_000;
  /** Window ends from 00:01 to 00:54, the last window ending after the last event, at 00:44:59.7. */
  private static final long WINDOWS = 54;

  @TempDir Path dir;

  @Test
  void aKilledRunStartedAgainWithItsCheckpointDirectoryGivesTheFailureFreeResults() throws Exception {
    Path checkpoints = dir.resolve("checkpoints");
    Path output = dir.resolve("out");
    List<String> flink =
        List.of(
            "--runner=FlinkRunner", "--parallelism=2", "--checkpointDir=" + checkpoints,
            "--checkpointingInterval=2s", "--output=" + output);

    Process first = start(flink, dir.resolve("first.log"));
    long windowsBeforeTheKill;
    try {
      RunFiles.await(() -> hasCompleteCheckpoint(checkpoints) && windowFiles(output) > 0, first, 120, "its first checkpoint");
      windowsBeforeTheKill = windowFiles(output);
    } finally {
      first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(read(dir.resolve("first.log")), containsString("No checkpoint in " + checkpoints));
    // Killed mid-stream: most windows (45 minutes of event time, a window end every minute) are to come.
    assertThat(read(dir.resolve("first.log")), windowsBeforeTheKill, lessThan(WINDOWS / 2));

    Process second = start(flink, dir.resolve("second.log"));
    boolean finished = second.waitFor(240, TimeUnit.SECONDS);
    second.destroyForcibly();
    String secondLog = read(dir.resolve("second.log"));
    assertThat(secondLog, finished, is(true));
    assertThat(secondLog, second.exitValue(), is(0));
    assertThat(secondLog, containsString("Resuming from checkpoint " + checkpoints));

    Path reference = dir.resolve("reference");
    Process direct = start(List.of("--output=" + reference), dir.resolve("reference.log"));
    assertThat(read(dir.resolve("reference.log")), direct.waitFor(240, TimeUnit.SECONDS), is(true));
    assertThat(read(dir.resolve("reference.log")), direct.exitValue(), is(0));

    List<String> expected = rankingLines(reference);
    assertThat(windowsOf(expected), is(WINDOWS));
    assertThat(rankingLines(output), equalTo(expected));
    assertThat(Files.exists(output.resolve("_SUCCESS")), is(true));
  }

  /** top-sellers on {@link #EVENTS} generated events (seed 3), 10m windows every 1m, top 5. */
  private Process start(List<String> options, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx768m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.windowpane.pipelines.Main");
    command.addAll(
        List.of(
            "top-sellers", "--seed=3", "--maxEvents=" + EVENTS, "--eventsPerSecond=300",
            "--window=10m", "--slide=1m", "--top=5"));
    command.addAll(options);
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static boolean hasCompleteCheckpoint(Path checkpoints) throws IOException {
    return CheckpointDirectory.at(checkpoints.toString()).newestCheckpoint().isPresent();
  }
}
