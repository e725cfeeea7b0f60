package dev.windowpane.pipelines.io;

import dev.windowpane.pipelines.cli.LoggingOptions;
import dev.windowpane.pipelines.cli.UsageException;
import java.util.List;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** The cluster and topic of {@code produce} and {@code consume}. */
@Description("Kafka")
public interface KafkaToolOptions extends LoggingOptions {
  @Description("The Kafka cluster: HOST:PORT[,HOST:PORT...].")
  @Validation.Required
  String getBootstrapServers();

  void setBootstrapServers(String value);

  @Description("The topic.")
  @Validation.Required
  List<String> getTopic();

  void setTopic(List<String> value);

  @Description(
      "A Kafka client property NAME=VALUE (e.g. security.protocol=SASL_SSL); repeatable. Values of"
          + " names with password, secret, jaas or token are never printed.")
  List<String> getKafkaProperty();

  void setKafkaProperty(List<String> value);

  /** The one topic named; several are refused. */
  static String topic(KafkaToolOptions options) {
    if (options.getTopic().size() != 1 || options.getTopic().get(0).isBlank()) {
      throw new UsageException("Option --topic names one topic here, got " + options.getTopic().size() + ".");
    }
    return options.getTopic().get(0);
  }
}
