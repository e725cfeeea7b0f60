package dev.windowpane.pipelines.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;

import dev.windowpane.transforms.sessions.SessionSummary;
import dev.windowpane.transforms.testing.TestPipelines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file sinks of an unbounded run keep every late refinement the transforms emit: the file
 * windows allow at least the pipeline's allowed lateness, so a refinement of a window that ends at
 * {@code end}, emitted with timestamp {@code end - 1} while the watermark is at {@code end - 1 +
 * allowedLateness}, is still written.
 */
class LateRefinementsInFilesTest {
  private static final Instant T = Instant.parse("2025-11-25T10:00:00Z");

  @TempDir Path dir;

  @Test
  void rankingFilesKeepARefinementEmittedAtTheEndOfTheAllowedLateness() {
    // Window [10:00, 10:10), slide 5m, allowed lateness 2m: the refinement comes at 10:11:59.999.
    Instant end = T.plus(Duration.standardMinutes(10));
    TestStream<List<KV<String, Long>>> rankings =
        TestStream.create(ListCoder.of(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())))
            .addElements(TimestampedValue.of(List.of(KV.of("sku-1", 1L)), end.minus(1)))
            .advanceWatermarkTo(end.minus(1).plus(Duration.standardMinutes(2)))
            .addElements(
                TimestampedValue.of(List.of(KV.of("sku-1", 2L), KV.of("sku-2", 1L)), end.minus(1)))
            .advanceWatermarkToInfinity();
    Pipeline p = TestPipelines.create();

    p.apply(rankings)
        .apply(Window.into(FixedWindows.of(Duration.standardMinutes(10))))
        .apply(WriteRankings.of(
                RankingFormat.of("Top sellers", "item", "quantity"),
                dir.toString(),
                Duration.standardMinutes(10),
                Duration.standardMinutes(5),
                Duration.ZERO,
                Duration.standardMinutes(2)));
    TestPipelines.run(p);

    String window = "\"windowStart\":\"2025-11-25T10:00:00Z\",\"windowEnd\":\"2025-11-25T10:10:00Z\"";
    assertThat(
        jsonLines(dir, "rankings"),
        containsInAnyOrder(
            "{" + window + ",\"rank\":1,\"item\":\"sku-1\",\"quantity\":1}",
            "{" + window + ",\"rank\":1,\"item\":\"sku-1\",\"quantity\":2}",
            "{" + window + ",\"rank\":2,\"item\":\"sku-2\",\"quantity\":1}"));
  }

  @Test
  void sessionFilesKeepARefinementEmittedAtTheEndOfTheAllowedLateness() {
    // Session [10:00, 10:30) with a 30m gap, allowed lateness 5m: refined at 10:34:59.999.
    Instant end = T.plus(Duration.standardMinutes(30));
    TestStream<KV<String, SessionSummary>> summaries =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), SessionSummary.coder()))
            .addElements(TimestampedValue.of(KV.of("s-1", SessionSummary.ofEvent(1, T)), end.minus(1)))
            .advanceWatermarkTo(end.minus(1).plus(Duration.standardMinutes(5)))
            .addElements(
                TimestampedValue.of(
                    KV.of("s-1", SessionSummary.ofEvent(1, T).plus(2, T.plus(60_000))), end.minus(1)))
            .advanceWatermarkToInfinity();
    Pipeline p = TestPipelines.create();

    p.apply(summaries)
        .apply(WriteSessionStats.summaries(Optional.of(dir.toString()), Duration.standardMinutes(5)));
    TestPipelines.run(p);

    assertThat(
        jsonLines(dir, "sessions"),
        containsInAnyOrder(
            "{\"session\":\"s-1\",\"first\":\"2025-11-25T10:00:00Z\",\"last\":\"2025-11-25T10:00:00Z\","
                + "\"events\":1,\"total\":1.0,\"average\":1.0}",
            "{\"session\":\"s-1\",\"first\":\"2025-11-25T10:00:00Z\",\"last\":\"2025-11-25T10:01:00Z\","
                + "\"events\":2,\"total\":3.0,\"average\":1.5}"));
  }

  @Test
  void updateFilesKeepTheUpdateOfEveryEventThatStillCountsInItsSession() {
    // Gap 30m, allowed lateness 5m: an event at 10:00 still counts in the session summaries while
    // the watermark is at most 10:34:59.999, and so its running update (timestamped 10:00) is
    // written too; one at 10:01 arrives in order.
    TestStream<KV<String, SessionSummary>> updates =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), SessionSummary.coder()))
            .addElements(
                TimestampedValue.of(KV.of("s-1", SessionSummary.ofEvent(2, T.plus(60_000))), T.plus(60_000)))
            .advanceWatermarkTo(T.plus(Duration.standardMinutes(35)).minus(1))
            .addElements(
                TimestampedValue.of(
                    KV.of("s-1", SessionSummary.ofEvent(2, T.plus(60_000)).plus(1, T)), T))
            .advanceWatermarkToInfinity();
    Pipeline p = TestPipelines.create();

    p.apply(updates)
        .apply(
            WriteSessionStats.updates(
                Optional.of(dir.toString()), Duration.standardMinutes(5), Duration.standardMinutes(30)));
    TestPipelines.run(p);

    assertThat(
        jsonLines(dir, "updates"),
        containsInAnyOrder(
            "{\"session\":\"s-1\",\"first\":\"2025-11-25T10:01:00Z\",\"last\":\"2025-11-25T10:01:00Z\","
                + "\"events\":1,\"total\":2.0,\"average\":2.0,\"update\":true}",
            "{\"session\":\"s-1\",\"first\":\"2025-11-25T10:00:00Z\",\"last\":\"2025-11-25T10:01:00Z\","
                + "\"events\":2,\"total\":3.0,\"average\":1.5,\"update\":true}"));
  }

  /** Every line of the {@code name-*.jsonl} files under {@code dir}. */
  private static List<String> jsonLines(Path dir, String name) {
    try (Stream<Path> files = Files.list(dir)) {
      List<String> lines = new ArrayList<>();
      for (Path file :
          files
              .filter(f -> f.getFileName().toString().startsWith(name + "-"))
              .filter(f -> f.getFileName().toString().endsWith(OutputFiles.SUFFIX))
              .collect(Collectors.toList())) {
        lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
      }
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
