package dev.windowpane.pipelines.kafka;

import dev.windowpane.kafka.KafkaCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka cluster for a test class (KRaft, each node its own JVM on Kafka's own classpath,
 * started by the kafka-cluster module's launcher on free ports of 127.0.0.1), with small clients
 * for the tests: create a topic, write lines, read a topic back with each record's position.
 * Register it with {@code @RegisterExtension static LocalKafka kafka = LocalKafka.nodes(1);}: it
 * starts before the class's first test and always stops after its last (a shutdown hook too).
 */
public final class LocalKafka implements BeforeAllCallback, AfterAllCallback {
  private final int nodes;
  private KafkaCluster cluster;
  private Thread shutdownHook;

  private LocalKafka(int nodes) {
    this.nodes = nodes;
  }

  /** A cluster of {@code nodes} (1, or 3 with replication factor 3 and min.insync.replicas 2). */
  public static LocalKafka nodes(int nodes) {
    return new LocalKafka(nodes);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Path dir = Files.createTempDirectory("windowpane-kafka-");
    List<Integer> ports = IntStream.range(0, nodes).mapToObj(i -> KafkaCluster.freePort()).toList();
    cluster = KafkaCluster.start(new KafkaCluster.Settings(dir).brokerPorts(ports).heap("384m"));
    shutdownHook = new Thread(cluster::close, "stop-kafka-cluster");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (cluster != null) {
      cluster.close();
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // The JVM is shutting down; the hook stops the cluster again, harmlessly.
      }
    }
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  public KafkaCluster cluster() {
    return cluster;
  }

  /** Creates {@code topic} with {@code partitions} partitions (the cluster's replication). */
  public void createTopic(String topic, int partitions) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, java.util.Optional.of(partitions), java.util.Optional.empty())))
          .all().get();
    }
  }

  /** Writes {@code lines} to {@code topic}, record i to partition i mod {@code partitions}, and waits for every acknowledgement. */
  public void write(String topic, int partitions, List<String> lines) throws Exception {
    try (KafkaProducer<String, String> producer = producer()) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        sent.add(producer.send(new ProducerRecord<>(topic, i % partitions, null, lines.get(i))));
      }
      for (Future<RecordMetadata> ack : sent) {
        ack.get();
      }
    }
  }

  public KafkaProducer<String, String> producer() {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return new KafkaProducer<>(config);
  }

  /**
   * Every committed record of {@code topic} from its beginning, read until {@code expected} records
   * arrived or nothing more came for {@code quiet}.
   */
  public List<ConsumerRecord<String, String>> readAll(String topic, int expected, Duration quiet) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(info -> new TopicPartition(topic, info.partition())).collect(Collectors.toList());
      if (partitions.isEmpty()) {
        return records; // no such topic (yet)
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long last = System.nanoTime();
      while (records.size() < expected && System.nanoTime() - last < quiet.toNanos()) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          records.add(record);
          last = System.nanoTime();
        }
      }
    }
    return records;
  }

  /** The values of {@link #readAll}, sorted. */
  public List<String> sortedValues(String topic, int expected, Duration quiet) {
    return readAll(topic, expected, quiet).stream().map(ConsumerRecord::value).sorted().collect(Collectors.toList());
  }
}
