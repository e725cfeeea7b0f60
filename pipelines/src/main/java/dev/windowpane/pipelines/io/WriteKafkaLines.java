package dev.windowpane.pipelines.io;

import dev.windowpane.pipelines.runners.CheckpointDirectory;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.ProducerRecordCoder;
import org.apache.beam.sdk.io.kafka.ResumableExactlyOnceSink;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Writes keyed JSON lines to a Kafka topic, one record per line (key and value UTF-8). At least
 * once by default: after a failure, the lines of the interrupted checkpoint interval are written
 * again. Exactly once with {@link #exactlyOnce}: KafkaIO's transactional sink writes each
 * checkpoint's lines in one transaction per shard, committed once the checkpoint completes, and
 * keeps its progress under a sink group id, so a {@code read_committed} consumer sees every line
 * exactly once across failures and restarts from the checkpoint; lines then become visible once
 * per checkpoint. The topic is created on first use when missing.
 */
public final class WriteKafkaLines extends PTransform<PCollection<KV<String, String>>, PDone> {
  private final Map<String, Object> config;
  private final String topic;
  private final @Nullable String sinkGroupId;
  private final int shards;
  private final boolean resumed;

  private WriteKafkaLines(
      Map<String, Object> config, String topic, @Nullable String sinkGroupId, int shards, boolean resumed) {
    this.config = config;
    this.topic = topic;
    this.sinkGroupId = sinkGroupId;
    this.shards = shards;
    this.resumed = resumed;
  }

  /** At-least-once writes to {@code topic} of the cluster {@code config} names. */
  public static WriteKafkaLines to(Map<String, Object> config, String topic) {
    return new WriteKafkaLines(config, topic, null, 0, false);
  }

  /**
   * Exactly-once writes in {@code shards} transactional writers that keep their progress under
   * {@code sinkGroupId}: one id per pipeline, the same for every restart from its checkpoints and
   * used by nothing else (a new run with an id an earlier run used, without that run's checkpoint,
   * is refused by the sink). {@code resumed}: the run is restored from a checkpoint of the run
   * that used the id, which may predate that run's first commit ({@link ResumableExactlyOnceSink}).
   */
  public WriteKafkaLines exactlyOnce(String sinkGroupId, int shards, boolean resumed) {
    return new WriteKafkaLines(config, topic, sinkGroupId, shards, resumed);
  }

  /**
   * A second sink of the same pipeline to the same topic: exactly once, its own sink group id
   * ({@code <sinkGroupId>-<part>}), as two transactional sinks must not share one.
   */
  public WriteKafkaLines part(String part) {
    return sinkGroupId == null ? this : new WriteKafkaLines(config, topic, sinkGroupId + "-" + part, shards, resumed);
  }

  @Override
  public PDone expand(PCollection<KV<String, String>> lines) {
    KafkaClients.ensureTopics(config, Set.of(topic));
    Map<String, Object> producer = new HashMap<>(config);
    String servers = (String) producer.remove(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
    producer.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
    KafkaIO.Write<String, String> write =
        KafkaIO.<String, String>write()
            .withBootstrapServers(servers)
            .withTopic(topic)
            .withKeySerializer(StringSerializer.class)
            .withValueSerializer(StringSerializer.class)
            .withProducerConfigUpdates(producer);
    PCollection<KV<String, String>> records = lines;
    if (sinkGroupId == null) {
      return records.apply("WriteRecords", write);
    }
    Map<String, Object> consumer = new HashMap<>(config);
    consumer.remove(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
    int writers = shards > 0 ? shards : KafkaClients.partitionsOf(config, java.util.List.of(topic)).size();
    KafkaIO.WriteRecords<String, String> transactional =
        write.withEOS(writers, sinkGroupId).withConsumerFactoryFn(new KafkaConsumerFactory(consumer)).getWriteRecordsTransform();
    records
        .apply("ToProducerRecords", ParDo.of(new ToProducerRecordFn(topic)))
        .setCoder(ProducerRecordCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
        .apply("WriteTransactions", ResumableExactlyOnceSink.of(transactional, resumed));
    return PDone.in(lines.getPipeline());
  }

  /**
   * The results sink {@code options} ask for ({@code --sink=kafka}), or null. The exactly-once
   * sink's group id is {@code --sinkGroupId}, or one derived from the job name, the output topic
   * and the checkpoint directory: the same for every restart from that directory, another for a
   * new directory (whose run starts afresh).
   */
  public static @Nullable WriteKafkaLines forResults(SourceOptions options) {
    if (!KafkaOptions.writesKafka(options)) {
      return null;
    }
    WriteKafkaLines sink = to(KafkaClients.config(options), options.getOutputTopic());
    if (!options.getExactlyOnce()) {
      return sink;
    }
    String group = options.getSinkGroupId();
    if (group == null) {
      String dir = java.nio.file.Path.of(options.getCheckpointDirectory()).toAbsolutePath().normalize().toString();
      group = options.getJobName() + "-" + options.getOutputTopic() + "-"
          + String.format("%08x", dir.hashCode());
    }
    boolean resumed = CheckpointDirectory.at(options.getCheckpointDirectory()).newestCheckpoint().isPresent();
    return sink.exactlyOnce(group, 0, resumed);
  }

  private static final class ToProducerRecordFn extends DoFn<KV<String, String>, ProducerRecord<String, String>> {
    private final String topic;

    ToProducerRecordFn(String topic) {
      this.topic = topic;
    }

    @ProcessElement
    public void processElement(@Element KV<String, String> line, OutputReceiver<ProducerRecord<String, String>> out) {
      out.output(new ProducerRecord<>(topic, line.getKey(), line.getValue()));
    }
  }

  /** The dead-letter sink {@code options} ask for ({@code --deadLetterTopic}, at least once), or null. */
  public static @Nullable WriteKafkaLines forDeadLetters(SourceOptions options) {
    return options.getDeadLetterTopic() == null ? null : to(KafkaClients.config(options), options.getDeadLetterTopic());
  }

  /** The consumers the transactional sink reads its committed progress with: the user's properties too. */
  private static final class KafkaConsumerFactory
      implements org.apache.beam.sdk.transforms.SerializableFunction<
          Map<String, Object>, org.apache.kafka.clients.consumer.Consumer<byte[], byte[]>> {
    private final Map<String, Object> extra;

    KafkaConsumerFactory(Map<String, Object> extra) {
      this.extra = new HashMap<>(extra);
    }

    @Override
    public org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> apply(Map<String, Object> config) {
      Map<String, Object> merged = new HashMap<>(config);
      extra.forEach(merged::putIfAbsent);
      return new org.apache.kafka.clients.consumer.KafkaConsumer<>(merged);
    }
  }
}
