package dev.windowpane.pipelines.dashboard;

import dev.windowpane.transforms.json.InvalidEventException;
import dev.windowpane.transforms.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Follows the JSON-lines files of a run's output directory as they appear and grow: each {@link
 * #poll} returns the complete lines written since the last one, file by file in name order. Reads
 * only the {@code *.jsonl} files directly in the directory (Beam writes into hidden {@code
 * .temp-beam*} directories, then moves each finished file in). A last line without its newline is
 * taken once its file has not grown for one poll and it is a whole JSON object (a line still being
 * written is not). O(new bytes) per poll, plus a directory listing.
 */
final class DirectoryFollower {
  static final String SUCCESS = "_SUCCESS";

  private final Path directory;
  /** Per file: how many bytes of it are taken. */
  private final Map<Path, Long> taken = new HashMap<>();
  /** Per file: its size at the last poll, when it ended in a line without its newline. */
  private final Map<Path, Long> unfinished = new HashMap<>();

  DirectoryFollower(Path directory) {
    this.directory = directory;
  }

  /** Whether the run that writes the directory finished ({@code _SUCCESS} is there). */
  boolean finished() {
    return Files.exists(directory.resolve(SUCCESS));
  }

  /** The lines written since the last poll; none while the directory does not exist. */
  List<String> poll() {
    List<String> lines = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return lines;
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(directory)) {
      files =
          listing
              .filter(file -> file.getFileName().toString().endsWith(".jsonl"))
              .filter(file -> !file.getFileName().toString().startsWith("."))
              .filter(Files::isRegularFile)
              .sorted()
              .collect(Collectors.toList());
    } catch (NoSuchFileException e) {
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + directory + ": " + e.getMessage(), e);
    }
    taken.keySet().retainAll(files);
    for (Path file : files) {
      try {
        readNew(file, lines);
      } catch (NoSuchFileException e) {
        taken.remove(file); // replaced by a new run (--overwrite) between listing and reading
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
      }
    }
    return lines;
  }

  private static boolean isJsonObject(String text) {
    try {
      Json.readObject(text);
      return true;
    } catch (InvalidEventException e) {
      return false;
    }
  }

  private void readNew(Path file, List<String> lines) throws IOException {
    long from = taken.getOrDefault(file, 0L);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < from) {
        from = 0; // the file was rewritten: read it again
      }
      if (size == from) {
        return;
      }
      ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(size - from, Integer.MAX_VALUE - 8));
      channel.read(bytes, from);
      byte[] read = bytes.array();
      int end = bytes.position();
      int lastNewline = -1;
      for (int i = end - 1; i >= 0; i--) {
        if (read[i] == '\n') {
          lastNewline = i;
          break;
        }
      }
      int complete = lastNewline + 1;
      Long sizeBefore = unfinished.get(file);
      if (complete < end && sizeBefore != null && sizeBefore == size
          && isJsonObject(new String(read, complete, end - complete, StandardCharsets.UTF_8))) {
        complete = end; // a last line without its newline: whole, and the file stopped growing
      }
      if (complete < end) {
        unfinished.put(file, size);
      } else {
        unfinished.remove(file);
      }
      String text = new String(read, 0, complete, StandardCharsets.UTF_8);
      for (String line : text.split("\n", -1)) {
        String trimmed = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        if (!trimmed.isBlank()) {
          lines.add(trimmed);
        }
      }
      taken.put(file, from + complete);
    }
  }
}
