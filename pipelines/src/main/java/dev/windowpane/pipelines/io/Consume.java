package dev.windowpane.pipelines.io;

import dev.windowpane.pipelines.cli.CommandLine;
import dev.windowpane.pipelines.cli.Range;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The {@code consume} command: prints a topic's record values from its beginning as JSON lines on
 * stdout, committed records only ({@code isolation.level=read_committed}: a transaction's records
 * once it is committed, an aborted one's never), each partition in offset order, until {@code
 * --maxRecords} records or until nothing arrived for {@code --idle}. Joins no group and commits
 * nothing.
 */
public final class Consume {
  public static final String NAME = "consume";
  public static final String DESCRIPTION = "Prints a Kafka topic's committed record values as JSON lines.";

  private Consume() {}

  /** Options of {@code consume}. */
  public interface Options extends KafkaToolOptions {
    @Description("Stop after this many records; without it, when nothing arrived for --idle.")
    @Range(min = 1)
    Long getMaxRecords();

    void setMaxRecords(Long value);

    @Description("Stop when no record arrived for this long.")
    @Default.String("10s")
    String getIdle();

    void setIdle(String value);
  }

  public static void validate(Options options, Set<String> given) {
    KafkaToolOptions.topic(options);
    KafkaClients.properties(options.getKafkaProperty());
    CommandLine.positiveDuration("idle", options.getIdle());
  }

  /** Prints the records; returns the exit code. */
  public static int run(Options options, PrintStream out) throws IOException {
    String topic = KafkaToolOptions.topic(options);
    Map<String, Object> config = KafkaClients.config(options.getBootstrapServers(), options.getKafkaProperty());
    List<TopicPartition> partitions = KafkaClients.partitionsOf(config, List.of(topic));
    long idleMillis = dev.windowpane.transforms.time.Durations.parse(options.getIdle()).getMillis();
    long max = options.getMaxRecords() == null ? Long.MAX_VALUE : options.getMaxRecords();
    long printed = 0;
    Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
    try (KafkaConsumer<String, String> consumer = KafkaClients.committedTextConsumer(config, partitions)) {
      long lastRecord = System.nanoTime();
      while (printed < max && System.nanoTime() - lastRecord < idleMillis * 1_000_000L) {
        ConsumerRecords<String, String> records = consumer.poll(java.time.Duration.ofMillis(200));
        for (ConsumerRecord<String, String> record : records) {
          if (printed >= max) {
            break;
          }
          writer.write(record.value() == null ? "null" : record.value());
          writer.write('\n');
          printed++;
          lastRecord = System.nanoTime();
        }
        writer.flush();
      }
    }
    writer.flush();
    return 0;
  }
}
