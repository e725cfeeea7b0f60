package dev.windowpane.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windowpane.pipelines.events.Order;
import dev.windowpane.pipelines.generator.EventKind;
import dev.windowpane.pipelines.io.ReadEvents;
import dev.windowpane.pipelines.io.SourceOptions;
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
 * events (and event times, late ones included) a pipeline reads with the same options.
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

  @Test
  void withLatePercentZeroTheStreamIsTheOneWithoutTheOptions() {
    String without = Cli.run("generate", "--kind=sessions", "--seed=7", "--maxEvents=500").out;
    String zero =
        Cli.run("generate", "--kind=sessions", "--seed=7", "--maxEvents=500", "--latePercent=0", "--lateBy=5m").out;

    assertThat(zero, equalTo(without));
  }

  @Test
  void lateEventsAreTheSameEventsLateByLateByAndTheSameForTheSameSeed() throws Exception {
    String[] late = {"generate", "--seed=7", "--maxEvents=2000", "--latePercent=5", "--lateBy=1m30s"};
    Cli first = Cli.run(late);
    Cli second = Cli.run(late);
    Cli otherSeed = Cli.run("generate", "--seed=8", "--maxEvents=2000", "--latePercent=5", "--lateBy=1m30s");
    List<String> onTime =
        Cli.run("generate", "--seed=7", "--maxEvents=2000").out.lines().collect(Collectors.toList());

    assertThat(first.err, first.exitCode, is(0));
    assertThat(second.out, equalTo(first.out));
    assertThat(otherSeed.out, not(equalTo(first.out)));
    List<String> lines = first.out.lines().collect(Collectors.toList());
    assertThat(lines, hasSize(2000));
    int lateCount = 0;
    for (int i = 0; i < lines.size(); i++) {
      Order order = EventKind.ORDERS.parser().parse((ObjectNode) Json.mapper().readTree(lines.get(i)));
      Order place = EventKind.ORDERS.parser().parse((ObjectNode) Json.mapper().readTree(onTime.get(i)));
      assertThat(place.timestamp(), equalTo(Instant.parse("2025-01-01T00:00:00Z").plus(300L * i)));
      if (order.equals(place)) {
        continue;
      }
      lateCount++;
      assertThat(order, equalTo(Order.of(place.timestamp().minus(90_000), place.item(), place.quantity())));
    }
    // 5% of 2000.
    assertThat(lateCount, greaterThanOrEqualTo(70));
    assertThat(lateCount, lessThanOrEqualTo(130));
  }

  @ParameterizedTest
  @ValueSource(strings = {"orders", "tweets", "sessions"})
  void aPipelineReadsExactlyTheGeneratedLateEventsAtTheirLateEventTimes(String kind) throws Exception {
    String[] generatorOptions = {
      "--seed=11", "--maxEvents=300", "--eventSpacing=1s", "--latePercent=10", "--lateBy=1m"
    };
    EventKind<?> eventKind = EventKind.named(kind).get();
    List<String> expected = new java.util.ArrayList<>();
    int late = 0;
    List<String> generated =
        Cli.run(concat(new String[] {"generate", "--kind=" + kind}, generatorOptions)).out.lines()
            .collect(Collectors.toList());
    for (int i = 0; i < generated.size(); i++) {
      long millis = eventTime(eventKind, generated.get(i)).getMillis();
      expected.add(generated.get(i) + " @ " + millis);
      late += millis == Instant.parse("2025-01-01T00:00:00Z").getMillis() + 1000L * i ? 0 : 1;
    }
    assertThat(late, greaterThan(0));
    SourceOptions options =
        PipelineOptionsFactory.fromArgs(concat(generatorOptions, new String[] {"--eventsPerSecond=100000"}))
            .as(SourceOptions.class);

    Pipeline pipeline = TestPipelines.create();
    PCollection<String> read = readAsJsonAtTimestamp(pipeline, eventKind, options);
    PAssert.that(read).containsInAnyOrder(expected);
    TestPipelines.run(pipeline);
  }

  private static <T> Instant eventTime(EventKind<T> kind, String line) throws Exception {
    return kind.eventTime().apply(kind.parser().parse((ObjectNode) Json.mapper().readTree(line)));
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
        .apply(ReadEvents.of(kind, options))
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
