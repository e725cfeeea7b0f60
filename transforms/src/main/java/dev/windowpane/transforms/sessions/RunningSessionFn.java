package dev.windowpane.transforms.sessions;

import dev.windowpane.transforms.state.MapWithState;
import dev.windowpane.transforms.state.StateHandle;
import java.util.Optional;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * A {@link MapWithState.MappingFunction} keeping each key's current session in arrival order and
 * emitting it, updated, for every event: an event joins the current session when it lies less than
 * the gap from it (after {@code first - gap}, before {@code last + gap}), otherwise it starts a new
 * session that replaces the current one. It never merges sessions and a late event cannot reopen a
 * dropped one; Beam's session windows ({@link SessionSummaries}) give the final summaries. Use it
 * with a timeout of the gap so a key's session ends when it falls idle (the timeout call emits
 * nothing). Cost: O(1) per event.
 */
public final class RunningSessionFn<K>
    implements MapWithState.MappingFunction<
        K, TimestampedValue<Double>, SessionSummary, KV<K, SessionSummary>> {
  private static final long serialVersionUID = 1L;

  private final Duration gap;

  private RunningSessionFn(Duration gap) {
    this.gap = gap;
  }

  /** Sessions that end after {@code gap} without events. */
  public static <K> RunningSessionFn<K> withGap(Duration gap) {
    SessionSummaries.checkGap(gap);
    return new RunningSessionFn<>(gap);
  }

  @Override
  public Optional<KV<K, SessionSummary>> apply(
      K key, Optional<TimestampedValue<Double>> event, StateHandle<SessionSummary> session) {
    if (session.isTimingOut()) {
      return Optional.empty();
    }
    double value = event.get().getValue();
    Instant time = event.get().getTimestamp();
    SessionSummary updated =
        session.exists() && joins(session.get(), time)
            ? session.get().plus(value, time)
            : SessionSummary.ofEvent(value, time);
    session.update(updated);
    return Optional.of(KV.of(key, updated));
  }

  private boolean joins(SessionSummary session, Instant time) {
    return time.isBefore(session.last().plus(gap)) && time.plus(gap).isAfter(session.first());
  }
}
