package dev.windowpane.transforms.state;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Instant;

/**
 * The summary of one session: how many events, their total value, the first and last event time,
 * and the average value ({@code total / events}). Immutable; encoded with {@link SessionStatsCoder}
 * (the default coder of the type).
 */
@DefaultCoder(SessionStats.SessionStatsCoder.class)
public final class SessionStats {
  private final long events;
  private final double total;
  private final Instant first;
  private final Instant last;

  private SessionStats(long events, double total, Instant first, Instant last) {
    this.events = events;
    this.total = total;
    this.first = first;
    this.last = last;
  }

  /** A session of {@code events} (at least one) between {@code first} and {@code last}. */
  public static SessionStats of(long events, double total, Instant first, Instant last) {
    if (events < 1) {
      throw new IllegalArgumentException("A session has at least one event, got " + events + ".");
    }
    if (first == null || last == null || last.isBefore(first)) {
      throw new IllegalArgumentException(
          "A session's last event time must not precede its first, got "
              + first
              + " and "
              + last
              + ".");
    }
    return new SessionStats(events, total, first, last);
  }

  /** The session of a single event. */
  public static SessionStats ofEvent(double value, Instant time) {
    return of(1, value, time, time);
  }

  /** This session with one more event. */
  public SessionStats plus(double value, Instant time) {
    return new SessionStats(events + 1, total + value, earliest(first, time), latest(last, time));
  }

  /** The session made of this one's events and {@code other}'s. */
  public SessionStats merge(SessionStats other) {
    return new SessionStats(
        events + other.events,
        total + other.total,
        earliest(first, other.first),
        latest(last, other.last));
  }

  public long events() {
    return events;
  }

  public double total() {
    return total;
  }

  public Instant first() {
    return first;
  }

  public Instant last() {
    return last;
  }

  public double average() {
    return total / events;
  }

  /** The coder of {@link SessionStats}. */
  public static Coder<SessionStats> coder() {
    return SessionStatsCoder.INSTANCE;
  }

  private static Instant earliest(Instant a, Instant b) {
    return b.isBefore(a) ? b : a;
  }

  private static Instant latest(Instant a, Instant b) {
    return b.isAfter(a) ? b : a;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SessionStats)) {
      return false;
    }
    SessionStats other = (SessionStats) o;
    return events == other.events
        && Double.compare(total, other.total) == 0
        && first.equals(other.first)
        && last.equals(other.last);
  }

  @Override
  public int hashCode() {
    return Objects.hash(events, total, first, last);
  }

  @Override
  public String toString() {
    return "SessionStats{events="
        + events
        + ", total="
        + total
        + ", first="
        + first
        + ", last="
        + last
        + "}";
  }

  /** Encodes events, total, first and last (varint, 8-byte double, two instants). */
  public static final class SessionStatsCoder extends AtomicCoder<SessionStats> {
    private static final SessionStatsCoder INSTANCE = new SessionStatsCoder();
    private static final VarLongCoder EVENTS = VarLongCoder.of();
    private static final DoubleCoder TOTAL = DoubleCoder.of();
    private static final InstantCoder TIME = InstantCoder.of();

    private SessionStatsCoder() {}

    public static SessionStatsCoder of() {
      return INSTANCE;
    }

    /** Lets {@link DefaultCoder} find this coder for {@link SessionStats}. */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(SessionStats.class), INSTANCE);
    }

    @Override
    public void encode(SessionStats value, OutputStream out) throws IOException {
      EVENTS.encode(value.events, out);
      TOTAL.encode(value.total, out);
      TIME.encode(value.first, out);
      TIME.encode(value.last, out);
    }

    @Override
    public SessionStats decode(InputStream in) throws IOException {
      return new SessionStats(
          EVENTS.decode(in), TOTAL.decode(in), TIME.decode(in), TIME.decode(in));
    }
  }
}
