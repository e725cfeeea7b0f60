package dev.windowpane.pipelines.dashboard;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windowpane.pipelines.Main;
import dev.windowpane.pipelines.kafka.LocalKafka;
import dev.windowpane.transforms.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code dashboard --from=kafka}: the page follows a results topic on a real broker. */
class DashboardKafkaTest {
  @RegisterExtension static final LocalKafka KAFKA = LocalKafka.nodes(1);

  @TempDir Path dir;

  private void produce(String topic, String... lines) throws Exception {
    Path file = Files.write(dir.resolve("lines-" + System.nanoTime() + ".jsonl"), List.of(lines), StandardCharsets.UTF_8);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exitCode =
        Main.run(
            new String[] {"produce", "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topic=" + topic, "--input=" + file},
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(err.toString(StandardCharsets.UTF_8), exitCode, is(0));
  }

  private static String ranking(String end, int rank, String hashtag, long count) {
    return "{\"windowStart\":\"2025-01-01T00:00:00Z\",\"windowEnd\":\"2025-01-01T" + end + "Z\",\"rank\":" + rank
        + ",\"hashtag\":\"" + hashtag + "\",\"count\":" + count + "}";
  }

  @Test
  void itShowsTheTopicsRankingsFromItsBeginningAndFollowsNewRecords() throws Exception {
    produce("hashtags", ranking("00:10:00", 1, "beam", 7), ranking("00:10:00", 2, "flink", 4));
    try (RunningCommand dashboard =
        RunningCommand.start(
            "dashboard", "--from=kafka", "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topic=hashtags", "--ui=0")) {
      URI url = dashboard.dashboardUrl(60);
      JsonNode first = DashboardCommandTest.awaitSnapshot(url, 60, s -> s.get("rankings").size() == 1);
      assertThat(first.get("source").asText(), is("Kafka topic hashtags at " + KAFKA.bootstrapServers()));
      assertThat(
          Json.write(first.get("rankings").get(0).get("rows")),
          is("[{\"rank\":1,\"name\":\"beam\",\"total\":7,\"change\":\"new\",\"places\":0},"
              + "{\"rank\":2,\"name\":\"flink\",\"total\":4,\"change\":\"new\",\"places\":0}]"));

      produce("hashtags", ranking("00:15:00", 1, "flink", 9), ranking("00:15:00", 2, "beam", 8));
      JsonNode second =
          DashboardCommandTest.awaitSnapshot(
              url, 60, s -> s.get("rankings").get(0).get("windowEnd").asText().equals("2025-01-01T00:15:00Z"));
      assertThat(
          Json.write(second.get("rankings").get(0).get("rows")),
          is("[{\"rank\":1,\"name\":\"flink\",\"total\":9,\"change\":\"up\",\"places\":1},"
              + "{\"rank\":2,\"name\":\"beam\",\"total\":8,\"change\":\"down\",\"places\":1}]"));
      assertThat(second.get("rankings").get(0).get("pipeline").asText(), is("trending-hashtags"));
      assertThat(dashboard.stop(60), is(0));
    }
  }
}
