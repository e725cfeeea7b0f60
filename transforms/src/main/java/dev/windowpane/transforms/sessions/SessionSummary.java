package dev.windowpane.transforms.sessions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Objects;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BigDecimalCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Instant;

/**
 * The summary of one session: how many events, their total value, the first and last event time,
 * and the average value ({@code total / events}). Immutable; encoded with {@link SessionStatsCoder}
 * (the default coder of the type).
 *
 * <p>The total is exact: the sum of the exact values of the events' doubles, kept as a {@link
 * BigDecimal} ({@link #exactTotal()}), so it does not depend on the order in which events are
 * added or sessions merged, and it never overflows. It is rounded once, when read: {@link #total()}
 * and {@link #average()} are the doubles nearest to the exact total and to the exact total divided
 * by the count (ties to even), or an infinity when that lies beyond the range of a double. Cost:
 * one {@code BigDecimal} addition per event (measured here: about half a microsecond for prices
 * such as 12.34), and a few microseconds to round a total or an average; the total's size grows
 * with the binary digits after the point of the smallest value: about 60 decimal digits for values
 * such as 0.1, at most about 1,100 for values near {@code Double.MIN_VALUE}.
 */
@DefaultCoder(SessionSummary.SessionStatsCoder.class)
public final class SessionSummary {
  private final long events;
  private final BigDecimal total;
  private final Instant first;
  private final Instant last;

  private SessionSummary(long events, BigDecimal total, Instant first, Instant last) {
    this.events = events;
    this.total = total;
    this.first = first;
    this.last = last;
  }

  /** A session of {@code events} (at least one) between {@code first} and {@code last}. */
  public static SessionSummary of(long events, double total, Instant first, Instant last) {
    return of(events, exact(total), first, last);
  }

  /**
   * A session of {@code events} (at least one) with the exact total {@code total} between {@code
   * first} and {@code last}.
   */
  public static SessionSummary of(long events, BigDecimal total, Instant first, Instant last) {
    Objects.requireNonNull(total, "total");
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
    return new SessionSummary(events, total, first, last);
  }

  /** The session of a single event; {@code value} must be finite. */
  public static SessionSummary ofEvent(double value, Instant time) {
    return of(1, value, time, time);
  }

  /** This session with one more event; {@code value} must be finite. */
  public SessionSummary plus(double value, Instant time) {
    return new SessionSummary(
        events + 1, total.add(exact(value)), earliest(first, time), latest(last, time));
  }

  /** The session made of this one's events and {@code other}'s. */
  public SessionSummary merge(SessionSummary other) {
    return new SessionSummary(
        events + other.events,
        total.add(other.total),
        earliest(first, other.first),
        latest(last, other.last));
  }

  public long events() {
    return events;
  }

  /**
   * The total rounded once to the nearest double (ties to even): the same bits whatever the order
   * of the events; {@code Double.POSITIVE_INFINITY} or {@code NEGATIVE_INFINITY} when the exact
   * total lies beyond the range of a double (see {@link #exactTotal()}).
   */
  public double total() {
    return ExactDoubles.nearest(total, 1);
  }

  /** The exact total: the sum of the exact values of the events' doubles. */
  public BigDecimal exactTotal() {
    return total;
  }

  public Instant first() {
    return first;
  }

  public Instant last() {
    return last;
  }

  /**
   * The exact total divided by the number of events, rounded once to the nearest double (ties to
   * even); an infinity only when that quotient lies beyond the range of a double.
   */
  public double average() {
    return ExactDoubles.nearest(total, events);
  }

  /**
   * The exact total divided by the number of events, rounded as {@code context} says: for an
   * average beyond the range of a double, or more digits than a double holds.
   */
  public BigDecimal exactAverage(MathContext context) {
    return total.divide(BigDecimal.valueOf(events), context);
  }

  /** The coder of {@link SessionSummary}. */
  public static Coder<SessionSummary> coder() {
    return SessionStatsCoder.INSTANCE;
  }

  private static BigDecimal exact(double value) {
    return ExactDoubles.exact(value);
  }

  private static Instant earliest(Instant a, Instant b) {
    return b.isBefore(a) ? b : a;
  }

  private static Instant latest(Instant a, Instant b) {
    return b.isAfter(a) ? b : a;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SessionSummary)) {
      return false;
    }
    SessionSummary other = (SessionSummary) o;
    return events == other.events
        && total.compareTo(other.total) == 0
        && first.equals(other.first)
        && last.equals(other.last);
  }

  @Override
  public int hashCode() {
    return Objects.hash(events, canonical(total), first, last);
  }

  @Override
  public String toString() {
    return "SessionSummary{events="
        + events
        + ", total="
        + total
        + ", first="
        + first
        + ", last="
        + last
        + "}";
  }

  /** The one representation of a value: no trailing zeros, so equal totals encode equally. */
  static BigDecimal canonical(BigDecimal value) {
    return value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
  }

  /**
   * Encodes events, total, first and last (varint, the exact total without trailing zeros as Beam's
   * {@link BigDecimalCoder} writes it, two instants). Deterministic: equal stats encode equally.
   */
  public static final class SessionStatsCoder extends AtomicCoder<SessionSummary> {
    private static final SessionStatsCoder INSTANCE = new SessionStatsCoder();
    private static final VarLongCoder EVENTS = VarLongCoder.of();
    private static final BigDecimalCoder TOTAL = BigDecimalCoder.of();
    private static final InstantCoder TIME = InstantCoder.of();

    private SessionStatsCoder() {}

    public static SessionStatsCoder of() {
      return INSTANCE;
    }

    /** Lets {@link DefaultCoder} find this coder for {@link SessionSummary}. */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(SessionSummary.class), INSTANCE);
    }

    @Override
    public void encode(SessionSummary value, OutputStream out) throws IOException {
      EVENTS.encode(value.events, out);
      TOTAL.encode(canonical(value.total), out);
      TIME.encode(value.first, out);
      TIME.encode(value.last, out);
    }

    @Override
    public SessionSummary decode(InputStream in) throws IOException {
      return new SessionSummary(
          EVENTS.decode(in), TOTAL.decode(in), TIME.decode(in), TIME.decode(in));
    }

    @Override
    public void verifyDeterministic() {}

    @Override
    public boolean consistentWithEquals() {
      return true;
    }
  }
}
