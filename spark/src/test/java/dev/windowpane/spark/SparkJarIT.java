package dev.windowpane.spark;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark jar as a user runs it, {@code java -jar windowpane-spark.jar} with no JVM flags (its
 * manifest opens what Spark needs on Java 17): it writes a generated file, and top-sellers on it on
 * the SparkRunner writes the rankings the DirectRunner of the same jar writes, without a warning.
 */
class SparkJarIT {
  @TempDir Path dir;

  @Test
  void topSellersOnTheSparkRunnerFromTheJar() throws Exception {
    Path input = dir.resolve("orders.jsonl");
    assertThat(jar("generate", "--kind=orders", "--seed=5", "--maxEvents=2000", "--output=" + input), equalTo(""));
    List<String> common = List.of("top-sellers", "--input=" + input, "--window=10m", "--slide=1m", "--top=3");

    List<String> direct = new ArrayList<>(common);
    direct.add("--output=" + dir.resolve("direct"));
    jar(direct.toArray(new String[0]));
    List<String> spark = new ArrayList<>(common);
    spark.addAll(List.of("--output=" + dir.resolve("spark"), "--runner=SparkRunner"));
    String log = jar(spark.toArray(new String[0]));

    assertThat(log, not(containsString("WARN")));
    List<String> expected = lines(dir.resolve("direct"));
    assertThat(expected.size(), greaterThan(20));
    assertThat(lines(dir.resolve("spark")), equalTo(expected));
  }

  /** Runs the jar; returns what it printed on standard error. */
  private String jar(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-jar",
        System.getProperty("windowpane.spark.jar")));
    command.addAll(List.of(args));
    Path err = dir.resolve("stderr-" + System.nanoTime());
    Process process = new ProcessBuilder(command).redirectError(err.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    boolean ended = process.waitFor(180, TimeUnit.SECONDS);
    if (!ended) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String text = Files.readString(err, StandardCharsets.UTF_8);
    assertThat("ended in time: " + command + "\n" + text, ended, is(true));
    assertThat(command + "\n" + text, process.exitValue(), is(0));
    return text;
  }

  private static List<String> lines(Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).collect(Collectors.toList())) {
        lines.add(file.getFileName().toString());
        lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
      }
    }
    lines.sort(null);
    return lines;
  }
}
