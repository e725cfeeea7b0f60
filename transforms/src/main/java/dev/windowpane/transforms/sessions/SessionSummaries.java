package dev.windowpane.transforms.sessions;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Reify;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.Sessions;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;

/**
 * The {@link SessionSummary} of every session of every key in event time: a session is a run of a
 * key's events in which each gap between neighbours is shorter than the gap duration (Beam's {@code
 * Sessions} windows: an event covers {@code [t, t + gap)} and overlapping windows merge), whatever
 * order the events arrive in.
 *
 * <p>What the consumer sees: one summary per session when the watermark passes the session's end
 * ({@code last + gap}), in the session's window {@code [first, last + gap)} with an ON_TIME pane.
 * An event up to the allowed lateness behind the watermark fires again (a LATE pane) with the
 * complete, refined summary of its session; when it bridges two sessions they merge, and the merged
 * summary, in the merged window, replaces both earlier ones (for a key, a later summary whose
 * window covers earlier ones supersedes them). Events later than that are dropped by Beam.
 *
 * <p>Totals are exact and rounded once ({@link SessionSummary}): a replay, or the same events in
 * another order, gives the same bits. Values must be finite.
 *
 * <p>Cost: one shuffle of the events (Beam's grouping by key and window) and a combine per event
 * (one {@code BigDecimal} addition); state per open session is one accumulator: three numbers and
 * the exact total.
 */
public final class SessionSummaries<K>
    extends PTransform<PCollection<KV<K, Double>>, PCollection<KV<K, SessionSummary>>> {
  private final Duration gap;
  private final Duration allowedLateness;

  private SessionSummaries(Duration gap, Duration allowedLateness) {
    this.gap = gap;
    this.allowedLateness = allowedLateness;
  }

  /** Sessions that end after {@code gap} without events; late events are dropped. */
  public static <K> SessionSummaries<K> withGap(Duration gap) {
    checkGap(gap);
    return new SessionSummaries<>(gap, Duration.ZERO);
  }

  /** Also accepts events up to {@code lateness} behind the watermark, re-emitting their session. */
  public SessionSummaries<K> withAllowedLateness(Duration lateness) {
    if (lateness == null || lateness.getMillis() < 0) {
      throw new IllegalArgumentException(
          "The allowed lateness must not be negative, got " + lateness + ".");
    }
    return new SessionSummaries<>(gap, lateness);
  }

  @Override
  public PCollection<KV<K, SessionSummary>> expand(PCollection<KV<K, Double>> values) {
    Coder<K> keyCoder = keyCoder(values);
    return values
        .apply("CarryEventTime", Reify.timestampsInValue())
        .apply("SessionWindows", sessionWindows())
        .apply("SummariseSessions", Combine.perKey(new SessionSummaryFn()))
        .setCoder(KvCoder.of(keyCoder, SessionSummary.coder()));
  }

  private Window<KV<K, TimestampedValue<Double>>> sessionWindows() {
    return Window.<KV<K, TimestampedValue<Double>>>into(Sessions.withGapDuration(gap))
        .triggering(
            AfterWatermark.pastEndOfWindow().withLateFirings(AfterPane.elementCountAtLeast(1)))
        .withAllowedLateness(allowedLateness)
        .accumulatingFiredPanes();
  }

  static <K> Coder<K> keyCoder(PCollection<KV<K, Double>> values) {
    if (!(values.getCoder() instanceof KvCoder)) {
      throw new IllegalArgumentException(
          "Session statistics need their input encoded with a KvCoder, got "
              + values.getCoder()
              + ".");
    }
    return ((KvCoder<K, Double>) values.getCoder()).getKeyCoder();
  }

  static void checkGap(Duration gap) {
    if (gap == null || gap.getMillis() <= 0) {
      throw new IllegalArgumentException("The session gap must be positive, got " + gap + ".");
    }
  }
}
