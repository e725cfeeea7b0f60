package dev.windowpane.pipelines.io;

import dev.windowpane.pipelines.cli.UsageException;
import dev.windowpane.pipelines.generator.EventKind;
import dev.windowpane.transforms.json.EventTimestamps;
import dev.windowpane.transforms.json.PositionedLine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaSourceDescriptor;
import org.apache.beam.sdk.io.kafka.TimestampPolicies;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The JSON lines of Kafka topics, each with its topic, partition and offset, stamped with its
 * event's event time ({@link EventTimePolicyFactory}: the watermark trails the newest event time of
 * each partition by {@code --maxOutOfOrderness} and follows the wall clock on an idle partition).
 * Only committed records are read ({@code isolation.level=read_committed}).
 *
 * <p>Where each partition starts is decided when the pipeline is built: at the {@code --groupId}'s
 * committed offset, the earliest or the latest ({@code --startOffsets}), or at the first record
 * written at or after {@code --startReadTime} (a partition with none starts at its end); with
 * {@code --stopAtEnd} each partition ends at the end offset it has then, and the input is done once
 * all are read. Positions live in Beam's state (KafkaIO's splittable read keeps each partition's
 * offset range as its restriction), so a pipeline restored from a checkpoint resumes from the
 * checkpointed offsets, neither from the committed ones nor from the start. With {@code --groupId}
 * the offsets read are committed to the group when the runner finalizes the checkpoint that holds
 * them (Beam's bundle finalization), for monitoring and for the next new run.
 *
 * <p>Cost: one consumer per partition read; one JSON parse per record for its event time.
 */
public final class ReadKafkaLines<T> extends PTransform<PBegin, PCollection<PositionedLine>> {
  private final EventKind<T> kind;
  private final Map<String, Object> config;
  private final List<String> topics;
  private final @Nullable String groupId;
  private final String startOffsets;
  private final @Nullable Instant startReadTime;
  private final boolean stopAtEnd;
  private final Duration maxOutOfOrderness;
  private final Duration idleness;

  private ReadKafkaLines(EventKind<T> kind, KafkaOptions options) {
    this.kind = kind;
    this.config = KafkaClients.config(options);
    this.topics = options.getTopic();
    this.groupId = options.getGroupId();
    this.startOffsets = options.getStartOffsets();
    this.startReadTime = options.getStartReadTime() == null ? null : parseInstant(options.getStartReadTime());
    this.stopAtEnd = options.getStopAtEnd();
    this.maxOutOfOrderness = dev.windowpane.transforms.time.Durations.parse(options.getMaxOutOfOrderness());
    this.idleness = dev.windowpane.transforms.time.Durations.parse(options.getPartitionIdleness());
  }

  /** The records of {@code kind} on the topics {@code options} name. */
  public static <T> ReadKafkaLines<T> of(EventKind<T> kind, KafkaOptions options) {
    return new ReadKafkaLines<>(kind, options);
  }

  private static Instant parseInstant(String text) {
    try {
      return EventTimestamps.parse(com.fasterxml.jackson.databind.node.TextNode.valueOf(text));
    } catch (dev.windowpane.transforms.json.InvalidEventException e) {
      throw new UsageException("Option --startReadTime=" + text + " is not an instant such as 2025-11-25T10:00:00Z.");
    }
  }

  @Override
  public PCollection<PositionedLine> expand(PBegin begin) {
    Coder<KafkaSourceDescriptor> descriptorCoder;
    try {
      descriptorCoder = begin.getPipeline().getSchemaRegistry().getSchemaCoder(KafkaSourceDescriptor.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
    Map<String, Object> consumer = new HashMap<>(config);
    consumer.remove(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
    if (groupId != null) {
      consumer.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    }
    KafkaIO.ReadSourceDescriptors<String, String> read =
        KafkaIO.<String, String>readSourceDescriptors()
            .withBootstrapServers((String) config.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG))
            .withKeyDeserializer(StringDeserializer.class)
            .withValueDeserializer(StringDeserializer.class)
            .withConsumerConfigUpdates(consumer)
            .withReadCommitted();
    read =
        TimestampPolicies.withTimestampPolicyFactory(
            read, new EventTimePolicyFactory<>(kind.parser(), kind.eventTime(), maxOutOfOrderness, idleness));
    return begin
        // Impulse, not Create: a restored Impulse remembers that it fired (a restored bounded
        // source would hand out its elements again on Beam 2.62's Flink runner).
        .apply("Start", Impulse.create())
        .apply("Partitions", ParDo.of(new EmitPartitionsFn(descriptors())))
        .setCoder(descriptorCoder)
        .apply("ReadRecords", read)
        .apply("ToLines", ParDo.of(new ToLinesFn(groupId == null ? null : commitConfig())));
  }

  private Map<String, Object> commitConfig() {
    Map<String, Object> commit = KafkaClients.consumerConfig(config);
    commit.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    return commit;
  }

  /** Emits, once, where each partition is to be read from (and to). */
  private static final class EmitPartitionsFn extends DoFn<byte[], KafkaSourceDescriptor> {
    private final List<PartitionRange> ranges;

    EmitPartitionsFn(List<PartitionRange> ranges) {
      this.ranges = ranges;
    }

    @ProcessElement
    public void processElement(OutputReceiver<KafkaSourceDescriptor> out) {
      for (PartitionRange range : ranges) {
        out.output(KafkaSourceDescriptor.of(new TopicPartition(range.topic, range.partition), range.from, null, range.to, null, null));
      }
    }
  }

  /** Where a partition is read from (and, with --stopAtEnd, up to). */
  private static final class PartitionRange implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final String topic;
    final int partition;
    final long from;
    final @Nullable Long to;

    PartitionRange(TopicPartition partition, long from, @Nullable Long to) {
      this.topic = partition.topic();
      this.partition = partition.partition();
      this.from = from;
      this.to = to;
    }
  }

  /** Where each partition starts (and with --stopAtEnd ends), asked of the cluster now. */
  List<PartitionRange> descriptors() {
    List<TopicPartition> partitions = KafkaClients.partitionsOf(config, topics);
    Map<String, Object> lookup = KafkaClients.consumerConfig(config);
    if (groupId != null) {
      lookup.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    }
    List<PartitionRange> descriptors = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(lookup)) {
      Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      Map<TopicPartition, Long> start = new HashMap<>();
      if (startReadTime != null) {
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(p -> times.put(p, startReadTime.getMillis()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(times);
        for (TopicPartition partition : partitions) {
          OffsetAndTimestamp at = found.get(partition);
          // No record at or after the time: start at the end (KafkaIO's own lookup would throw).
          start.put(partition, at == null ? end.get(partition) : at.offset());
        }
      } else if (startOffsets.equals("earliest") || (startOffsets.equals("committed") && groupId == null)) {
        start.putAll(beginning);
      } else if (startOffsets.equals("latest")) {
        start.putAll(end);
      } else {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(partitions));
        for (TopicPartition partition : partitions) {
          OffsetAndMetadata offset = committed.get(partition);
          start.put(partition, offset == null ? beginning.get(partition)
              : Math.max(offset.offset(), beginning.get(partition)));
        }
      }
      for (TopicPartition partition : partitions) {
        long from = start.get(partition);
        Long to = stopAtEnd ? end.get(partition) : null;
        if (to != null && from >= to) {
          continue; // nothing to read in this partition before its end
        }
        descriptors.add(new PartitionRange(partition, from, to));
      }
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw KafkaClients.unreachable(config);
    }
    return descriptors;
  }

  /**
   * A record's value with its position (a record without a value is the empty line, a dead letter
   * downstream). With a group, commits the offsets each bundle read once the runner has finalized
   * the checkpoint that holds the bundle.
   */
  private static final class ToLinesFn extends DoFn<KafkaRecord<String, String>, PositionedLine> {
    private final Counter offsetCommitsFailed = Metrics.counter("windowpane", "kafkaOffsetCommitsFailed");
    private final @Nullable Map<String, Object> commitConfig;
    private transient @Nullable Map<TopicPartition, Long> bundleOffsets;
    private transient @Nullable KafkaConsumer<byte[], byte[]> committer;

    ToLinesFn(@Nullable Map<String, Object> commitConfig) {
      this.commitConfig = commitConfig;
    }

    @StartBundle
    public void startBundle() {
      bundleOffsets = new HashMap<>();
    }

    @ProcessElement
    public void processElement(
        @Element KafkaRecord<String, String> record, OutputReceiver<PositionedLine> out, BundleFinalizer finalizer) {
      String value = record.getKV().getValue();
      out.output(PositionedLine.of(record.getTopic(), record.getPartition(), record.getOffset(), value == null ? "" : value));
      if (commitConfig != null) {
        Map<TopicPartition, Long> offsets = bundleOffsets;
        if (offsets.isEmpty()) {
          finalizer.afterBundleCommit(
              Instant.now().plus(Duration.standardHours(1)), () -> commit(offsets));
        }
        offsets.merge(new TopicPartition(record.getTopic(), record.getPartition()), record.getOffset() + 1, Math::max);
      }
    }

    @FinishBundle
    public void finishBundle() {
      bundleOffsets = new HashMap<>();
    }

    private synchronized void commit(Map<TopicPartition, Long> offsets) {
      Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
      offsets.forEach((partition, next) -> commit.put(partition, new OffsetAndMetadata(next)));
      try {
        if (committer == null) {
          committer = new KafkaConsumer<>(commitConfig);
        }
        committer.commitSync(commit, java.time.Duration.ofSeconds(30));
      } catch (RuntimeException e) {
        // The positions that matter are in the checkpoint; a failed commit only leaves the group behind.
        offsetCommitsFailed.inc();
      }
    }

    @Teardown
    public synchronized void teardown() {
      if (committer != null) {
        committer.close(java.time.Duration.ofSeconds(5));
        committer = null;
      }
    }
  }
}
