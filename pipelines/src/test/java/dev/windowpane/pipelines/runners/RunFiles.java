package dev.windowpane.pipelines.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What the runner tests read of a run: its result files, its log, the bundled jar; and waiting on a run. */
final class RunFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The top-sellers run the cluster failure tests use: 6000 generated orders, 300 a second (20 s of
   * wall clock, 30 minutes of event time), 10m windows every 1m, top 5.
   */
  static final List<String> CLUSTER_PIPELINE =
      List.of("top-sellers", "--seed=3", "--maxEvents=6000", "--eventsPerSecond=300", "--window=10m", "--slide=1m",
          "--top=5");

  /** Its windows: ends from 00:01 to 00:39, the last one ending after the last event, at 00:29:59.7. */
  static final long CLUSTER_PIPELINE_WINDOWS = 39;

  private RunFiles() {}

  /** The bundled jar (the shade plugin writes it at {@code package}). */
  static Path bundledJar() {
    Path jar = Path.of(System.getProperty("windowpane.jar", "target/windowpane-pipelines.jar")).toAbsolutePath();
    assertThat("the bundled jar (mvn package writes it): " + jar, Files.isRegularFile(jar), is(true));
    return jar;
  }

  /** A new directory for an integration test's files, {@code name-<millis>} under failsafe's folder. */
  static Path integrationTestDirectory(String name) throws IOException {
    Path dir = Path.of(System.getProperty("windowpane.it.dir", "target/flink-cluster-it"))
        .resolve(name + "-" + System.currentTimeMillis()).toAbsolutePath();
    return Files.createDirectories(dir);
  }

  /** The ranking lines of {@code args} (a pipeline's command line) run on the DirectRunner in this JVM, writing to {@code output}. */
  static List<String> directRunnerRankings(List<String> args, Path output) throws IOException {
    List<String> all = new ArrayList<>(args);
    all.add("--output=" + output);
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int code = dev.windowpane.pipelines.Main.run(all.toArray(new String[0]),
        new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(err.toString(StandardCharsets.UTF_8), code, is(0));
    return rankingLines(output);
  }

  /** How many window files ({@code rankings-*}) are under {@code output}. */
  static long windowFiles(Path output) throws IOException {
    if (!Files.isDirectory(output)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(output)) {
      return files.filter(file -> file.getFileName().toString().startsWith("rankings-")).count();
    }
  }

  /** Every ranking line under {@code output}, sorted. */
  static List<String> rankingLines(Path output) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(output)) {
      for (Path file :
          files.filter(f -> f.getFileName().toString().startsWith("rankings-")).collect(Collectors.toList())) {
        lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
      }
    }
    Collections.sort(lines);
    return lines;
  }

  /** How many windows the ranking lines cover. */
  static long windowsOf(List<String> lines) {
    return lines.stream().map(line -> line.substring(0, line.indexOf("\"rank\""))).distinct().count();
  }

  /** Every line of the JSON-lines files under {@code dir}, each parsed and printed back (one JSON form), sorted. */
  static List<String> jsonLines(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      List<String> lines = new ArrayList<>();
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).collect(Collectors.toList())) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          lines.add(JSON.writeValueAsString(JSON.readTree(line)));
        }
      }
      lines.sort(null);
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path log) {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Something a test waits for. */
  interface Condition {
    boolean holds() throws IOException;
  }

  /** Waits until {@code condition} holds; fails if {@code process} ends or {@code seconds} pass first. */
  static void await(Condition condition, Process process, int seconds, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.holds()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("The run ended or took too long before " + what + ".");
      }
      Thread.sleep(100);
    }
  }
}
