package dev.windowpane.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import dev.windowpane.transforms.json.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end: the trending-hashtags command line on real JSON-lines files. */
class TrendingHashtagsTest {
  @TempDir Path dir;

  private static final String[] MALFORMED = {
    "{\"timestamp\":\"2025-11-25T10:01:00Z\",\"text\":42}",
    "{\"timestamp\":\"2025-11-25T10:01:00Z\"}",
    "{\"text\":\"#beam\"}",
    "garbage {",
    "\"just a string\"",
  };

  @Test
  void ranksHashtagsOfEveryWindowExactlyAndWritesEveryMalformedLineAsADeadLetter() {
    Cli.write(
        dir.resolve("tweets.jsonl"),
        "{\"timestamp\":\"2025-11-25T10:01:00Z\",\"text\":\"loving #Beam today #streaming\"}",
        MALFORMED[0],
        "{\"timestamp\":\"2025-11-25T10:02:00Z\",\"text\":\"#kafka and #beam\"}",
        "{\"timestamp\":\"2025-11-25T10:06:00Z\",\"text\":\"no tags here\"}",
        MALFORMED[1],
        "{\"timestamp\":\"2025-11-25T10:08:00Z\",\"text\":\"#Flink vs #BEAM\"}",
        MALFORMED[2],
        "{\"timestamp\":\"2025-11-25T10:11:00Z\",\"text\":\"#flink #kafka_streams rocks\"}",
        MALFORMED[3],
        "{\"timestamp\":\"2025-11-25T10:03:00Z\",\"text\":\"#streaming #flink\"}",
        MALFORMED[4]);

    Cli run =
        Cli.run(
            "trending-hashtags",
            "--input=" + dir.resolve("tweets.jsonl"),
            "--output=" + dir.resolve("out"),
            "--deadLetters=" + dir.resolve("dead"),
            "--window=10m",
            "--slide=5m",
            "--top=3");

    assertThat(run.err, run.exitCode, is(0));
    // [09:55,10:05): beam 2, streaming 2, flink 1, kafka 1; [10:00,10:10): beam 3, flink 2,
    // streaming 2, kafka 1; [10:05,10:15): flink 2, beam 1, kafka_streams 1; [10:10,10:20): flink 1,
    // kafka_streams 1.
    assertThat(
        Cli.jsonLines(dir.resolve("out")),
        equalTo(
            Cli.sorted(
                line("09:55", "10:05", 1, "beam", 2),
                line("09:55", "10:05", 2, "streaming", 2),
                line("09:55", "10:05", 3, "flink", 1),
                line("10:00", "10:10", 1, "beam", 3),
                line("10:00", "10:10", 2, "flink", 2),
                line("10:00", "10:10", 3, "streaming", 2),
                line("10:05", "10:15", 1, "flink", 2),
                line("10:05", "10:15", 2, "beam", 1),
                line("10:05", "10:15", 3, "kafka_streams", 1),
                line("10:10", "10:20", 1, "flink", 1),
                line("10:10", "10:20", 2, "kafka_streams", 1))));
    assertThat(Cli.deadLetterInputs(dir.resolve("dead")), containsInAnyOrder(MALFORMED));
  }

  @Test
  void anEmptyInputGivesNoRankingsAndSucceeds() {
    Cli.write(dir.resolve("empty.jsonl"));

    Cli run =
        Cli.run(
            "trending-hashtags",
            "--input=" + dir.resolve("empty.jsonl"),
            "--output=" + dir.resolve("out"));

    assertThat(run.err, run.exitCode, is(0));
    assertThat(Cli.jsonLines(dir.resolve("out")), is(empty()));
  }


  private static String line(String start, String end, int rank, String hashtag, long count) {
    return "{\"windowStart\":\"2025-11-25T" + start + ":00Z\",\"windowEnd\":\"2025-11-25T" + end
        + ":00Z\",\"rank\":" + rank + ",\"hashtag\":\"" + hashtag + "\",\"count\":" + count + "}";
  }
}
