package dev.windowpane.pipelines.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    assertThat(
        sentence,
        startsWith("Resuming from checkpoint " + newest + ", with checkpoints every 3000 ms in the filesystem state backend"));
    assertThat(Files.exists(old), is(false));
    assertThat(names(dir), containsInAnyOrder(NEW_JOB, "notes.txt", ".flink-restore-conf", ".state-backend"));
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

  @Test
  void aSavepointNewerThanTheCheckpointsResumesAndIsKeptWhileTheJobsAreDeleted() throws IOException {
    checkpoint(OLD_JOB, 7, 1_000);
    Path olderSavepoint = savepoint("savepoint-012345-0123456789ab", 500);
    Path savepoint = savepoint("savepoint-012345-ba9876543210", 2_000);
    FlinkPipelineOptions options = flinkOptions("127.0.0.1:8081");

    String sentence = CheckpointDirectory.at(dir.toString()).configure(options, null);

    assertThat(sentence, startsWith("Resuming from savepoint " + savepoint + ", with checkpoints"));
    assertThat(options.getSavepointPath(), equalTo(savepoint.toUri().toString()));
    assertThat(Files.exists(olderSavepoint), is(false));
    assertThat(names(dir), containsInAnyOrder(savepoint.getFileName().toString(), ".state-backend"));
  }

  @Test
  void aResumedRunKeepsTheStateBackendItsCheckpointsWereTakenInAndRefusesAnother() throws IOException {
    FlinkPipelineOptions first = flinkOptions("[local]");
    first.setStateBackend("rocksdb");
    CheckpointDirectory.at(dir.toString()).configure(first, null);
    Path newest = checkpoint(NEW_JOB, 2, 1_000);

    FlinkPipelineOptions again = flinkOptions("[local]");
    String sentence = CheckpointDirectory.at(dir.toString()).configure(again, null);

    assertThat(again.getStateBackend(), equalTo("rocksdb"));
    assertThat(sentence, containsString("in the rocksdb state backend"));
    FlinkPipelineOptions other = flinkOptions("[local]");
    other.setStateBackend("filesystem");
    CheckpointDirectory.CannotResume refused =
        assertThrows(
            CheckpointDirectory.CannotResume.class,
            () -> CheckpointDirectory.at(dir.toString()).configure(other, null));
    assertThat(
        refused.getMessage(),
        equalTo(
            "Cannot resume from checkpoint " + newest + " with --stateBackend=filesystem: it was taken in the"
                + " rocksdb state backend; give --stateBackend=rocksdb (or none), or remove " + dir
                + " to start fresh."));
  }

  private Path savepoint(String name, long writtenAtMillis) throws IOException {
    Path savepoint = Files.createDirectories(dir.resolve(name));
    Path metadata = Files.write(savepoint.resolve("_metadata"), new byte[] {1});
    Files.setLastModifiedTime(metadata, FileTime.fromMillis(writtenAtMillis));
    return savepoint;
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
