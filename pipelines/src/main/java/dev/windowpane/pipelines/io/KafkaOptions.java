package dev.windowpane.pipelines.io;

import dev.windowpane.pipelines.cli.CommandLine;
import dev.windowpane.pipelines.cli.UsageException;
import dev.windowpane.transforms.json.EventTimestamps;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.joda.time.Duration;

/** Kafka in and out: where a pipeline reads its events from and writes its results to, on a Kafka cluster. */
@Description("Kafka")
public interface KafkaOptions extends PipelineOptions {
  String KAFKA = "kafka";
  List<String> START_OFFSETS = List.of("committed", "earliest", "latest");

  @Description(
      "Where events come from: kafka (with --bootstrapServers and --topic); without it the --input"
          + " files, or the built-in generator.")
  String getSource();

  void setSource(String value);

  @Description(
      "Where results go: kafka (with --bootstrapServers and --outputTopic); without it the --output"
          + " files, or a table per window on the console.")
  String getSink();

  void setSink(String value);

  @Description("The Kafka cluster: HOST:PORT[,HOST:PORT...].")
  String getBootstrapServers();

  void setBootstrapServers(String value);

  @Description(
      "--source=kafka: the topic(s) to read, JSON lines per the pipeline's input contract (repeat the"
          + " option or separate with commas for several).")
  List<String> getTopic();

  void setTopic(List<String> value);

  @Description(
      "--source=kafka: the consumer group whose offsets the pipeline commits (after each completed"
          + " checkpoint) and, with --startOffsets=committed, starts from.")
  String getGroupId();

  void setGroupId(String value);

  @Description(
      "--source=kafka: where a partition starts: committed (the --groupId's committed offsets, the"
          + " earliest where it has none), earliest, or latest. A restored checkpoint resumes from its"
          + " own positions instead.")
  @Default.String("committed")
  String getStartOffsets();

  void setStartOffsets(String value);

  @Description(
      "--source=kafka: reprocess from this instant (ISO-8601): every partition starts at its first"
          + " record written at or after it (a partition with none starts at its end).")
  String getStartReadTime();

  void setStartReadTime(String value);

  @Description(
      "--source=kafka: read up to the end each partition has when the pipeline starts, then finish"
          + " (a backfill): every window fires.")
  @Default.Boolean(false)
  Boolean getStopAtEnd();

  void setStopAtEnd(Boolean value);

  @Description(
      "--source=kafka: how far (event time) a record may be behind the newest one of its partition and"
          + " still be on time: the watermark is the newest event time minus this.")
  @Default.String("5s")
  String getMaxOutOfOrderness();

  void setMaxOutOfOrderness(String value);

  @Description(
      "--source=kafka: a partition that has been read to its end and got no record for this long is"
          + " idle: its watermark then follows the wall clock (minus --maxOutOfOrderness), so a quiet"
          + " partition does not hold back every window.")
  @Default.String("10s")
  String getPartitionIdleness();

  void setPartitionIdleness(String value);

  @Description(
      "A Kafka client property NAME=VALUE for every consumer, producer and admin client"
          + " (e.g. security.protocol=SASL_SSL); repeatable. Values of names with password, secret,"
          + " jaas or token are never printed.")
  List<String> getKafkaProperty();

  void setKafkaProperty(List<String> value);

  @Description("--sink=kafka: the topic results are written to, one JSON line per record, keyed by window and name"
          + " (rankings) or by session and first event time (session-stats).")
  String getOutputTopic();

  void setOutputTopic(String value);

  @Description("--source=kafka: the topic malformed records are written to (with their topic, partition and offset).")
  String getDeadLetterTopic();

  void setDeadLetterTopic(String value);

  @Description(
      "--sink=kafka: write results in Kafka transactions committed with each checkpoint, so a"
          + " read_committed consumer sees every result exactly once across failures and restarts"
          + " (FlinkRunner with --checkpointDir).")
  @Default.Boolean(false)
  Boolean getExactlyOnce();

  void setExactlyOnce(Boolean value);

  @Description(
      "--exactlyOnce: the Kafka group id under which the transactional sink keeps its progress; by"
          + " default one derived from the pipeline, the output topic and --checkpointDir, the same for"
          + " every restart from that directory.")
  String getSinkGroupId();

  void setSinkGroupId(String value);

  /** Whether events come from Kafka. */
  static boolean readsKafka(KafkaOptions options) {
    return KAFKA.equals(options.getSource());
  }

  /** Whether results go to Kafka. */
  static boolean writesKafka(KafkaOptions options) {
    return KAFKA.equals(options.getSink());
  }

  /**
   * Checks the Kafka options: each only with the source or sink it belongs to, the values readable.
   * {@code given}: the options named; {@code input}: whether --input was given; {@code checkpointed}:
   * whether --checkpointDir was.
   */
  static void validate(KafkaOptions options, Set<String> given, boolean input, boolean checkpointed) {
    String source = options.getSource();
    if (source != null && !source.equals(KAFKA)) {
      throw new UsageException(
          "Option --source=" + source + " is not a source; the one is kafka (files come with --input,"
              + " and without either the built-in generator runs).");
    }
    String sink = options.getSink();
    if (sink != null && !sink.equals(KAFKA)) {
      throw new UsageException(
          "Option --sink=" + sink + " is not a sink; the one is kafka (files come with --output, and"
              + " without either the console prints a table per window).");
    }
    boolean reads = readsKafka(options);
    boolean writes = writesKafka(options);
    for (String name : List.of("topic", "groupId", "startOffsets", "startReadTime", "stopAtEnd",
        "maxOutOfOrderness", "partitionIdleness", "deadLetterTopic")) {
      if (!reads && given.contains(name)) {
        throw new UsageException("Option --" + name + " needs --source=kafka.");
      }
    }
    for (String name : List.of("outputTopic", "exactlyOnce", "sinkGroupId")) {
      if (!writes && given.contains(name)) {
        throw new UsageException("Option --" + name + " needs --sink=kafka.");
      }
    }
    if (!reads && !writes) {
      for (String name : List.of("bootstrapServers", "kafkaProperty")) {
        if (given.contains(name)) {
          throw new UsageException("Option --" + name + " needs --source=kafka or --sink=kafka.");
        }
      }
      return;
    }
    if (options.getBootstrapServers() == null || options.getBootstrapServers().isBlank()) {
      throw new UsageException(
          "Option --bootstrapServers is required with Kafka: HOST:PORT of a broker (make kafka-up starts one on 127.0.0.1:9092).");
    }
    KafkaClients.properties(options.getKafkaProperty());
    if (reads) {
      if (input) {
        throw new UsageException("Options --input and --source=kafka are two sources; give one.");
      }
      if (options.getTopic() == null || options.getTopic().isEmpty()
          || options.getTopic().stream().anyMatch(String::isBlank)) {
        throw new UsageException("Option --topic is required with --source=kafka: the topic(s) to read.");
      }
      if (!START_OFFSETS.contains(options.getStartOffsets())) {
        throw new UsageException(
            "Option --startOffsets=" + options.getStartOffsets() + " is none of " + String.join(", ", START_OFFSETS) + ".");
      }
      if (options.getStartReadTime() != null) {
        if (given.contains("startOffsets")) {
          throw new UsageException("Options --startReadTime and --startOffsets both choose where to start; give one.");
        }
        try {
          EventTimestamps.parse(com.fasterxml.jackson.databind.node.TextNode.valueOf(options.getStartReadTime()));
        } catch (dev.windowpane.transforms.json.InvalidEventException | RuntimeException e) {
          throw new UsageException(
              "Option --startReadTime=" + options.getStartReadTime() + " is not an instant such as 2025-11-25T10:00:00Z.");
        }
      }
      if (options.getStartOffsets().equals("committed") && given.contains("startOffsets") && options.getGroupId() == null) {
        throw new UsageException("Option --startOffsets=committed needs --groupId: the group whose offsets to start from.");
      }
      if (options.getStopAtEnd() && checkpointed) {
        throw new UsageException(
            "Options --stopAtEnd and --checkpointDir do not go together: on Beam 2.62 with Flink 1.19 a"
                + " source that has finished fails every later checkpoint, so a backfill that ends keeps none;"
                + " run it without --checkpointDir (it is run again from its offsets, not resumed).");
      }
      Duration disorder = CommandLine.duration("maxOutOfOrderness", options.getMaxOutOfOrderness());
      CommandLine.positiveDuration("partitionIdleness", options.getPartitionIdleness());
      if (disorder.isShorterThan(Duration.ZERO)) {
        throw new UsageException("Option --maxOutOfOrderness must not be negative.");
      }
    }
    if (writes) {
      if (options.getOutputTopic() == null || options.getOutputTopic().isBlank()) {
        throw new UsageException("Option --outputTopic is required with --sink=kafka: the topic results go to.");
      }
      if (options.getExactlyOnce()) {
        String runner = options.getRunner() == null ? "" : options.getRunner().getSimpleName();
        if (!runner.equals("FlinkRunner") || !checkpointed) {
          throw new UsageException(
              "Option --exactlyOnce needs --runner=FlinkRunner with --checkpointDir: the transactional"
                  + " Kafka sink commits its writes with the runner's checkpoints, which only Flink's"
                  + " exactly-once checkpoints provide here.");
        }
      }
    }
  }
}
