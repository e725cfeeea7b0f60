package dev.windowpane.pipelines.generator;

import java.io.Serializable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The generator's event time: event {@code i} happens at {@code origin + i * spacing}, so event time
 * follows only from the position in the sequence, never from the wall clock.
 */
public final class EventClock implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long originMillis;
  private final long spacingMillis;

  private EventClock(long originMillis, long spacingMillis) {
    this.originMillis = originMillis;
    this.spacingMillis = spacingMillis;
  }

  public static EventClock of(Instant origin, Duration spacing) {
    if (spacing.getMillis() < 1) {
      throw new IllegalArgumentException("The event spacing must be at least 1ms, got " + spacing + ".");
    }
    return new EventClock(origin.getMillis(), spacing.getMillis());
  }

  /** The event time of event {@code index}. */
  public Instant timeOf(long index) {
    return new Instant(originMillis + index * spacingMillis);
  }

  public Instant origin() {
    return new Instant(originMillis);
  }

  public Duration spacing() {
    return Duration.millis(spacingMillis);
  }

  /** How many times faster than the wall clock event time runs at {@code eventsPerSecond}. */
  public double speedUp(long eventsPerSecond) {
    return eventsPerSecond * spacingMillis / 1000.0;
  }
}
