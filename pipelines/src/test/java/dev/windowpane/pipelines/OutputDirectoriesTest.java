package dev.windowpane.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end: output directories follow Spark's and Hadoop's convention. A directory that holds
 * another run's results is refused unless --overwrite is given, which deletes only windowpane's
 * files; a finished run writes an empty _SUCCESS in every directory it wrote and leaves no Beam
 * temporary directory behind.
 */
class OutputDirectoriesTest {
  @TempDir Path dir;

  private static final String ORDER_A =
      "{\"timestamp\":\"2025-11-25T10:01:00Z\",\"item\":\"sku-a\",\"quantity\":2}";
  private static final String ORDER_B =
      "{\"timestamp\":\"2025-11-25T10:01:00Z\",\"item\":\"sku-b\",\"quantity\":3}";

  private Cli topSellers(Path input, String... extra) {
    String[] args =
        Stream.concat(
                Stream.of(
                    "top-sellers",
                    "--input=" + input,
                    "--output=" + dir.resolve("out"),
                    "--deadLetters=" + dir.resolve("dead"),
                    "--window=5m",
                    "--slide=5m"),
                Stream.of(extra))
            .toArray(String[]::new);
    return Cli.run(args);
  }

  @Test
  void aFinishedRunMarksEveryDirectoryItWroteWithSuccessAndLeavesNoTemporaryDirectory() {
    Path input = Cli.write(dir.resolve("orders.jsonl"), ORDER_A, "not json");

    Cli run = topSellers(input);

    assertThat(run.err, run.exitCode, is(0));
    for (Path output : List.of(dir.resolve("out"), dir.resolve("dead"))) {
      assertThat(entries(output), hasItem("_SUCCESS"));
      assertThat(output.toString(), size(output.resolve("_SUCCESS")), is(0L));
      assertThat(entries(output), everyItem(not(startsWith(".temp-beam"))));
    }
    assertThat(Cli.jsonLines(dir.resolve("out")).size(), is(1));
    assertThat(Cli.deadLetterInputs(dir.resolve("dead")), equalTo(List.of("not json")));
  }

  @Test
  void sessionStatsMarksItsDirectoriesToo() {
    Path input =
        Cli.write(
            dir.resolve("events.jsonl"),
            "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"session\":\"s-1\",\"value\":1}");

    Cli run =
        Cli.run(
            "session-stats",
            "--input=" + input,
            "--output=" + dir.resolve("out"),
            "--deadLetters=" + dir.resolve("dead"),
            "--emit=updates");

    assertThat(run.err, run.exitCode, is(0));
    assertThat(entries(dir.resolve("out")), hasItem("_SUCCESS"));
    assertThat(entries(dir.resolve("out")), everyItem(not(startsWith(".temp-beam"))));
    assertThat(entries(dir.resolve("dead")), equalTo(List.of("_SUCCESS")));
    assertThat(Cli.jsonLines(dir.resolve("out")).size(), is(2));
  }

  @Test
  void aGeneratorRunThatEndsAfterMaxEventsIsMarkedToo() {
    Cli run =
        Cli.run(
            "top-sellers",
            "--maxEvents=50",
            "--eventsPerSecond=1000",
            "--output=" + dir.resolve("out"),
            "--window=5m",
            "--slide=5m");

    assertThat(run.err, run.exitCode, is(0));
    assertThat(entries(dir.resolve("out")), hasItem("_SUCCESS"));
    assertThat(entries(dir.resolve("out")), everyItem(not(startsWith(".temp-beam"))));
    assertThat(Cli.jsonLines(dir.resolve("out")), not(empty()));
  }

  @Test
  void anEmptyInputGivesItsDirectoriesWithOnlyTheMarker() {
    Path input = Cli.write(dir.resolve("empty.jsonl"));

    Cli run = topSellers(input);

    assertThat(run.err, run.exitCode, is(0));
    assertThat(entries(dir.resolve("out")), equalTo(List.of("_SUCCESS")));
    assertThat(entries(dir.resolve("dead")), equalTo(List.of("_SUCCESS")));
  }

  @Test
  void anEmptyInputToSessionStatsGivesOnlyTheMarkerToo() {
    Path input = Cli.write(dir.resolve("empty.jsonl"));

    Cli run =
        Cli.run("session-stats", "--input=" + input, "--output=" + dir.resolve("out"));

    assertThat(run.err, run.exitCode, is(0));
    assertThat(entries(dir.resolve("out")), equalTo(List.of("_SUCCESS")));
  }

  @Test
  void aDirectoryWithTheResultsOfAnotherRunIsRefusedAndLeftAsItIs() {
    Path input = Cli.write(dir.resolve("orders.jsonl"), ORDER_A);
    assertThat(topSellers(input).exitCode, is(0));
    List<String> before = entries(dir.resolve("out"));

    Cli again = topSellers(Cli.write(dir.resolve("other.jsonl"), ORDER_B));

    assertThat(again.exitCode, is(2));
    assertThat(again.out, equalTo(""));
    assertThat(
        again.err,
        equalTo(
            "Option --output=" + dir.resolve("out") + " already holds the results of another run;"
                + " use --overwrite to replace them." + System.lineSeparator()));
    assertThat(entries(dir.resolve("out")), equalTo(before));
  }

  @Test
  void aDeadLetterDirectoryWithAnotherRunsResultsIsRefusedToo() {
    Path input = Cli.write(dir.resolve("orders.jsonl"), ORDER_A);
    assertThat(topSellers(input).exitCode, is(0));

    Cli again =
        Cli.run(
            "top-sellers",
            "--input=" + input,
            "--output=" + dir.resolve("elsewhere"),
            "--deadLetters=" + dir.resolve("dead"));

    assertThat(again.exitCode, is(2));
    assertThat(
        again.err,
        equalTo(
            "Option --deadLetters=" + dir.resolve("dead") + " already holds the results of another"
                + " run; use --overwrite to replace them." + System.lineSeparator()));
    assertThat(Files.exists(dir.resolve("elsewhere")), is(false));
  }

  @Test
  void onlyAMarkerIsAlsoTheResultOfAnotherRun() {
    Cli.write(Dirs.create(dir.resolve("out")).resolve("_SUCCESS"));

    Cli run = topSellers(Cli.write(dir.resolve("orders.jsonl"), ORDER_A));

    assertThat(run.err, run.exitCode, is(2));
  }

  @Test
  void overwriteReplacesThePreviousResultsAndKeepsUnrelatedFiles() {
    assertThat(topSellers(Cli.write(dir.resolve("orders.jsonl"), ORDER_A, "bad")).exitCode, is(0));
    Path out = dir.resolve("out");
    Cli.write(out.resolve("notes.txt"), "mine");
    Cli.write(out.resolve("rankings-by-hand.jsonl"), "{\"mine\":true}");
    Dirs.create(out.resolve(".temp-beam-left-by-a-crash"));

    Cli run = topSellers(Cli.write(dir.resolve("other.jsonl"), ORDER_B), "--overwrite");

    assertThat(run.err, run.exitCode, is(0));
    assertThat(
        Cli.jsonLines(out),
        containsInAnyOrder(
            "{\"mine\":true}",
            "{\"windowStart\":\"2025-11-25T10:00:00Z\",\"windowEnd\":\"2025-11-25T10:05:00Z\","
                + "\"rank\":1,\"item\":\"sku-b\",\"quantity\":3}"));
    assertThat(entries(out), hasItem("notes.txt"));
    assertThat(entries(out), hasItem("_SUCCESS"));
    assertThat(entries(out), everyItem(not(startsWith(".temp-beam"))));
    // The second run had no dead letter: the first run's are gone.
    assertThat(entries(dir.resolve("dead")), equalTo(List.of("_SUCCESS")));
  }

  @Test
  void aDirectoryWithOnlyUnrelatedFilesIsUsedWithoutOverwrite() {
    Path out = Dirs.create(dir.resolve("out"));
    Cli.write(out.resolve("README.txt"), "results go here");

    Cli run = topSellers(Cli.write(dir.resolve("orders.jsonl"), ORDER_A));

    assertThat(run.err, run.exitCode, is(0));
    assertThat(entries(out), hasItem("README.txt"));
    assertThat(Cli.jsonLines(out).size(), is(1));
  }

  @Test
  void oneDirectoryForBothOutputsIsFine() {
    Path input = Cli.write(dir.resolve("orders.jsonl"), ORDER_A, "bad");

    Cli run =
        Cli.run(
            "top-sellers",
            "--input=" + input,
            "--output=" + dir.resolve("out"),
            "--deadLetters=" + dir.resolve("out"),
            "--window=5m",
            "--slide=5m");

    assertThat(run.err, run.exitCode, is(0));
    assertThat(entries(dir.resolve("out")), hasItem("_SUCCESS"));
    assertThat(Cli.jsonLines(dir.resolve("out")).size(), is(2));
  }

  @Test
  void withoutAnyOutputDirectoryNothingIsWritten() {
    Path input = Cli.write(dir.resolve("orders.jsonl"), ORDER_A);

    Cli run = Cli.runCapturingConsole("top-sellers", "--input=" + input);

    assertThat(run.err, run.exitCode, is(0));
    assertThat(entries(dir), equalTo(List.of("orders.jsonl")));
  }

  @Test
  void noLeftoverIsCountedAsAResultWhenTheDirectoryIsEmpty() {
    Dirs.create(dir.resolve("out"));

    Cli run = topSellers(Cli.write(dir.resolve("orders.jsonl"), ORDER_A));

    assertThat(run.err, run.exitCode, is(0));
    assertThat(Cli.jsonLines(dir.resolve("out")), not(empty()));
  }

  /** The names of the entries of {@code directory}, sorted. */
  private static List<String> entries(Path directory) {
    try (Stream<Path> list = Files.list(directory)) {
      return list.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class Dirs {
    static Path create(Path directory) {
      try {
        return Files.createDirectories(directory);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
