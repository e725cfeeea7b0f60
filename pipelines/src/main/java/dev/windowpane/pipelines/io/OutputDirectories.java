package dev.windowpane.pipelines.io;

import dev.windowpane.pipelines.cli.UsageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The local directories a run writes ({@code --output}, {@code --deadLetters}), kept the way Spark
 * and Hadoop keep theirs: checked before the pipeline starts (a path that is a file or cannot be
 * created is a bad command line; a directory that holds another run's results is refused unless
 * {@code --overwrite} is given, which deletes those results first), and, when the run has written
 * everything, cleaned of Beam's temporary directories and empty files and marked with an empty
 * {@code _SUCCESS} file.
 *
 * <p>Only windowpane's own files are ever looked at or deleted: the result files {@code
 * rankings-*}, {@code sessions-*}, {@code updates-*} and {@code dead-letters-*} named as Beam names
 * shards ({@code ...-00000-of-00001.jsonl}), {@code _SUCCESS} and Beam's {@code .temp-beam*}
 * directories. A path with a scheme other than {@code file://} (a remote file system) is left to
 * Beam.
 */
public final class OutputDirectories {
  public static final String SUCCESS = "_SUCCESS";
  private static final String TEMP_PREFIX = ".temp-beam";
  private static final Pattern RESULT =
      Pattern.compile("(rankings|sessions|updates|dead-letters)-.*\\d{5}-of-\\d{5}\\.jsonl");

  /** Directory to the option that named it first, e.g. "--output=out". */
  private final Map<Path, String> directories;

  private OutputDirectories(Map<Path, String> directories) {
    this.directories = directories;
  }

  /**
   * Checks the directories {@code options} names (option name to value, a null value for an
   * option not given): a bad one is a {@link UsageException}; with {@code overwrite} false, so is
   * one that holds the results of another run.
   */
  public static OutputDirectories check(Map<String, String> options, boolean overwrite) {
    Map<Path, String> directories = new LinkedHashMap<>();
    for (Map.Entry<String, String> option : options.entrySet()) {
      String value = option.getValue();
      if (value == null) {
        continue;
      }
      String named = "--" + option.getKey() + "=" + value;
      Path directory = localPath(named, value);
      if (directory != null && !directories.containsKey(directory)) {
        checkOne(named, directory, overwrite);
        directories.put(directory, named);
      }
    }
    return new OutputDirectories(directories);
  }

  private static Path localPath(String named, String value) {
    String path = value;
    if (value.startsWith("file://")) {
      path = value.substring("file://".length());
    } else if (value.contains("://")) {
      return null;
    }
    if (path.isEmpty()) {
      throw new UsageException("Option " + named + " needs a directory.");
    }
    try {
      return Paths.get(path).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new UsageException("Option " + named + " is not a valid path: " + e.getReason() + ".", e);
    }
  }

  private static void checkOne(String named, Path directory, boolean overwrite) {
    if (Files.exists(directory)) {
      if (!Files.isDirectory(directory)) {
        throw new UsageException(
            "Option " + named + " is an existing file, not a directory; give a directory (it is"
                + " created if missing).");
      }
      if (!Files.isWritable(directory)) {
        throw new UsageException("Option " + named + " is a directory that cannot be written.");
      }
      if (!overwrite && !ours(directory).isEmpty()) {
        throw new UsageException(
            "Option " + named + " already holds the results of another run; use --overwrite to"
                + " replace them.");
      }
      tryWriting(named, directory);
      return;
    }
    Path ancestor = directory.getParent();
    while (ancestor != null && !Files.exists(ancestor)) {
      ancestor = ancestor.getParent();
    }
    if (ancestor == null) {
      throw new UsageException("Option " + named + " cannot be created: no part of it exists.");
    }
    if (!Files.isDirectory(ancestor)) {
      throw new UsageException(
          "Option " + named + " cannot be created: " + ancestor + " is a file.");
    }
    if (!Files.isWritable(ancestor)) {
      throw new UsageException(
          "Option " + named + " cannot be created: " + ancestor + " cannot be written.");
    }
    tryWriting(named, directory);
  }

  /**
   * Creates {@code directory} and a file in it, then removes what it created: permissions alone do
   * not tell (a name too long for the file system, a read-only mount, a root user).
   */
  private static void tryWriting(String named, Path directory) {
    Path created = null;
    try {
      if (!Files.exists(directory)) {
        created = directory;
        while (created.getParent() != null && !Files.exists(created.getParent())) {
          created = created.getParent();
        }
        Files.createDirectories(directory);
      }
      Files.delete(Files.createTempFile(directory, ".windowpane-", ".probe"));
    } catch (IOException | SecurityException e) {
      String reason =
          e instanceof FileSystemException && ((FileSystemException) e).getReason() != null
              ? ((FileSystemException) e).getReason()
              : e instanceof NoSuchFileException ? "a part of it cannot hold directories" : e.getMessage();
      throw new UsageException(
          "Option " + named + " cannot be " + (created != null ? "created" : "written") + ": "
              + Character.toLowerCase(reason.charAt(0)) + reason.substring(1) + ".",
          e);
    } finally {
      if (created != null) {
        deleteCreated(created);
      }
    }
  }

  private static void deleteCreated(Path top) {
    try (Stream<Path> paths = Files.walk(top)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(path);
      }
    } catch (IOException | UncheckedIOException e) {
      // Nothing was created, or it is gone already.
    }
  }

  /** Whether {@code file}, an entry of an output directory, is one of windowpane's. */
  static boolean isOurs(Path file) {
    String name = file.getFileName().toString();
    return name.equals(SUCCESS) || name.startsWith(TEMP_PREFIX) || RESULT.matcher(name).matches();
  }

  private static List<Path> ours(Path directory) {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.filter(OutputDirectories::isOurs).collect(Collectors.toList());
    } catch (IOException e) {
      throw new UsageException("Cannot list " + directory + ": " + e.getMessage(), e);
    }
  }

  /**
   * Before the run: creates the directories and, with {@code overwrite}, deletes the results of
   * earlier runs in them (only windowpane's own files).
   */
  public void prepare(boolean overwrite) {
    for (Path directory : directories.keySet()) {
      try {
        Files.createDirectories(directory);
        if (overwrite) {
          for (Path file : ours(directory)) {
            deleteTree(file);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot prepare " + directory + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * After a run that wrote everything: deletes Beam's temporary directories that hold no file and
   * the empty result files, then writes an empty {@code _SUCCESS} in every directory.
   */
  public void markSuccess() {
    for (Path directory : directories.keySet()) {
      try {
        Files.createDirectories(directory);
        for (Path file : ours(directory)) {
          String name = file.getFileName().toString();
          if (name.startsWith(TEMP_PREFIX) && Files.isDirectory(file) && holdsNoFile(file)) {
            deleteTree(file);
          } else if (Files.isRegularFile(file) && !name.equals(SUCCESS) && Files.size(file) == 0) {
            Files.delete(file);
          }
        }
        Files.write(directory.resolve(SUCCESS), new byte[0]);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot finish " + directory + ": " + e.getMessage(), e);
      }
    }
  }

  private static boolean holdsNoFile(Path directory) throws IOException {
    try (Stream<Path> tree = Files.walk(directory)) {
      return tree.noneMatch(path -> !Files.isDirectory(path));
    }
  }

  private static void deleteTree(Path root) throws IOException {
    List<Path> paths;
    try (Stream<Path> tree = Files.walk(root)) {
      paths = tree.sorted(Comparator.reverseOrder()).collect(Collectors.toCollection(ArrayList::new));
    }
    for (Path path : paths) {
      Files.delete(path);
    }
  }
}
