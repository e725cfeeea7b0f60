package dev.windowpane.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windowpane.pipelines.kafka.LocalKafka;
import dev.windowpane.transforms.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pipelines from a real Kafka topic to a real Kafka topic (one KRaft broker in its own JVM):
 * the rankings are exactly those of the same events read from a file, on the DirectRunner and on
 * embedded Flink; malformed records become dead letters with their partition and offset; a replay
 * from a time reads exactly the records written from then; {@code --stopAtEnd} ends the run with
 * every window; the group's offsets are committed.
 */
class KafkaPipelinesTest {
  @RegisterExtension static final LocalKafka KAFKA = LocalKafka.nodes(1);

  private static final List<String> WINDOWS = List.of("--window=10m", "--slide=5m", "--top=5");
  private static final String[] FLINK = {"--runner=FlinkRunner", "--parallelism=2"};

  @TempDir Path dir;

  private List<String> generated(String kind, int count, int seed) throws Exception {
    Path file = dir.resolve(kind + "-" + seed + ".jsonl");
    Cli generate = Cli.run("generate", "--kind=" + kind, "--maxEvents=" + count, "--seed=" + seed, "--output=" + file);
    assertThat(generate.err, generate.exitCode, is(0));
    return Files.readAllLines(file, StandardCharsets.UTF_8);
  }

  /** The pipeline's rankings of {@code lines} read from a file on the DirectRunner, sorted. */
  private List<String> fileRankings(String pipeline, List<String> lines, String name) throws Exception {
    Path input = dir.resolve(name + ".jsonl");
    Files.write(input, lines, StandardCharsets.UTF_8);
    Path output = dir.resolve(name + "-out");
    List<String> args = new ArrayList<>(List.of(pipeline, "--input=" + input, "--output=" + output));
    args.addAll(WINDOWS);
    Cli run = Cli.run(args.toArray(new String[0]));
    assertThat(run.err, run.exitCode, is(0));
    return Cli.jsonLines(output);
  }

  private Cli runFromKafka(String pipeline, String topic, String outputTopic, String... more) {
    List<String> args = new ArrayList<>(List.of(pipeline, "--source=kafka", "--bootstrapServers=" + KAFKA.bootstrapServers(),
        "--topic=" + topic, "--sink=kafka", "--outputTopic=" + outputTopic));
    args.addAll(WINDOWS);
    args.addAll(List.of(more));
    return Cli.run(args.toArray(new String[0]));
  }

  @ParameterizedTest
  @ValueSource(strings = {"DirectRunner", "FlinkRunner"})
  void topSellersFromATopicGivesTheRankingsOfTheSameEventsFromAFile(String runner) throws Exception {
    List<String> orders = new ArrayList<>(generated("orders", 3000, 11));
    // Malformed records at known places: record i goes to partition i % 2, at offset i / 2 there.
    orders.add(100, "not json");
    orders.add(1001, "{\"timestamp\":\"2025-01-01T00:01:00Z\",\"item\":\"x\",\"quantity\":0}");
    orders.add(2502, "{\"item\":\"no time\",\"quantity\":1}");
    String topic = "orders-" + runner;
    KAFKA.createTopic(topic, 2);
    KAFKA.write(topic, 2, orders);

    Cli run = runFromKafka("top-sellers", topic, "top-sellers-" + runner, runner.equals("FlinkRunner") ? FLINK[0] : "--runner=DirectRunner",
        runner.equals("FlinkRunner") ? FLINK[1] : "--logLevel=warn", "--stopAtEnd", "--deadLetterTopic=bad-orders-" + runner);

    assertThat(run.err, run.exitCode, is(0));
    assertThat(run.out, containsString("dead letters         3"));
    List<String> expected = fileRankings("top-sellers", orders, "orders-" + runner);
    assertThat(expected, hasSize(4 * 5)); // 10m windows every 5m over the orders' 15 minutes: 4 windows, top 5
    assertThat(KAFKA.sortedValues("top-sellers-" + runner, expected.size(), Duration.ofSeconds(5)), is(expected));
    assertThat(
        KAFKA.sortedValues("bad-orders-" + runner, 3, Duration.ofSeconds(5)),
        is(List.of(
            "{\"input\":\"not json\",\"error\":\"the line is not JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false'), at column 4\",\"topic\":\"" + topic + "\",\"partition\":0,\"offset\":50}",
            "{\"input\":\"{\\\"item\\\":\\\"no time\\\",\\\"quantity\\\":1}\",\"error\":\"field \\\"timestamp\\\" is missing\",\"topic\":\"" + topic + "\",\"partition\":0,\"offset\":1251}",
            "{\"input\":\"{\\\"timestamp\\\":\\\"2025-01-01T00:01:00Z\\\",\\\"item\\\":\\\"x\\\",\\\"quantity\\\":0}\",\"error\":\"field \\\"quantity\\\" must be an integer >= 1, got 0\",\"topic\":\"" + topic + "\",\"partition\":1,\"offset\":500}")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"DirectRunner", "FlinkRunner"})
  void trendingHashtagsFromATopicGivesTheRankingsOfTheSameEventsFromAFile(String runner) throws Exception {
    List<String> tweets = generated("tweets", 2000, 12);
    String topic = "tweets-" + runner;
    KAFKA.createTopic(topic, 2);
    KAFKA.write(topic, 2, tweets);

    Cli run = runFromKafka("trending-hashtags", topic, "trending-" + runner,
        runner.equals("FlinkRunner") ? FLINK[0] : "--runner=DirectRunner",
        runner.equals("FlinkRunner") ? FLINK[1] : "--logLevel=warn", "--stopAtEnd");

    assertThat(run.err, run.exitCode, is(0));
    List<String> expected = fileRankings("trending-hashtags", tweets, "tweets-" + runner);
    assertThat(expected, not(empty()));
    assertThat(KAFKA.sortedValues("trending-" + runner, expected.size(), Duration.ofSeconds(5)), is(expected));
  }

  @Test
  void sessionStatsFromATopicToATopicGivesTheSummariesOfTheSameEventsFromAFile() throws Exception {
    List<String> events = generated("sessions", 2000, 13);
    KAFKA.createTopic("sessions", 2);
    KAFKA.write("sessions", 2, events);
    Cli run = Cli.run("session-stats", "--source=kafka", "--bootstrapServers=" + KAFKA.bootstrapServers(),
        "--topic=sessions", "--sink=kafka", "--outputTopic=summaries", "--stopAtEnd", "--logLevel=warn");
    assertThat(run.err, run.exitCode, is(0));

    Path input = dir.resolve("sessions.jsonl");
    Files.write(input, events, StandardCharsets.UTF_8);
    Cli fromFile = Cli.run("session-stats", "--input=" + input, "--output=" + dir.resolve("sessions-out"));
    assertThat(fromFile.err, fromFile.exitCode, is(0));
    List<String> expected = Cli.jsonLines(dir.resolve("sessions-out"));
    assertThat(expected, not(empty()));
    List<ConsumerRecord<String, String>> records =
        KAFKA.readAll("summaries", expected.size(), Duration.ofSeconds(5));
    assertThat(records.stream().map(ConsumerRecord::value).sorted().collect(Collectors.toList()), is(expected));
    for (ConsumerRecord<String, String> record : records) {
      JsonNode summary = Json.mapper().readTree(record.value());
      assertThat(record.key(), is(summary.get("session").asText() + "/" + summary.get("first").asText()));
    }
  }

  @Test
  void aReplayFromATimeReadsExactlyTheRecordsWrittenFromThen() throws Exception {
    List<String> before = generated("orders", 1000, 13);
    List<String> after = generated("orders", 1000, 14);
    String topic = "replayed-orders";
    KAFKA.createTopic(topic, 3);
    KAFKA.write(topic, 3, before);
    Thread.sleep(50);
    java.time.Instant from = java.time.Instant.now();
    Thread.sleep(50);
    // Partitions 0 and 1 only: partition 2 has no record at or after the time, and starts at its end.
    KAFKA.write(topic, 2, after);

    Cli run = runFromKafka("top-sellers", topic, "replayed-rankings", "--startReadTime=" + from, "--stopAtEnd");

    assertThat(run.err, run.exitCode, is(0));
    assertThat(run.out, containsString("events read          1000"));
    List<String> expected = fileRankings("top-sellers", after, "replayed");
    assertThat(KAFKA.sortedValues("replayed-rankings", expected.size(), Duration.ofSeconds(5)), is(expected));
  }

  @Test
  void theGroupsOffsetsAreCommittedAndANewRunOfTheGroupStartsFromThem() throws Exception {
    String topic = "committed-orders";
    KAFKA.createTopic(topic, 2);
    KAFKA.write(topic, 2, generated("orders", 600, 15));

    Cli first = runFromKafka("top-sellers", topic, "committed-rankings-1", "--groupId=sellers", "--stopAtEnd");
    assertThat(first.err, first.exitCode, is(0));
    assertThat(committed("sellers", topic), is(Map.of(new TopicPartition(topic, 0), 300L, new TopicPartition(topic, 1), 300L)));

    List<String> more = generated("orders", 400, 16);
    KAFKA.write(topic, 2, more);
    Cli second = runFromKafka("top-sellers", topic, "committed-rankings-2", "--groupId=sellers", "--stopAtEnd");
    assertThat(second.err, second.exitCode, is(0));
    assertThat(second.out, containsString("events read          400"));
    List<String> expected = fileRankings("top-sellers", more, "committed-more");
    assertThat(KAFKA.sortedValues("committed-rankings-2", expected.size(), Duration.ofSeconds(5)), is(expected));
    assertThat(committed("sellers", topic), is(Map.of(new TopicPartition(topic, 0), 500L, new TopicPartition(topic, 1), 500L)));
  }

  private Map<TopicPartition, Long> committed(String group, String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        "bootstrap.servers", KAFKA.bootstrapServers(), "group.id", group,
        "key.deserializer", ByteArrayDeserializer.class.getName(), "value.deserializer", ByteArrayDeserializer.class.getName()))) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          consumer.committed(java.util.Set.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1)));
      return offsets.entrySet().stream().filter(e -> e.getValue() != null)
          .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
  }

  @Test
  void produceWritesAFileLineByLineAndConsumePrintsItBack() throws Exception {
    Path file = dir.resolve("crlf.jsonl");
    String[] lines = {"{\"item\":\"é\",\"n\":1}", "", "{\"item\":\"b\"}", "last"};
    Files.write(file, ("\uFEFF" + lines[0] + "\r\n" + lines[1] + "\r\n" + lines[2] + "\r" + lines[3])
        .getBytes(StandardCharsets.UTF_8));
    Cli produce = Cli.run("produce", "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topic=tools",
        "--input=" + file, "--rate=100");
    assertThat(produce.err, produce.exitCode, is(0));
    Cli consume = Cli.run("consume", "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topic=tools",
        "--maxRecords=4");
    assertThat(consume.err, consume.exitCode, is(0));
    assertThat(consume.out, is(String.join("\n", lines) + "\n"));

    Path latin1 = dir.resolve("latin1.jsonl");
    Files.write(latin1, "{\"item\":\"a\"}\n{\"item\":\"\u00e9\"}\n".getBytes(StandardCharsets.ISO_8859_1));
    Cli invalid = Cli.run("produce", "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topic=tools2",
        "--input=" + latin1);
    assertThat(invalid.exitCode, is(not(0)));
    assertThat(invalid.err, containsString("line 2 of " + latin1 + " is not valid UTF-8."));
  }

  @Test
  void theKafkaOptionsAreCheckedInOneSentenceAndSecretsAreNeverShown() {
    Cli exactlyOnce = Cli.run("top-sellers", "--source=kafka", "--bootstrapServers=" + KAFKA.bootstrapServers(),
        "--topic=t", "--sink=kafka", "--outputTopic=o", "--exactlyOnce");
    assertThat(exactlyOnce.exitCode, is(2));
    assertThat(exactlyOnce.err, containsString("Option --exactlyOnce needs --runner=FlinkRunner with --checkpointDir"));

    Cli topicAlone = Cli.run("top-sellers", "--topic=t");
    assertThat(topicAlone.exitCode, is(2));
    assertThat(topicAlone.err, is("Option --topic needs --source=kafka.\n"));

    Cli missingTopic = Cli.run("top-sellers", "--source=kafka", "--bootstrapServers=" + KAFKA.bootstrapServers(),
        "--topic=no-such-topic", "--kafkaProperty=sasl.jaas.config=hunter2-secret");
    assertThat(missingTopic.exitCode, is(2));
    assertThat(missingTopic.err, containsString("Topic no-such-topic does not exist on " + KAFKA.bootstrapServers()));
    assertThat(missingTopic.err + missingTopic.out, not(containsString("hunter2")));

    Cli malformed = Cli.run("top-sellers", "--source=kafka", "--bootstrapServers=" + KAFKA.bootstrapServers(),
        "--topic=t", "--kafkaProperty=ssl.key.password");
    assertThat(malformed.exitCode, is(2));
    assertThat(malformed.err, containsString("is not NAME=VALUE"));
  }
}
