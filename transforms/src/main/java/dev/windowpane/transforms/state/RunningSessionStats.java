package dev.windowpane.transforms.state;

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
 * dropped one; Beam's session windows ({@link SessionStatistics}) give the final summaries. Use it
 * with a timeout of the gap so a key's session ends when it falls idle (the timeout call emits
 * nothing). Cost: O(1) per event.
 */
public final class RunningSessionStats<K>
    implements MapWithState.MappingFunction<
        K, TimestampedValue<Double>, SessionStats, KV<K, SessionStats>> {
  private static final long serialVersionUID = 1L;

  private final Duration gap;

  private RunningSessionStats(Duration gap) {
    this.gap = gap;
  }

  /** Sessions that end after {@code gap} without events. */
  public static <K> RunningSessionStats<K> withGap(Duration gap) {
    SessionStatistics.checkGap(gap);
    return new RunningSessionStats<>(gap);
  }

  @Override
  public Optional<KV<K, SessionStats>> apply(
      K key, Optional<TimestampedValue<Double>> event, StateHandle<SessionStats> session) {
    if (session.isTimingOut()) {
      return Optional.empty();
    }
    double value = event.get().getValue();
    Instant time = event.get().getTimestamp();
    SessionStats updated =
        session.exists() && joins(session.get(), time)
            ? session.get().plus(value, time)
            : SessionStats.ofEvent(value, time);
    session.update(updated);
    return Optional.of(KV.of(key, updated));
  }

  private boolean joins(SessionStats session, Instant time) {
    return time.isBefore(session.last().plus(gap)) && time.plus(gap).isAfter(session.first());
  }
}
