package dev.windowpane.pipelines.io;

import dev.windowpane.transforms.json.InvalidEventException;
import dev.windowpane.transforms.json.Json;
import dev.windowpane.transforms.json.JsonEventParser;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.common.TopicPartition;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Event time and watermark of a Kafka partition whose record values are JSON events: a record's
 * timestamp is its event's event time (the pipeline's own parser reads it), and the partition's
 * watermark is the newest event time read minus {@code maxOutOfOrderness}, so a record up to that
 * much older than the newest is on time and an older one is late (Beam's windowing then decides
 * whether it still counts). A partition read to its end (no backlog) that got no record for {@code
 * idleness} of wall time is idle: its watermark follows the wall clock minus {@code
 * maxOutOfOrderness}, so that it does not hold back the windows of the others. A record that is
 * not a valid event is stamped with the newest event time of its partition (never behind the
 * watermark, and it moves nothing); it becomes a dead letter downstream.
 *
 * <p>KafkaIO's splittable read creates a policy each time it resumes a partition; the partition's
 * clock lives on in this factory's worker-local map, and a new worker (after a restore) starts from
 * the watermark Beam restored.
 */
final class EventTimePolicyFactory<T> implements TimestampPolicyFactory<String, String> {
  private static final long serialVersionUID = 1L;

  private final JsonEventParser<T> parser;
  private final SerializableFunction<T, Instant> eventTime;
  private final Duration maxOutOfOrderness;
  private final Duration idleness;
  private transient @Nullable Map<TopicPartition, PartitionClock> clocks;

  EventTimePolicyFactory(
      JsonEventParser<T> parser, SerializableFunction<T, Instant> eventTime, Duration maxOutOfOrderness, Duration idleness) {
    this.parser = parser;
    this.eventTime = eventTime;
    this.maxOutOfOrderness = maxOutOfOrderness;
    this.idleness = idleness;
  }

  @Override
  public synchronized TimestampPolicy<String, String> createTimestampPolicy(
      TopicPartition partition, Optional<Instant> previousWatermark) {
    if (clocks == null) {
      clocks = new ConcurrentHashMap<>();
    }
    PartitionClock clock =
        clocks.computeIfAbsent(
            partition, p -> new PartitionClock(previousWatermark.orElse(BoundedWindow.TIMESTAMP_MIN_VALUE)));
    return new Policy(clock);
  }

  /** What a partition's watermark is computed from; one thread reads a partition at a time. */
  private static final class PartitionClock {
    volatile Instant watermark;
    volatile @Nullable Instant newestEventTime;
    volatile long lastRecordNanos = System.nanoTime();

    PartitionClock(Instant watermark) {
      this.watermark = watermark;
    }
  }

  private final class Policy extends TimestampPolicy<String, String> {
    private final PartitionClock clock;

    Policy(PartitionClock clock) {
      this.clock = clock;
    }

    @Override
    public Instant getTimestampForRecord(PartitionContext context, KafkaRecord<String, String> record) {
      Instant time = eventTimeOf(record.getKV().getValue());
      if (time == null) {
        Instant newest = clock.newestEventTime;
        return newest == null ? clock.watermark : newest;
      }
      clock.lastRecordNanos = System.nanoTime();
      Instant newest = clock.newestEventTime;
      if (newest == null || time.isAfter(newest)) {
        clock.newestEventTime = time;
      }
      return time;
    }

    @Override
    public Instant getWatermark(PartitionContext context) {
      Instant watermark = clock.watermark;
      Instant newest = clock.newestEventTime;
      if (newest != null) {
        watermark = latest(watermark, newest.minus(maxOutOfOrderness));
      }
      long quietNanos = System.nanoTime() - clock.lastRecordNanos;
      if (context.getMessageBacklog() == 0 && quietNanos > idleness.getMillis() * 1_000_000L) {
        watermark = latest(watermark, context.getBacklogCheckTime().minus(maxOutOfOrderness));
      }
      clock.watermark = watermark;
      return watermark;
    }
  }

  private @Nullable Instant eventTimeOf(@Nullable String value) {
    if (value == null) {
      return null;
    }
    try {
      T event = parser.parse(Json.readObject(value));
      return event == null ? null : eventTime.apply(event);
    } catch (InvalidEventException | RuntimeException e) {
      return null;
    }
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
