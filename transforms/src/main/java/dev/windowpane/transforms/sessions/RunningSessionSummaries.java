package dev.windowpane.transforms.sessions;

import dev.windowpane.transforms.state.MapWithState;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Reify;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * For every event, the {@link SessionSummary} of its key's current session as it stands in arrival
 * order (Spark's {@code mapWithState} view, see {@link RunningSessionFn}): the running
 * counterpart of {@link SessionSummaries}, which gives the final summaries. Each update is emitted
 * at its event's timestamp; a key's session is dropped when the watermark passes its latest event
 * time plus the gap. Apply it to input in the global window (state is per key and window). Cost: no
 * shuffle beyond Beam's keying of the stateful step, O(1) state reads and writes per event.
 */
public final class RunningSessionSummaries<K>
    extends PTransform<PCollection<KV<K, Double>>, PCollection<KV<K, SessionSummary>>> {
  private final Duration gap;

  private RunningSessionSummaries(Duration gap) {
    this.gap = gap;
  }

  /** Sessions that end after {@code gap} without events. */
  public static <K> RunningSessionSummaries<K> withGap(Duration gap) {
    SessionSummaries.checkGap(gap);
    return new RunningSessionSummaries<>(gap);
  }

  @Override
  public PCollection<KV<K, SessionSummary>> expand(PCollection<KV<K, Double>> values) {
    Coder<K> keyCoder = SessionSummaries.keyCoder(values);
    return values
        .apply("CarryEventTime", Reify.timestampsInValue())
        .apply(
            "RunningSessionPerKey",
            MapWithState.of(RunningSessionFn.<K>withGap(gap))
                .withStateCoder(SessionSummary.coder())
                .withOutputCoder(KvCoder.of(keyCoder, SessionSummary.coder()))
                .withTimeout(gap))
        .outputs();
  }
}
