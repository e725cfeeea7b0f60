package dev.windowpane.pipelines.generator;

import dev.windowpane.pipelines.cli.OptionValues;
import dev.windowpane.pipelines.cli.UsageException;
import java.io.Serializable;
import java.util.OptionalLong;
import org.joda.time.Duration;

/** The generator options, parsed and validated: seed, event clock and where the stream ends. */
public final class GeneratorSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long seed;
  private final EventClock clock;
  private final Long maxEvents;

  private GeneratorSettings(long seed, EventClock clock, Long maxEvents) {
    this.seed = seed;
    this.clock = clock;
    this.maxEvents = maxEvents;
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
    return new GeneratorSettings(options.getSeed(), clock, options.getMaxEvents());
  }

  public static GeneratorSettings of(long seed, EventClock clock, Long maxEvents) {
    return new GeneratorSettings(seed, clock, maxEvents);
  }

  public long seed() {
    return seed;
  }

  public EventClock clock() {
    return clock;
  }

  /** The number of events before the stream ends; empty when it never ends. */
  public OptionalLong maxEvents() {
    return maxEvents == null ? OptionalLong.empty() : OptionalLong.of(maxEvents);
  }
}
