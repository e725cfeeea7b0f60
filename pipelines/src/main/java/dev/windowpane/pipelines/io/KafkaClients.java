package dev.windowpane.pipelines.io;

import dev.windowpane.pipelines.cli.UsageException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The Kafka client settings every windowpane client shares (the pipelines' sources and sinks,
 * {@code produce}, {@code consume}): the bootstrap servers and the user's {@code --kafkaProperty}
 * values, whose secrets ({@link #isSecret}) are never shown; and the few admin steps a pipeline
 * takes before it starts (its topics' partitions, creating an output topic).
 */
public final class KafkaClients {
  private static final long ADMIN_TIMEOUT_SECONDS = 30;

  private KafkaClients() {}

  /** Whether a property's value is a secret: its name contains password, secret, jaas or token. */
  public static boolean isSecret(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.contains("password") || lower.contains("secret") || lower.contains("jaas") || lower.contains("token");
  }

  /** {@code --kafkaProperty} values {@code NAME=VALUE} as a map, in order; a malformed one is refused naming only its name. */
  public static Map<String, String> properties(@Nullable List<String> values) {
    Map<String, String> properties = new LinkedHashMap<>();
    if (values == null) {
      return properties;
    }
    for (String value : values) {
      int eq = value.indexOf('=');
      if (eq <= 0) {
        String shown = isSecret(value) ? value.replaceAll("=.*", "") + "=******" : value;
        throw new UsageException("Option --kafkaProperty=" + shown + " is not NAME=VALUE, e.g. --kafkaProperty=security.protocol=SASL_SSL.");
      }
      properties.put(value.substring(0, eq).trim(), value.substring(eq + 1));
    }
    return properties;
  }

  /** {@code values} with every secret's value replaced by {@code ******}, for showing. */
  public static @Nullable List<String> redacted(@Nullable List<String> values) {
    if (values == null) {
      return null;
    }
    List<String> shown = new ArrayList<>();
    for (String value : values) {
      int eq = value.indexOf('=');
      shown.add(eq > 0 && isSecret(value.substring(0, eq)) ? value.substring(0, eq) + "=******" : value);
    }
    return shown;
  }

  /** The client configuration: the bootstrap servers and the user's properties. */
  public static Map<String, Object> config(String bootstrapServers, @Nullable List<String> kafkaProperties) {
    Map<String, Object> config = new HashMap<>();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.putAll(properties(kafkaProperties));
    return config;
  }

  /** The configuration of {@code options}' cluster. */
  public static Map<String, Object> config(KafkaOptions options) {
    return config(options.getBootstrapServers(), options.getKafkaProperty());
  }

  /**
   * Every partition of {@code topics}, in topic then partition order; a topic that does not exist
   * is refused in one sentence, as is a cluster that does not answer.
   */
  public static List<TopicPartition> partitionsOf(Map<String, Object> config, Collection<String> topics) {
    Map<String, Object> consumer = consumerConfig(config);
    List<TopicPartition> partitions = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> client = new KafkaConsumer<>(consumer)) {
      Map<String, List<PartitionInfo>> all = client.listTopics(java.time.Duration.ofSeconds(ADMIN_TIMEOUT_SECONDS));
      for (String topic : topics) {
        List<PartitionInfo> infos = all.get(topic);
        if (infos == null || infos.isEmpty()) {
          throw new UsageException(
              "Topic " + topic + " does not exist on " + config.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
                  + " (its topics: " + (all.isEmpty() ? "none" : String.join(", ", new java.util.TreeSet<>(all.keySet()))) + ").");
        }
        infos.stream().map(info -> new TopicPartition(topic, info.partition()))
            .sorted(java.util.Comparator.comparingInt(TopicPartition::partition))
            .forEach(partitions::add);
      }
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw unreachable(config);
    } catch (org.apache.kafka.common.KafkaException e) {
      // A client the given properties cannot make (a bad JAAS line, an unknown protocol, ...).
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String message = String.valueOf(root.getMessage());
      for (Map.Entry<String, Object> property : config.entrySet()) {
        String value = String.valueOf(property.getValue());
        if (isSecret(property.getKey()) && !value.isEmpty()) {
          message = message.replace(value, "******");
        }
      }
      throw new UsageException("The Kafka client cannot be set up with these --kafkaProperty values: " + message + ".");
    }
    return partitions;
  }

  /** A consumer configuration for metadata and offset lookups: no group unless given, bytes in. */
  public static Map<String, Object> consumerConfig(Map<String, Object> config) {
    Map<String, Object> consumer = new HashMap<>(config);
    consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumer.putIfAbsent(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
    consumer.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    return consumer;
  }

  /**
   * A consumer of {@code partitions} from their beginning, of committed records only ({@code
   * read_committed}: a transaction's records appear once it commits, never those of an aborted
   * one), as text, without a group.
   */
  public static KafkaConsumer<String, String> committedTextConsumer(
      Map<String, Object> config, List<TopicPartition> partitions) {
    Map<String, Object> consumerConfig = consumerConfig(config);
    consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig);
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return consumer;
  }

  /** Creates {@code topics} that do not exist yet (the cluster's default partitions and replication). */
  public static void ensureTopics(Map<String, Object> config, Set<String> topics) {
    try (Admin admin = Admin.create(adminConfig(config))) {
      Set<String> existing = admin.listTopics().names().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      List<NewTopic> missing =
          topics.stream().filter(topic -> !existing.contains(topic))
              .map(topic -> new NewTopic(topic, java.util.Optional.empty(), java.util.Optional.empty()))
              .collect(Collectors.toList());
      if (!missing.isEmpty()) {
        try {
          admin.createTopics(missing).all().get(ADMIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
    } catch (TimeoutException e) {
      throw unreachable(config);
    } catch (ExecutionException e) {
      throw new UsageException("Kafka at " + config.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
          + " refused to create " + String.join(", ", topics) + ": " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating Kafka topics.", e);
    }
  }

  static Map<String, Object> adminConfig(Map<String, Object> config) {
    Map<String, Object> admin = new HashMap<>();
    for (Map.Entry<String, Object> entry : config.entrySet()) {
      if (AdminClientConfig.configNames().contains(entry.getKey())) {
        admin.put(entry.getKey(), entry.getValue());
      }
    }
    admin.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
    admin.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    return admin;
  }

  static UsageException unreachable(Map<String, Object> config) {
    return new UsageException(
        "No Kafka broker answered at " + config.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG) + " within "
            + ADMIN_TIMEOUT_SECONDS + " s: check --bootstrapServers (make kafka-up starts one on 127.0.0.1:9092).");
  }
}
