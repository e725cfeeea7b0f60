package dev.windowpane.pipelines.generator;

import dev.windowpane.pipelines.cli.OptionValues;
import dev.windowpane.pipelines.cli.UsageException;
import java.io.Serializable;
import java.util.OptionalLong;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The generator options, parsed and validated: seed, event clock, where the stream ends, and which
 * events arrive late.
 *
 * <p>Event {@code i} has its place {@code clock.timeOf(i)} in the sequence, which the generator's
 * watermark follows. With a late percentage P above 0, event {@code i} is late with probability
 * P% (decided from (seed, i) alone): its event time is then {@code clock.timeOf(i) - lateBy}, so
 * it arrives behind the watermark.
 */
public final class GeneratorSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long seed;
  private final EventClock clock;
  private final Long maxEvents;
  private final int latePercent;
  private final long lateByMillis;

  private GeneratorSettings(long seed, EventClock clock, Long maxEvents, int latePercent, long lateByMillis) {
    this.seed = seed;
    this.clock = clock;
    this.maxEvents = maxEvents;
    this.latePercent = latePercent;
    this.lateByMillis = lateByMillis;
  }

  /** Validates {@code options}; a bad value is a {@link UsageException}. */
  public static GeneratorSettings from(GeneratorOptions options) {
    if (options.getSeed() == null) {
      throw new UsageException("Option --seed needs a value.");
    }
    Duration spacing = OptionValues.duration("eventSpacing", options.getEventSpacing());
    if (spacing.getMillis() < 1) {
      throw new UsageException(
          "Option --eventSpacing must be at least 1ms, got " + options.getEventSpacing() + ".");
    }
    EventClock clock =
        EventClock.of(OptionValues.instant("eventTimeOrigin", options.getEventTimeOrigin()), spacing);
    if (options.getMaxEvents() != null) {
      OptionValues.atLeast("maxEvents", options.getMaxEvents(), 1);
    }
    Integer latePercent = options.getLatePercent();
    if (latePercent == null || latePercent < 0 || latePercent > 100) {
      throw new UsageException(
          "Option --latePercent must be between 0 and 100, got " + latePercent + ".");
    }
    Duration lateBy = OptionValues.duration("lateBy", options.getLateBy());
    if (latePercent > 0 && lateBy.getMillis() == 0) {
      throw new UsageException(
          "Option --lateBy must be longer than 0 when --latePercent is above 0, got "
              + options.getLateBy() + ".");
    }
    return new GeneratorSettings(
        options.getSeed(), clock, options.getMaxEvents(), latePercent, latePercent > 0 ? lateBy.getMillis() : 0);
  }

  /** Settings without late events. */
  public static GeneratorSettings of(long seed, EventClock clock, Long maxEvents) {
    return new GeneratorSettings(seed, clock, maxEvents, 0, 0);
  }

  /** These settings with {@code percent}% of the events late by {@code lateBy}. */
  public GeneratorSettings withLateEvents(int percent, Duration lateBy) {
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("The late percentage must be between 0 and 100, got " + percent + ".");
    }
    if (percent > 0 && lateBy.getMillis() <= 0) {
      throw new IllegalArgumentException("Late events must be late by more than 0, got " + lateBy + ".");
    }
    return new GeneratorSettings(seed, clock, maxEvents, percent, percent > 0 ? lateBy.getMillis() : 0);
  }

  public long seed() {
    return seed;
  }

  /** The sequence's clock: event {@code i}'s place, which the generator's watermark follows. */
  public EventClock clock() {
    return clock;
  }

  /** The number of events before the stream ends; empty when it never ends. */
  public OptionalLong maxEvents() {
    return maxEvents == null ? OptionalLong.empty() : OptionalLong.of(maxEvents);
  }

  /** The percentage of late events, 0 to 100. */
  public int latePercent() {
    return latePercent;
  }

  /** How far a late event's event time is behind its place in the sequence (zero without late events). */
  public Duration lateBy() {
    return Duration.millis(lateByMillis);
  }

  /** Whether some events are late. */
  public boolean hasLateEvents() {
    return latePercent > 0;
  }

  /** Whether event {@code index} is late: with probability latePercent%, from (seed, index) alone. */
  public boolean isLate(long index) {
    return latePercent > 0 && EventRandom.lateness(seed, index).nextInt(100) < latePercent;
  }

  /** The event time of event {@code index}: its place in the sequence, minus lateBy when it is late. */
  public Instant eventTime(long index) {
    Instant place = clock.timeOf(index);
    return isLate(index) ? place.minus(Duration.millis(lateByMillis)) : place;
  }

  /** Event {@code index} of {@code kind}, at its event time: what a pipeline and generate see. */
  public <T> T event(EventKind<T> kind, long index) {
    return kind.generate(seed, index, eventTime(index));
  }
}
