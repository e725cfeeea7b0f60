package dev.windowpane.pipelines.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** getOrCreate over Flink's retained checkpoints: which one resumes, what is cleaned, how Flink is told. */
class CheckpointDirectoryTest {
  private static final String OLD_JOB = "0123456789abcdef0123456789abcdef";
  private static final String NEW_JOB = "fedcba9876543210fedcba9876543210";

  @TempDir Path dir;

  @Test
  void anEmptyDirectoryStartsFreshWithRetainedCheckpoints() {
    FlinkPipelineOptions options = flinkOptions("[local]");

    String sentence = CheckpointDirectory.at(dir.toString()).configure(options, null);

    assertThat(sentence, startsWith("No checkpoint in " + dir + ": starting fresh"));
    assertThat(options.getCheckpointingInterval(), is(CheckpointDirectory.DEFAULT_INTERVAL_MILLIS));
    assertThat(options.getStateBackend(), equalTo("filesystem"));
    assertThat(options.getStateBackendStoragePath(), equalTo(dir.toUri().toString()));
    assertThat(options.isExternalizedCheckpointsEnabled(), is(true));
    assertThat(options.getRetainExternalizedCheckpointsOnCancellation(), is(true));
    assertThat(options.getNumberOfExecutionRetries(), is(CheckpointDirectory.DEFAULT_RESTART_ATTEMPTS));
    assertThat(options.getFlinkConfDir(), nullValue());
    assertThat(options.getSavepointPath(), nullValue());
  }

  @Test
  void theNewestCompleteCheckpointAcrossJobsResumesAndOtherJobsAreDeleted() throws IOException {
    Path old = checkpoint(OLD_JOB, 9, 1_000);
    Path newest = checkpoint(NEW_JOB, 3, 2_000);
    // A checkpoint still being written has no _metadata: never chosen, even when newer.
    Files.createDirectories(dir.resolve(OLD_JOB).resolve("chk-10"));
    Files.write(dir.resolve("notes.txt"), List.of("mine"));
    FlinkPipelineOptions options = flinkOptions("[local]");
    options.setCheckpointingInterval(3_000L);

    assertThat(CheckpointDirectory.at(dir.toString()).newestCheckpoint(), equalTo(Optional.of(newest)));
    String sentence = CheckpointDirectory.at(dir.toString()).configure(options, null);

    assertThat(sentence, startsWith("Resuming from checkpoint " + newest + ", with checkpoints every 3000 ms"));
    assertThat(Files.exists(old), is(false));
    assertThat(names(dir), containsInAnyOrder(NEW_JOB, "notes.txt", ".flink-restore-conf"));
    assertThat(
        Files.readAllLines(Path.of(options.getFlinkConfDir()).resolve("flink-conf.yaml"), StandardCharsets.UTF_8),
        equalTo(List.of("execution.savepoint.path: " + newest.toUri())));
  }

  @Test
  void aClusterIsToldThroughTheSavepointPathAndTheUsersConfigurationIsKept() throws IOException {
    Path newest = checkpoint(NEW_JOB, 4, 1_000);
    FlinkPipelineOptions cluster = flinkOptions("127.0.0.1:8081");

    CheckpointDirectory.at(dir.toString()).configure(cluster, null);

    assertThat(cluster.getSavepointPath(), equalTo(newest.toUri().toString()));
    Path userConf = Files.createDirectories(dir.resolve("user-conf"));
    Files.write(userConf.resolve("flink-conf.yaml"), List.of("taskmanager.numberOfTaskSlots: 2"));
    FlinkPipelineOptions local = flinkOptions("[local]");
    local.setFlinkConfDir(userConf.toString());

    CheckpointDirectory.at(dir.toString()).configure(local, null);

    assertThat(
        Files.readAllLines(Path.of(local.getFlinkConfDir()).resolve("flink-conf.yaml"), StandardCharsets.UTF_8),
        equalTo(List.of("taskmanager.numberOfTaskSlots: 2", "execution.savepoint.path: " + newest.toUri())));
  }

  private Path checkpoint(String job, int number, long writtenAtMillis) throws IOException {
    Path checkpoint = Files.createDirectories(dir.resolve(job).resolve("chk-" + number));
    Path metadata = Files.write(checkpoint.resolve("_metadata"), new byte[] {1});
    Files.setLastModifiedTime(metadata, FileTime.fromMillis(writtenAtMillis));
    return checkpoint;
  }

  private static List<String> names(Path directory) throws IOException {
    try (Stream<Path> children = Files.list(directory)) {
      return children.map(child -> child.getFileName().toString()).collect(Collectors.toList());
    }
  }

  private static FlinkPipelineOptions flinkOptions(String master) {
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setFlinkMaster(master);
    return options;
  }
}
