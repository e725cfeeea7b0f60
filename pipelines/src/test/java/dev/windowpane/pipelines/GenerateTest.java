package dev.windowpane.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windowpane.pipelines.generator.EventKind;
import dev.windowpane.pipelines.io.ReadEvents;
import dev.windowpane.pipelines.io.SourceOptions;
import dev.windowpane.pipelines.io.SourceSettings;
import dev.windowpane.transforms.json.Json;
import dev.windowpane.transforms.testing.TestPipelines;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code generate} writes the generator's events deterministically, and they are exactly the
 * events (and event times) a pipeline reads with the same options.
 */
class GenerateTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"orders", "tweets", "sessions"})
  void theSameSeedGivesTheSameEventsAtTheSameEventTimes(String kind) {
    Cli first = Cli.run("generate", "--kind=" + kind, "--seed=7", "--maxEvents=500");
    Cli second = Cli.run("generate", "--kind=" + kind, "--seed=7", "--maxEvents=500");
    Cli otherSeed = Cli.run("generate", "--kind=" + kind, "--seed=8", "--maxEvents=500");

    assertThat(first.err, first.exitCode, is(0));
    assertThat(first.out.lines().count(), is(500L));
    assertThat(second.out, equalTo(first.out));
    assertThat(otherSeed.out, not(equalTo(first.out)));
  }

  @Test
  void eventIIsAtOriginPlusITimesTheSpacing() throws Exception {
    Cli run =
        Cli.run(
            "generate",
            "--kind=orders",
            "--maxEvents=5",
            "--eventSpacing=1m30s",
            "--eventTimeOrigin=2025-06-01T00:00:00Z");

    List<String> lines = run.out.lines().collect(Collectors.toList());
    assertThat(lines, hasSize(5));
    for (int i = 0; i < 5; i++) {
      ObjectNode line = (ObjectNode) Json.mapper().readTree(lines.get(i));
      assertThat(
          EventKind.ORDERS.parser().parse(line).timestamp(),
          equalTo(Instant.parse("2025-06-01T00:00:00Z").plus(90_000L * i)));
    }
  }

  @Test
  void aLongerStreamStartsWithTheShorterOne() {
    String shorter = Cli.run("generate", "--kind=tweets", "--seed=3", "--maxEvents=50").out;
    String longer = Cli.run("generate", "--kind=tweets", "--seed=3", "--maxEvents=80").out;

    assertThat(longer.startsWith(shorter), is(true));
  }

  @Test
  void writesToAFileWhenAskedExactlyWhatItPrints() throws Exception {
    Path file = dir.resolve("sub/orders.jsonl");

    Cli toFile = Cli.run("generate", "--seed=2", "--maxEvents=20", "--output=" + file);
    Cli toStdout = Cli.run("generate", "--seed=2", "--maxEvents=20");

    assertThat(toFile.err, toFile.exitCode, is(0));
    assertThat(toFile.out, equalTo(""));
    assertThat(Files.readString(file, StandardCharsets.UTF_8), equalTo(toStdout.out));
  }

  @Test
  void topSellersOnTheGeneratorAndOnGeneratesFileWriteTheSameRankings() {
    Path file = dir.resolve("orders.jsonl");
    String[] windows = {"--window=10m", "--slide=5m", "--top=3"};
    Cli generated = Cli.run("generate", "--kind=orders", "--seed=5", "--maxEvents=3000", "--output=" + file);
    Cli fromGenerator =
        Cli.run(
            concat(
                new String[] {"top-sellers", "--seed=5", "--maxEvents=3000", "--eventsPerSecond=100000",
                    "--output=" + dir.resolve("from-generator")},
                windows));
    Cli fromFile =
        Cli.run(
            concat(
                new String[] {"top-sellers", "--input=" + file, "--output=" + dir.resolve("from-file")},
                windows));

    assertThat(generated.err, generated.exitCode, is(0));
    assertThat(fromGenerator.err, fromGenerator.exitCode, is(0));
    assertThat(fromFile.err, fromFile.exitCode, is(0));
    // 3000 events 300ms apart span 15 minutes: windows ending at 00:05, 00:10, 00:15, 00:20.
    assertThat(Cli.jsonLines(dir.resolve("from-generator")), hasSize(12));
    assertThat(
        Cli.jsonLines(dir.resolve("from-generator")), equalTo(Cli.jsonLines(dir.resolve("from-file"))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"orders", "tweets", "sessions"})
  void aPipelineReadsExactlyTheGeneratedEventsAtTheirEventTimes(String kind) {
    String[] generatorOptions = {"--seed=11", "--maxEvents=300", "--eventSpacing=1s"};
    List<String> generated =
        Cli.run(concat(new String[] {"generate", "--kind=" + kind}, generatorOptions)).out.lines()
            .collect(Collectors.toList());
    SourceOptions options =
        PipelineOptionsFactory.fromArgs(concat(generatorOptions, new String[] {"--eventsPerSecond=100000"}))
            .as(SourceOptions.class);

    Pipeline pipeline = TestPipelines.create();
    PCollection<String> read = readAsJsonAtTimestamp(pipeline, EventKind.named(kind).get(), options);
    PAssert.that(read).containsInAnyOrder(withTimes(generated));
    TestPipelines.run(pipeline);
  }

  private static <T> PCollection<String> readAsJsonAtTimestamp(
      Pipeline pipeline, EventKind<T> kind, SourceOptions options) {
    return pipeline
        .apply(ReadEvents.of(kind, SourceSettings.from(options)))
        .apply(ParDo.of(new JsonAtTimestampFn<>(kind)));
  }

  /** Each line with the element timestamp the pipeline gave it, as "json @ millis". */
  private static final class JsonAtTimestampFn<T> extends DoFn<T, String> {
    private final EventKind<T> kind;

    JsonAtTimestampFn(EventKind<T> kind) {
      this.kind = kind;
    }

    @ProcessElement
    public void processElement(@Element T event, @Timestamp Instant timestamp, OutputReceiver<String> out) {
      out.output(kind.toJson(event) + " @ " + timestamp.getMillis());
    }
  }

  /** "json @ millis" for generated line i, whose event time is origin + i seconds. */
  private static List<String> withTimes(List<String> lines) {
    long origin = Instant.parse("2025-01-01T00:00:00Z").getMillis();
    List<String> result = new java.util.ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      result.add(lines.get(i) + " @ " + (origin + 1000L * i));
    }
    return result;
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
