package dev.windowpane.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windowpane.transforms.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Runs the command line in-process, as a user would, capturing exit code, stdout and stderr. */
final class Cli {
  final int exitCode;
  final String out;
  final String err;
  /** What the pipeline's workers printed to System.out (the console tables). */
  final String console;

  private Cli(int exitCode, String out, String err, String console) {
    this.exitCode = exitCode;
    this.out = out;
    this.err = err;
    this.console = console;
  }

  /** Like {@link #run}, also capturing System.out, where the console sink prints its tables. */
  static synchronized Cli runCapturingConsole(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
    try {
      Cli run = run(args);
      return new Cli(run.exitCode, run.out, run.err, console.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(original);
    }
  }

  static Cli run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exitCode;
    try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exitCode = Main.run(args, outStream, errStream);
    }
    return new Cli(
        exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), "");
  }

  /** Every line of every {@code *.jsonl} file under {@code dir}, sorted; none if dir is absent. */
  static List<String> jsonLines(Path dir) {
    if (!Files.isDirectory(dir)) {
      return Collections.emptyList();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      List<String> lines = new ArrayList<>();
      for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).collect(Collectors.toList())) {
        lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
      }
      Collections.sort(lines);
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The names of the files in {@code dir}, sorted. */
  static List<String> fileNames(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The original input lines of the dead letters under {@code dir}; each must give a reason. */
  static List<String> deadLetterInputs(Path dir) {
    List<String> inputs = new ArrayList<>();
    for (String line : jsonLines(dir)) {
      JsonNode deadLetter = readTree(line);
      assertThat(line, deadLetter.get("error").asText(), not(equalTo("")));
      inputs.add(deadLetter.get("input").asText());
    }
    return inputs;
  }

  static JsonNode readTree(String line) {
    try {
      return Json.mapper().readTree(line);
    } catch (Exception e) {
      throw new AssertionError("Not JSON: " + line, e);
    }
  }

  static Path write(Path file, String... lines) {
    try {
      Files.write(file, List.of(lines), StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> sorted(String... lines) {
    List<String> list = new ArrayList<>(List.of(lines));
    Collections.sort(list);
    return list;
  }
}
