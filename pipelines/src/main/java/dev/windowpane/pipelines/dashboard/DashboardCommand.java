package dev.windowpane.pipelines.dashboard;

import dev.windowpane.pipelines.cli.LoggingOptions;
import dev.windowpane.pipelines.cli.UsageException;
import dev.windowpane.pipelines.io.KafkaClients;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;

/**
 * The {@code dashboard} command: serves the live dashboard of results written elsewhere (a
 * pipeline on a Flink cluster, a finished run), from an output directory ({@code --from=DIR},
 * following new files as they appear) or from a Kafka topic ({@code --from=kafka}: committed records
 * only, from the beginning, joining no group). Runs until stopped (Ctrl-C, or its thread
 * interrupted).
 */
public final class DashboardCommand {
  public static final String NAME = "dashboard";
  public static final String DESCRIPTION =
      "Serves the live dashboard of a run's results: from its output directory or a Kafka topic.";

  /** How often the directory is listed for new files and lines. */
  static final long DIRECTORY_POLL_MILLIS = 500;

  private DashboardCommand() {}

  /** Options of {@code dashboard}: where the results are, and where the page is served. */
  @Description("Results")
  public interface Options extends DashboardOptions, LoggingOptions {
    @Description(
        "Where the results are: an output directory of top-sellers, trending-hashtags or session-stats"
            + " (followed as files appear), or kafka (with --bootstrapServers and --topic).")
    @Validation.Required
    String getFrom();

    void setFrom(String value);

    @Description("--from=kafka: the Kafka cluster, HOST:PORT[,HOST:PORT...].")
    String getBootstrapServers();

    void setBootstrapServers(String value);

    @Description("--from=kafka: the topic the pipeline writes its results to (its --outputTopic).")
    List<String> getTopic();

    void setTopic(List<String> value);

    @Description(
        "--from=kafka: a Kafka client property NAME=VALUE (e.g. security.protocol=SASL_SSL); repeatable."
            + " Values of names with password, secret, jaas or token are never printed.")
    List<String> getKafkaProperty();

    void setKafkaProperty(List<String> value);
  }

  /** Checks the command line: a directory that is not a file, or Kafka with its cluster and one topic. */
  public static void validate(Options options, Set<String> given) {
    if (DashboardOptions.port(options, DashboardOptions.DEFAULT_PORT) == null) {
      throw new UsageException("Option --ui=false leaves the dashboard command nothing to do; give a port.");
    }
    DashboardOptions.checkHost(options.getUiHost());
    boolean kafka = options.getFrom().equals("kafka");
    for (String option : List.of("bootstrapServers", "topic", "kafkaProperty")) {
      if (!kafka && given.contains(option)) {
        throw new UsageException("Option --" + option + " does nothing without --from=kafka.");
      }
    }
    if (kafka) {
      if (options.getBootstrapServers() == null) {
        throw new UsageException("Option --from=kafka needs --bootstrapServers=HOST:PORT, the Kafka cluster.");
      }
      if (options.getTopic() == null || options.getTopic().size() != 1 || options.getTopic().get(0).isBlank()) {
        throw new UsageException("Option --from=kafka needs one --topic=NAME, the topic of the results.");
      }
      KafkaClients.properties(options.getKafkaProperty());
      return;
    }
    Path directory = Paths.get(options.getFrom());
    if (Files.exists(directory) && !Files.isDirectory(directory)) {
      throw new UsageException(
          "Option --from=" + options.getFrom() + " is a file; give the output directory of a run (or kafka).");
    }
  }

  /** Serves the dashboard until interrupted; returns the exit code. */
  public static int run(Options options, PrintStream out) {
    int port = DashboardOptions.port(options, DashboardOptions.DEFAULT_PORT);
    boolean kafka = options.getFrom().equals("kafka");
    String source =
        kafka
            ? "Kafka topic " + options.getTopic().get(0) + " at " + options.getBootstrapServers()
            : "directory " + Paths.get(options.getFrom()).toAbsolutePath().normalize();
    DashboardState state = new DashboardState(source);
    try (DashboardServer server = DashboardServer.start(state, options.getUiHost(), port)) {
      out.println(server.announcement());
      out.println("Following the " + source + "; Ctrl-C stops.");
      out.flush();
      if (kafka) {
        followKafka(options, state);
      } else {
        followDirectory(Paths.get(options.getFrom()), state, out);
      }
    } catch (InterruptedException | InterruptException e) {
      // Stopped: the server is closed, the page goes with it.
    }
    return 0;
  }

  private static void followDirectory(Path directory, DashboardState state, PrintStream out)
      throws InterruptedException {
    DirectoryFollower follower = new DirectoryFollower(directory);
    if (!Files.isDirectory(directory)) {
      out.println("Waiting for " + directory + " to appear.");
      out.flush();
    }
    boolean finished = false;
    while (!Thread.currentThread().isInterrupted()) {
      List<String> lines = follower.poll();
      if (!lines.isEmpty()) {
        state.acceptAll(lines);
      }
      if (!finished && follower.finished()) {
        finished = true;
        state.finished("the run that wrote the directory finished (" + DirectoryFollower.SUCCESS + ")");
      }
      Thread.sleep(DIRECTORY_POLL_MILLIS);
    }
    throw new InterruptedException();
  }

  private static void followKafka(Options options, DashboardState state) {
    String topic = options.getTopic().get(0);
    Map<String, Object> config = KafkaClients.config(options.getBootstrapServers(), options.getKafkaProperty());
    List<TopicPartition> partitions = KafkaClients.partitionsOf(config, List.of(topic));
    try (KafkaConsumer<String, String> consumer = KafkaClients.committedTextConsumer(config, partitions)) {
      while (!Thread.currentThread().isInterrupted()) {
        List<String> lines = new ArrayList<>();
        for (ConsumerRecord<String, String> record : consumer.poll(java.time.Duration.ofMillis(200))) {
          if (record.value() != null) {
            lines.add(record.value());
          }
        }
        if (!lines.isEmpty()) {
          state.acceptAll(lines);
        }
      }
    }
  }
}
