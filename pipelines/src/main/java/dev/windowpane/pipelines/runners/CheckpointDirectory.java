package dev.windowpane.pipelines.runners;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import dev.windowpane.pipelines.cli.CommandFailure;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * What Spark's {@code StreamingContext.getOrCreate(checkpointDir)} means, for the Flink runner: a
 * directory where the run's checkpoints are retained, and from whose newest complete checkpoint a
 * run started with the same directory resumes (or starts fresh when it holds none).
 *
 * <p>Flink writes the checkpoints of one job as {@code DIR/<job id>/chk-N/_metadata} (the newest
 * one of each job retained after cancellation and failure); every run is a new job, so the newest
 * complete checkpoint is looked for across the job folders, by the time its {@code _metadata} was
 * written; a savepoint that {@code windowpane stop} wrote here counts as well. At start the job
 * and savepoint folders other than the one resumed from are deleted, so the directory holds at
 * most two jobs' checkpoints. Resuming hands the checkpoint to Flink as {@code
 * execution.savepoint.path}: through a Flink configuration directory for an embedded Flink ({@code
 * [local]}, {@code [auto]}), through {@code --savepointPath} for a cluster ({@code host:port}).
 * The state backend the checkpoints are taken in is recorded beside them, since a checkpoint
 * restores only into the backend that took it: a resumed run uses it unless told otherwise.
 */
public final class CheckpointDirectory {
  /** The checkpointing interval when none is given: often enough to lose little, rarely enough to cost little. */
  public static final long DEFAULT_INTERVAL_MILLIS = 10_000;

  /** How often a failed job is restarted from its last checkpoint when nothing else is said. */
  public static final int DEFAULT_RESTART_ATTEMPTS = 3;

  public static final long DEFAULT_RESTART_DELAY_MILLIS = 5_000;

  private static final Pattern CHECKPOINT = Pattern.compile("chk-(\\d+)");
  /** A savepoint Flink wrote into the directory: {@code savepoint-<job id's first 6>-<12 random>}. */
  private static final Pattern SAVEPOINT = Pattern.compile("savepoint-[0-9a-f]{6}-[0-9a-f]{12}");
  /** A folder of the directory that is windowpane's, not a job's. */
  private static final String RESTORE_CONFIGURATION = ".flink-restore-conf";
  /** The file that names the state backend the checkpoints here are taken in. */
  private static final String STATE_BACKEND = ".state-backend";

  /** A run that could not start from the checkpoint it was to resume from. */
  public static final class CannotResume extends CommandFailure {
    private static final long serialVersionUID = 1L;

    CannotResume(String sentence, Throwable cause) {
      super(sentence, cause);
    }
  }

  private final Path directory;

  private CheckpointDirectory(Path directory) {
    this.directory = directory;
  }

  public static CheckpointDirectory at(String directory) {
    return new CheckpointDirectory(Paths.get(directory).toAbsolutePath().normalize());
  }

  /** This directory, absolute. */
  public Path path() {
    return directory;
  }

  /**
   * The newest complete checkpoint ({@code chk-N} holding {@code _metadata}) of any job here, or
   * savepoint (written here by {@code windowpane stop}), by the time its {@code _metadata} was written.
   */
  public Optional<Path> newestCheckpoint() {
    if (!Files.isDirectory(directory)) {
      return Optional.empty();
    }
    List<Path> checkpoints = new ArrayList<>();
    try (Stream<Path> jobs = Files.list(directory)) {
      for (Path job : jobs.filter(Files::isDirectory).collect(Collectors.toList())) {
        if (isSavepoint(job)) {
          if (Files.isRegularFile(job.resolve("_metadata"))) {
            checkpoints.add(job);
          }
          continue;
        }
        try (Stream<Path> children = Files.list(job)) {
          children
              .filter(child -> CHECKPOINT.matcher(child.getFileName().toString()).matches())
              .filter(child -> Files.isRegularFile(child.resolve("_metadata")))
              .forEach(checkpoints::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the checkpoint directory " + directory + ".", e);
    }
    return checkpoints.stream().max(Comparator.comparing(CheckpointDirectory::writtenAt));
  }

  /** The newest thing here, when it is a savepoint written at or after {@code since}. */
  public Optional<Path> savepointWrittenSince(java.time.Instant since) {
    return newestCheckpoint()
        .filter(CheckpointDirectory::isSavepoint)
        .filter(savepoint -> !writtenAt(savepoint).toInstant().isBefore(since.minusSeconds(1)));
  }

  private static FileTime writtenAt(Path checkpoint) {
    try {
      return Files.getLastModifiedTime(checkpoint.resolve("_metadata"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The failure of a run that was to resume from {@code checkpoint}, as one sentence naming it and
   * {@code reason}: Flink refuses a checkpoint of another pipeline, of other options that change the
   * steps, or a corrupt one, and the run never silently starts fresh instead.
   */
  public CannotResume cannotResume(Path checkpoint, String reason, Throwable failure) {
    return new CannotResume(
        "Cannot resume from " + (isSavepoint(checkpoint) ? "savepoint " : "checkpoint ") + checkpoint + " (" + reason.replaceAll("\\.$", "")
            + "); remove " + directory + " to start fresh, or give another --checkpointDir.",
        failure);
  }

  /** {@code chk-N}'s N. */
  static long number(Path checkpoint) {
    Matcher matcher = CHECKPOINT.matcher(checkpoint.getFileName().toString());
    return matcher.matches() ? Long.parseLong(matcher.group(1)) : -1;
  }

  /** How much later than the Impulse a bounded generator may start reading, see {@link #configure}. */
  static final long SOURCE_START_MARGIN_MILLIS = 30_000;

  /**
   * Configures {@code options} to retain checkpoints here (every {@link #DEFAULT_INTERVAL_MILLIS}
   * unless an interval is given) and to resume from the newest one; deletes the other jobs'
   * folders. {@code inputLasts}: how long (wall clock) a bounded input lasts, null for an unbounded
   * one. Returns the sentence that says which.
   */
  public String configure(PipelineOptions pipelineOptions, @Nullable Duration inputLasts) {
    FlinkPipelineOptions options = pipelineOptions.as(FlinkPipelineOptions.class);
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the checkpoint directory " + directory + ".", e);
    }
    if (options.getCheckpointingInterval() == null || options.getCheckpointingInterval() <= 0) {
      options.setCheckpointingInterval(DEFAULT_INTERVAL_MILLIS);
    }
    // Checkpoints exist in streaming mode only. A finished source task (Impulse, which starts the
    // generator) makes every later checkpoint fail on Beam 2.62 / Flink 1.19 ("checkpoint request
    // for unknown task"), so it is kept running while the input lasts, and ends after that, or a
    // run of a bounded input would never finish. Its time counts from the Impulse, the generator's
    // from its first read, which a slowly deployed job (12 s on a loaded cluster, seen in CI) starts
    // later: when the Impulse ends first, its final watermark fires the windows still to come.
    options.setStreaming(true);
    if (options.getShutdownSourcesAfterIdleMs() == null || options.getShutdownSourcesAfterIdleMs() < 0) {
      options.setShutdownSourcesAfterIdleMs(
          inputLasts == null
              ? Long.MAX_VALUE
              : inputLasts.getMillis() + SOURCE_START_MARGIN_MILLIS + 2 * options.getCheckpointingInterval());
    }
    Optional<Path> newest = newestCheckpoint();
    String backend = stateBackend(options.getStateBackend(), newest);
    options.setStateBackend(backend);
    options.setStateBackendStoragePath(directory.toUri().toString());
    options.setExternalizedCheckpointsEnabled(true);
    if (options.getNumberOfExecutionRetries() == null || options.getNumberOfExecutionRetries() < 0) {
      options.setNumberOfExecutionRetries(DEFAULT_RESTART_ATTEMPTS);
    }
    if (options.getExecutionRetryDelay() == null || options.getExecutionRetryDelay() < 0) {
      options.setExecutionRetryDelay(DEFAULT_RESTART_DELAY_MILLIS);
    }
    options.setRetainExternalizedCheckpointsOnCancellation(true);
    deleteJobsOtherThan(newest.map(c -> isSavepoint(c) ? c : c.getParent()).orElse(null));
    write(directory.resolve(STATE_BACKEND), backend + "\n");
    String every = "every " + options.getCheckpointingInterval() + " ms in the " + backend + " state backend";
    if (!newest.isPresent()) {
      return "No checkpoint in " + directory + ": starting fresh, with checkpoints " + every + " kept there.";
    }
    String kind = isSavepoint(newest.get()) ? "savepoint" : "checkpoint";
    String checkpoint = newest.get().toUri().toString();
    if (isEmbedded(options.getFlinkMaster())) {
      options.setFlinkConfDir(restoreConfiguration(options.getFlinkConfDir(), checkpoint).toString());
    } else {
      options.setSavepointPath(checkpoint);
    }
    return "Resuming from " + kind + " " + newest.get() + ", with checkpoints " + every + " kept in " + directory + ".";
  }

  /**
   * The state backend to take checkpoints in: the one {@code given}, else the one the checkpoints
   * here were taken in, else {@code filesystem}. A checkpoint restores only into the backend that
   * took it, so another one given for a resumed run is refused before the run starts.
   */
  private String stateBackend(@Nullable String given, Optional<Path> newest) {
    Path recorded = directory.resolve(STATE_BACKEND);
    String taken = null;
    if (newest.isPresent() && Files.isRegularFile(recorded)) {
      try {
        taken = Files.readString(recorded, StandardCharsets.UTF_8).trim().toLowerCase(Locale.ROOT);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + recorded + ".", e);
      }
    }
    if (given == null) {
      return taken == null || taken.isEmpty() ? "filesystem" : taken;
    }
    String backend = given.toLowerCase(Locale.ROOT);
    if (taken != null && !taken.isEmpty() && !taken.equals(backend)) {
      throw new CannotResume(
          "Cannot resume from checkpoint " + newest.get() + " with --stateBackend=" + given
              + ": it was taken in the " + taken + " state backend; give --stateBackend=" + taken
              + " (or none), or remove " + directory + " to start fresh.",
          null);
    }
    return backend;
  }

  private static void write(Path file, String content) {
    try {
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file + ".", e);
    }
  }

  private static boolean isEmbedded(@Nullable String flinkMaster) {
    return flinkMaster == null || flinkMaster.equals("[local]") || flinkMaster.equals("[auto]");
  }

  /**
   * A Flink configuration directory holding the user's configuration (from {@code userConfDir},
   * when given) plus {@code execution.savepoint.path}: what an embedded Flink restores from.
   */
  private Path restoreConfiguration(@Nullable String userConfDir, String checkpoint) {
    Path conf = directory.resolve(RESTORE_CONFIGURATION);
    try {
      Files.createDirectories(conf);
      List<String> lines = new ArrayList<>();
      if (userConfDir != null) {
        Path user = Paths.get(userConfDir).resolve("flink-conf.yaml");
        if (Files.isRegularFile(user)) {
          Files.readAllLines(user, StandardCharsets.UTF_8).stream()
              .filter(line -> !line.trim().startsWith("execution.savepoint.path"))
              .forEach(lines::add);
        }
      }
      lines.add("execution.savepoint.path: " + checkpoint);
      Files.write(conf.resolve("flink-conf.yaml"), lines, StandardCharsets.UTF_8);
      return conf;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + conf + ".", e);
    }
  }

  private void deleteJobsOtherThan(@Nullable Path keep) {
    try (Stream<Path> children = Files.list(directory)) {
      for (Path child : children.collect(Collectors.toList())) {
        if (Files.isDirectory(child) && !child.equals(keep) && isJobFolder(child)) {
          deleteRecursively(child);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot clean up the checkpoint directory " + directory + ".", e);
    }
  }

  /** A Flink job id's folder (32 hexadecimal digits) or a savepoint's. Nothing else here is ever deleted. */
  private static boolean isJobFolder(Path folder) {
    return folder.getFileName().toString().matches("[0-9a-f]{32}") || isSavepoint(folder);
  }

  static boolean isSavepoint(Path folder) {
    return SAVEPOINT.matcher(folder.getFileName().toString()).matches();
  }

  private static void deleteRecursively(Path folder) throws IOException {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(path);
      }
    }
  }
}
