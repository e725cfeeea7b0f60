package dev.windowpane.spark;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import dev.windowpane.pipelines.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The three pipelines on the SparkRunner ({@code local[4]}, in this JVM, as the Spark jar runs them)
 * give the DirectRunner's output files (the same files with the same lines) and dead letters, on the generator's events
 * written to files with late events and malformed lines among them; a stream is refused in one
 * sentence, and so is a runner this jar does not carry.
 */
class SparkRunnerTest {
  @TempDir static Path dir;

  @BeforeAll
  static void writeInputs() throws IOException {
    for (String kind : List.of("orders", "tweets", "sessions")) {
      Path input = dir.resolve(kind + ".jsonl");
      Run generate =
          Run.of("generate", "--kind=" + kind, "--seed=21", "--maxEvents=3000", "--latePercent=5", "--lateBy=7m",
              "--output=" + input);
      assertThat(generate.err, generate.code, is(0));
      Files.write(input, List.of("not json", "{\"timestamp\":\"yesterday\"}"), StandardCharsets.UTF_8,
          StandardOpenOption.APPEND);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"top-sellers", "trending-hashtags", "session-stats"})
  void givesTheDirectRunnersFiles(String pipeline) {
    Path direct = dir.resolve(pipeline + "-direct");
    Path spark = dir.resolve(pipeline + "-spark");
    Run onDirect = Run.of(args(pipeline, direct, "--runner=DirectRunner"));
    assertThat(onDirect.err, onDirect.code, is(0));
    Run onSpark = Run.of(args(pipeline, spark, "--runner=SparkRunner"));
    assertThat(onSpark.err, onSpark.code, is(0));

    Map<String, List<String>> expected = files(direct.resolve("out"));
    assertThat(lines(direct.resolve("out")).size(), greaterThan(10));
    assertThat(expected.keySet(), hasItem("_SUCCESS"));
    assertThat(files(spark.resolve("out")), equalTo(expected));
    List<String> deadLetters = lines(direct.resolve("dead-letters"));
    assertThat(deadLetters.size(), is(2));
    assertThat(lines(spark.resolve("dead-letters")), equalTo(deadLetters));
    // The same counts: events read, dead letters, late events, windows or sessions emitted.
    assertThat(metrics(onSpark.out), equalTo(metrics(onDirect.out)));
  }

  @Test
  void aStreamIsRefusedInOneSentence() {
    Run run = Run.of("top-sellers", "--maxEvents=100", "--runner=SparkRunner");
    assertThat(run.code, is(2));
    assertThat(run.err, equalTo(
        "On the SparkRunner the pipelines read files only (--input, batch mode): in streaming mode Beam 2.62's"
            + " Spark runner has no timers (the sliding rankings and session timeouts need them) and no"
            + " splittable DoFns (the generator's source); write the generator's events to a file with"
            + " 'generate --output=FILE', or run streams with --runner=FlinkRunner.\n"));
  }

  @Test
  void aRunnerOfTheOtherJarNamesThatJar() {
    Run run = Run.of("top-sellers", "--input=" + dir.resolve("orders.jsonl"), "--runner=FlinkRunner");
    assertThat(run.code, is(2));
    assertThat(run.err, equalTo(
        "The FlinkRunner is not in this jar but in pipelines/target/windowpane-pipelines.jar ('make package'"
            + " builds both): run java -jar pipelines/target/windowpane-pipelines.jar top-sellers ..."
            + " --runner=FlinkRunner.\n"));
  }

  private static String[] args(String pipeline, Path output, String runner) {
    List<String> args = new ArrayList<>(List.of(pipeline));
    String kind = pipeline.equals("top-sellers") ? "orders" : pipeline.equals("trending-hashtags") ? "tweets" : "sessions";
    args.add("--input=" + dir.resolve(kind + ".jsonl"));
    args.add("--output=" + output.resolve("out"));
    args.add("--deadLetters=" + output.resolve("dead-letters"));
    if (pipeline.equals("session-stats")) {
      args.addAll(List.of("--gap=5m"));
    } else {
      args.addAll(List.of("--window=10m", "--slide=2m", "--top=5"));
    }
    args.add(runner);
    return args.toArray(new String[0]);
  }

  /** Each file under {@code dir} by its name, with its lines sorted (a sink writes them in any order). */
  private static Map<String, List<String>> files(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      Map<String, List<String>> contents = new TreeMap<>();
      for (Path file : files.collect(Collectors.toList())) {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        lines.sort(null);
        contents.put(file.getFileName().toString(), lines);
      }
      return contents;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The lines of the {@code .jsonl} files under {@code dir}, sorted: shards may split them otherwise. */
  private static List<String> lines(Path dir) {
    List<String> lines = new ArrayList<>();
    files(dir).forEach((name, content) -> {
      if (name.endsWith(".jsonl")) {
        lines.addAll(content);
      }
    });
    lines.sort(null);
    return lines;
  }

  /** The metric lines a run printed. */
  private static List<String> metrics(String out) {
    List<String> lines = out.lines().collect(Collectors.toList());
    return lines.subList(lines.indexOf("Metrics:"), lines.size());
  }

  /** One command line run in this JVM. */
  private static final class Run {
    final int code;
    final String out;
    final String err;

    private Run(int code, String out, String err) {
      this.code = code;
      this.out = out;
      this.err = err;
    }

    static Run of(String... args) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
  }
}
