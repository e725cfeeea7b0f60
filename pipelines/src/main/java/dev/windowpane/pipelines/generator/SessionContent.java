package dev.windowpane.pipelines.generator;

import dev.windowpane.pipelines.events.SessionEvent;
import java.util.SplittableRandom;
import org.joda.time.Instant;

/**
 * Synthetic session events for 100 keys "s-0".."s-99": each key is active for 3000 consecutive
 * positions of the sequence, then silent for 3000 (staggered across keys, so half are active at
 * any time), so sessions form and end: an active key sees an event about every 50 positions, and
 * a silence lasts 3000 positions (with the default 300ms spacing: about every 15 seconds of event
 * time, and 15 minutes of silence). Values 0.01..100.00.
 */
final class SessionContent implements EventContent<SessionEvent> {
  private static final long serialVersionUID = 1L;
  static final int KEYS = 100;
  static final int ACTIVE = 3000;
  static final int CYCLE = 2 * ACTIVE;

  @Override
  public SessionEvent event(long seed, long index, Instant eventTime) {
    SplittableRandom random = EventRandom.of(seed, index);
    int key = random.nextInt(KEYS);
    while (!isActive(key, index)) {
      key = random.nextInt(KEYS);
    }
    double value = (1 + random.nextInt(10_000)) / 100.0;
    return SessionEvent.of(eventTime, "s-" + key, value);
  }

  /** Whether {@code key} is in an active run at position {@code index}; half the keys always are. */
  static boolean isActive(int key, long index) {
    long phase = Math.floorMod(index + (long) key * (CYCLE / KEYS), CYCLE);
    return phase < ACTIVE;
  }
}
