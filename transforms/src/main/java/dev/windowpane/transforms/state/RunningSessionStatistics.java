package dev.windowpane.transforms.state;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Reify;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * For every event, the {@link SessionStats} of its key's current session as it stands in arrival
 * order (Spark's {@code mapWithState} view, see {@link RunningSessionStats}): the running
 * counterpart of {@link SessionStatistics}, which gives the final summaries. Each update is emitted
 * at its event's timestamp; a key's session is dropped when the watermark passes its latest event
 * time plus the gap. Apply it to input in the global window (state is per key and window). Cost: no
 * shuffle beyond Beam's keying of the stateful step, O(1) state reads and writes per event.
 */
public final class RunningSessionStatistics<K>
    extends PTransform<PCollection<KV<K, Double>>, PCollection<KV<K, SessionStats>>> {
  private final Duration gap;

  private RunningSessionStatistics(Duration gap) {
    this.gap = gap;
  }

  /** Sessions that end after {@code gap} without events. */
  public static <K> RunningSessionStatistics<K> withGap(Duration gap) {
    SessionStatistics.checkGap(gap);
    return new RunningSessionStatistics<>(gap);
  }

  @Override
  public PCollection<KV<K, SessionStats>> expand(PCollection<KV<K, Double>> values) {
    Coder<K> keyCoder = SessionStatistics.keyCoder(values);
    return values
        .apply("CarryEventTime", Reify.timestampsInValue())
        .apply(
            "RunningSessionPerKey",
            MapWithState.of(RunningSessionStats.<K>withGap(gap))
                .withStateCoder(SessionStats.coder())
                .withOutputCoder(KvCoder.of(keyCoder, SessionStats.coder()))
                .withTimeout(gap))
        .outputs();
  }
}
