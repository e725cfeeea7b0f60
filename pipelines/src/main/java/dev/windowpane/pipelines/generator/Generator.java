package dev.windowpane.pipelines.generator;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.windowpane.transforms.json.EventTimestamps;
import dev.windowpane.transforms.json.InvalidEventException;
import dev.windowpane.transforms.time.Durations;
import java.io.Serializable;
import java.util.OptionalLong;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The built-in generator's stream, a value: event {@code i} has its place {@code origin + i *
 * spacing} in the sequence, which the generator's watermark follows, and its content is a pure
 * function of (seed, i), so event time never depends on the wall clock. With a late percentage P
 * above 0, event {@code i} is late with probability P% (decided from (seed, i) alone): its event
 * time is then {@code lateBy} before its place, so it arrives behind the watermark. The stream ends
 * after {@code maxEvents} when there is a bound, and its watermark after {@link #places}.
 */
public final class Generator implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long seed;
  private final long originMillis;
  private final long spacingMillis;
  private final Long maxEvents;
  private final int latePercent;
  private final long lateByMillis;

  private Generator(
      long seed, long originMillis, long spacingMillis, Long maxEvents, int latePercent, long lateByMillis) {
    this.seed = seed;
    this.originMillis = originMillis;
    this.spacingMillis = spacingMillis;
    this.maxEvents = maxEvents;
    this.latePercent = latePercent;
    this.lateByMillis = lateByMillis;
  }

  /** The stream {@code options} describe (validated by {@link GeneratorOptions#validate}). */
  public static Generator from(GeneratorOptions options) {
    Generator generator =
        of(
            options.getSeed(),
            instant(options.getEventTimeOrigin()),
            Durations.parse(options.getEventSpacing()));
    if (options.getMaxEvents() != null) {
      generator = generator.withMaxEvents(options.getMaxEvents());
    }
    return options.getLatePercent() > 0
        ? generator.withLateEvents(options.getLatePercent(), Durations.parse(options.getLateBy()))
        : generator;
  }

  private static Instant instant(String value) {
    try {
      return EventTimestamps.parse(TextNode.valueOf(value));
    } catch (InvalidEventException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** The unbounded stream with {@code seed}, event {@code i} at {@code origin + i * spacing}, none late. */
  public static Generator of(long seed, Instant origin, Duration spacing) {
    if (spacing.getMillis() < 1) {
      throw new IllegalArgumentException("The event spacing must be at least 1ms, got " + spacing + ".");
    }
    return new Generator(seed, origin.getMillis(), spacing.getMillis(), null, 0, 0);
  }

  /** This stream ending after {@code count} events. */
  public Generator withMaxEvents(long count) {
    if (count < 1) {
      throw new IllegalArgumentException("A generated stream has at least 1 event, got " + count + ".");
    }
    return new Generator(seed, originMillis, spacingMillis, count, latePercent, lateByMillis);
  }

  /** This stream with {@code percent}% of the events late by {@code lateBy}. */
  public Generator withLateEvents(int percent, Duration lateBy) {
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("The late percentage must be between 0 and 100, got " + percent + ".");
    }
    if (percent > 0 && lateBy.getMillis() <= 0) {
      throw new IllegalArgumentException("Late events must be late by more than 0, got " + lateBy + ".");
    }
    return new Generator(seed, originMillis, spacingMillis, maxEvents, percent, percent > 0 ? lateBy.getMillis() : 0);
  }

  public long seed() {
    return seed;
  }

  /** The place of event {@code index} in the sequence, which the generator's watermark follows. */
  public Instant placeOf(long index) {
    return new Instant(originMillis + index * spacingMillis);
  }

  public Instant origin() {
    return new Instant(originMillis);
  }

  public Duration spacing() {
    return Duration.millis(spacingMillis);
  }

  /** The number of events before the stream ends; empty when it never ends. */
  public OptionalLong maxEvents() {
    return maxEvents == null ? OptionalLong.empty() : OptionalLong.of(maxEvents);
  }

  /**
   * How many places the watermark passes before a stream with a bound ends: {@code maxEvents}, and
   * with late events as many more as {@code lateBy} spans (rounded up), at which no event is read.
   * So the last late events arrive {@code lateBy} behind the watermark as every other late event
   * does, and not behind a watermark that has jumped to the end of time because the stream ended
   * right after them. Empty when the stream never ends.
   */
  public OptionalLong places() {
    if (maxEvents == null) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(maxEvents + (lateByMillis + spacingMillis - 1) / spacingMillis);
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
    return latePercent > 0 && EventContent.Draws.lateness(seed, index).nextInt(100) < latePercent;
  }

  /** The event time of event {@code index}: its place in the sequence, minus lateBy when it is late. */
  public Instant eventTime(long index) {
    Instant place = placeOf(index);
    return isLate(index) ? place.minus(Duration.millis(lateByMillis)) : place;
  }

  /** Event {@code index} of {@code kind}, at its event time: what a pipeline and generate see. */
  public <T> T event(EventKind<T> kind, long index) {
    return kind.content().event(seed, index, eventTime(index));
  }

  /**
   * The sentence printed at the start of a pipeline fed by this stream at {@code eventsPerSecond}:
   * how event time relates to the wall clock, and which events are late.
   */
  public String describe(long eventsPerSecond) {
    double speedUp = eventsPerSecond * spacingMillis / 1000.0;
    String times =
        speedUp == Math.rint(speedUp) ? Long.toString((long) speedUp) : String.format("%.2f", speedUp);
    String pace =
        speedUp > 1
            ? "event time runs " + times + " times faster than the wall clock"
            : speedUp == 1
                ? "event time runs as fast as the wall clock"
                : "event time runs at " + times + " times the speed of the wall clock";
    return String.format(
            "Generator: %d events per second, %s apart in event time from %s (seed %d%s): %s.",
            eventsPerSecond,
            Durations.format(spacing()),
            EventTimestamps.format(origin()),
            seed,
            maxEvents == null ? "" : ", " + maxEvents + " events",
            pace)
        + (hasLateEvents()
            ? String.format(
                " %d%% of the events are late: %s earlier than their place, behind the watermark.",
                latePercent, Durations.format(lateBy()))
            : "");
  }
}
