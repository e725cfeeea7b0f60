package dev.windowpane.pipelines.io;

import dev.windowpane.pipelines.cli.CommandFailure;
import dev.windowpane.pipelines.cli.Range;
import dev.windowpane.pipelines.cli.UsageException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The {@code produce} command: writes a JSON-lines file into a Kafka topic, one record per line
 * (no key, the line as the value, unchanged; a UTF-8 byte order mark at the start of the file is
 * dropped, and a line that is not valid UTF-8 stops it with an error), optionally paced to N records per second, with
 * progress on stderr. Waits until the brokers acknowledged every record ({@code acks=all},
 * idempotent producer: a retried send is not written twice). The topic is created when missing.
 */
public final class Produce {
  public static final String NAME = "produce";
  public static final String DESCRIPTION = "Writes a JSON-lines file into a Kafka topic, one record per line.";

  /** Dropped from the start of the file, as the file source drops it. */
  private static final String BYTE_ORDER_MARK = "\uFEFF";

  private Produce() {}

  /** Options of {@code produce}. */
  public interface Options extends KafkaToolOptions {
    @Description("The JSON-lines file to write into the topic.")
    @Validation.Required
    String getInput();

    void setInput(String value);

    @Description("Records per second; without it, as fast as the brokers take them.")
    @Range(min = 1)
    Long getRate();

    void setRate(Long value);
  }

  public static void validate(Options options, Set<String> given) {
    KafkaToolOptions.topic(options);
    KafkaClients.properties(options.getKafkaProperty());
    Path file = Paths.get(options.getInput());
    if (!Files.isRegularFile(file)) {
      throw new UsageException("Option --input=" + options.getInput() + " is not a file.");
    }
  }

  /** Writes every line; returns the exit code. */
  public static int run(Options options, PrintStream out) throws IOException, InterruptedException {
    String topic = KafkaToolOptions.topic(options);
    Map<String, Object> config = KafkaClients.config(options.getBootstrapServers(), options.getKafkaProperty());
    KafkaClients.ensureTopics(config, Set.of(topic));
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
    config.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
    long rate = options.getRate() == null ? 0 : options.getRate();
    AtomicReference<Exception> failure = new AtomicReference<>();
    long sent = 0;
    long started = System.nanoTime();
    long lastReport = started;
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config);
        BufferedReader lines = Files.newBufferedReader(Paths.get(options.getInput()), StandardCharsets.ISO_8859_1)) {
      CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
      String line;
      while ((line = readLine(lines, utf8, options.getInput(), sent)) != null && failure.get() == null) {
        if (sent == 0 && line.startsWith(BYTE_ORDER_MARK)) {
          line = line.substring(1);
        }
        if (rate > 0) {
          long due = started + sent * 1_000_000_000L / rate;
          long wait = due - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          }
        }
        producer.send(new ProducerRecord<>(topic, line), (metadata, e) -> {
          if (e != null) {
            failure.compareAndSet(null, e);
          }
        });
        sent++;
        long now = System.nanoTime();
        if (now - lastReport >= 1_000_000_000L) {
          System.err.printf("produce: %d records sent to %s (%.0f/s)%n", sent, topic, sent / ((now - started) / 1e9));
          lastReport = now;
        }
      }
      producer.flush();
    }
    if (failure.get() != null) {
      throw new CommandFailure("produce failed after " + sent + " records: " + failure.get().getMessage(), failure.get());
    }
    System.err.printf("produce: wrote %d records to %s in %.1f s.%n", sent, topic, (System.nanoTime() - started) / 1e9);
    return 0;
  }

  /**
   * The next line, decoded strictly as UTF-8, or a one-sentence failure when it is not UTF-8. The
   * file is read as ISO-8859-1, byte for byte, so that the failure names the right line: no byte
   * of a multi-byte UTF-8 sequence is a line terminator.
   */
  private static @Nullable String readLine(BufferedReader bytes, CharsetDecoder utf8, String file, long sent)
      throws IOException {
    String line = bytes.readLine();
    if (line == null) {
      return null;
    }
    try {
      return utf8.decode(ByteBuffer.wrap(line.getBytes(StandardCharsets.ISO_8859_1))).toString();
    } catch (CharacterCodingException e) {
      throw new CommandFailure(
          "produce stopped after " + sent + " records: line " + (sent + 1) + " of " + file + " is not valid UTF-8.", e);
    }
  }
}
