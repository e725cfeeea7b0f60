package org.apache.beam.sdk.io.kafka;

/**
 * Reaches {@code KafkaIO.ReadSourceDescriptors#withTimestampPolicyFactory}, which Beam 2.62 keeps
 * package-private although {@code KafkaIO.read()} hands its public counterpart to it: the one way to
 * read given start and stop offsets (exact backfills, replays) with a watermark computed per
 * partition from the records' event time and the partition's backlog ({@link
 * TimestampPolicy.PartitionContext}), the watermark a quiet partition needs. windowpane's own code;
 * in this package for that access only.
 */
public final class TimestampPolicies {
  private TimestampPolicies() {}

  /** {@code read} with {@code factory} computing each record's timestamp and each partition's watermark. */
  public static <K, V> KafkaIO.ReadSourceDescriptors<K, V> withTimestampPolicyFactory(
      KafkaIO.ReadSourceDescriptors<K, V> read, TimestampPolicyFactory<K, V> factory) {
    return read.withTimestampPolicyFactory(factory);
  }
}
