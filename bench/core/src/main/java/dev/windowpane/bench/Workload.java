package dev.windowpane.bench;

import java.io.Serializable;
import java.util.Objects;

/**
 * The benchmark's one workload, a pure function of (seed, index): event {@code i} of {@code events}
 * has a nominal time spread evenly over {@code span} from {@link #START_MILLIS}, an event time up to
 * {@code maxDisorder} after its nominal time (so events arrive out of order by up to that much), a
 * key drawn from {@code keys} keys with Zipf({@code zipfExponent}) popularity and a value in
 * 1..{@code maxValue}. Every contender's source emits exactly this sequence in index order, so a
 * watermark of (largest event time seen - maxDisorder) is never passed by a later event, except
 * by the late events of a workload {@link #withLateEvents with late events}: a fraction of them
 * has an event time {@link #LATE_BY_MAX_MILLIS up to 20 s} behind the disorder bound, behind
 * that watermark and within {@link #allowedLatenessMillis}. Each accessor is O(1) except {@link
 * #keyIndex}, O(log keys).
 */
public final class Workload implements Serializable {
  private static final long serialVersionUID = 1L;

  /** 2025-11-25T00:00:00Z: the first nominal event time, a multiple of every slide used. */
  public static final long START_MILLIS = 1_764_028_800_000L;

  public static final long SIX_HOURS_MILLIS = 6L * 3600 * 1000;

  /** A late event is between 1 s and this much behind its nominal time minus the disorder. */
  public static final long LATE_BY_MAX_MILLIS = 20_000;

  /** The allowed lateness every contender gets on a workload with late events. */
  public static final long LATE_ALLOWED_MILLIS = 30_000;

  private final long seed;
  private final long events;
  private final long spanMillis;
  private final long maxDisorderMillis;
  private final int keys;
  private final double zipfExponent;
  private final int maxValue;
  private final double lateFraction;
  private transient ZipfTable table;

  private Workload(
      long seed,
      long events,
      long spanMillis,
      long maxDisorderMillis,
      int keys,
      double zipfExponent,
      int maxValue,
      double lateFraction) {
    if (events <= 0 || spanMillis <= 0 || maxDisorderMillis < 0 || keys <= 0 || maxValue <= 0) {
      throw new IllegalArgumentException(
          "A workload needs positive events, span, keys and maxValue and a non-negative disorder.");
    }
    if (lateFraction < 0 || lateFraction > 1) {
      throw new IllegalArgumentException("The fraction of late events is in [0, 1], got " + lateFraction + ".");
    }
    this.lateFraction = lateFraction;
    this.seed = seed;
    this.events = events;
    this.spanMillis = spanMillis;
    this.maxDisorderMillis = maxDisorderMillis;
    this.keys = keys;
    this.zipfExponent = zipfExponent;
    this.maxValue = maxValue;
  }

  /** The workload: 6 hours, 5 s disorder, 10,000 keys, Zipf(1.1), values 1..5. */
  public static Workload standard(long seed, long events) {
    return standard(seed, events, 10_000);
  }

  /** The workload over {@code keys} Zipf(1.1) keys instead of 10,000. */
  public static Workload standard(long seed, long events, int keys) {
    return new Workload(seed, events, SIX_HOURS_MILLIS, 5_000, keys, 1.1, 5, 0);
  }

  public static Workload of(
      long seed,
      long events,
      long spanMillis,
      long maxDisorderMillis,
      int keys,
      double zipfExponent,
      int maxValue) {
    return new Workload(seed, events, spanMillis, maxDisorderMillis, keys, zipfExponent, maxValue, 0);
  }

  /** The same workload with {@code fraction} of its events late (0: none). */
  public Workload withLateEvents(double fraction) {
    return new Workload(seed, events, spanMillis, maxDisorderMillis, keys, zipfExponent, maxValue, fraction);
  }

  public double lateFraction() {
    return lateFraction;
  }

  /** How long after a window's end its contenders must still take events: 0 without late events. */
  public long allowedLatenessMillis() {
    return lateFraction > 0 ? LATE_ALLOWED_MILLIS : 0;
  }

  /**
   * The workload over {@code keys} keys spread over {@code hours} of event time instead of
   * six: with {@code events * hours / 6} events, the density (events per pane and per window) of
   * {@code events} over six hours.
   */
  public static Workload standard(long seed, long events, int keys, int hours) {
    if (hours <= 0) {
      throw new IllegalArgumentException("A workload spans a positive number of hours, got " + hours + ".");
    }
    return new Workload(seed, events, hours * 3_600_000L, 5_000, keys, 1.1, 5, 0);
  }

  /** The same workload with another number of events (same span, so a different density). */
  public Workload withEvents(long newEvents) {
    return new Workload(
        seed, newEvents, spanMillis, maxDisorderMillis, keys, zipfExponent, maxValue, lateFraction);
  }

  public long seed() {
    return seed;
  }

  public long events() {
    return events;
  }

  public long maxDisorderMillis() {
    return maxDisorderMillis;
  }

  public int keys() {
    return keys;
  }

  /** Nominal (in-order) time of event {@code i}: the events are spread evenly over the span. */
  public long nominalMillis(long i) {
    return START_MILLIS + Math.multiplyExact(i, spanMillis) / events;
  }

  /**
   * Event time of event {@code i}: its nominal time plus a delay in [0, maxDisorder), or for a
   * late event its nominal time minus the disorder minus 1 s to {@link #LATE_BY_MAX_MILLIS} (not
   * before the first nominal time).
   */
  public long timestampMillis(long i) {
    if (isLate(i)) {
      long lateBy = 1_000 + Math.floorMod(mix(i, 5), LATE_BY_MAX_MILLIS - 1_000);
      return Math.max(START_MILLIS, nominalMillis(i) - maxDisorderMillis - lateBy);
    }
    long jitter = maxDisorderMillis == 0 ? 0 : Math.floorMod(mix(i, 1), maxDisorderMillis);
    return nominalMillis(i) + jitter;
  }

  /** Whether event {@code i} is one of the late ones. */
  public boolean isLate(long i) {
    return lateFraction > 0 && unit(mix(i, 4)) < lateFraction;
  }

  /** Popularity rank of event {@code i}'s key: 0 is the most popular. */
  public int keyIndex(long i) {
    return table().sample(unit(mix(i, 2)));
  }

  /** Key of event {@code i}. */
  public String key(long i) {
    return table().name(keyIndex(i));
  }

  /** Name of the key of rank {@code index}. */
  public String keyName(int index) {
    return table().name(index);
  }

  /** Value of event {@code i}, in 1..maxValue. */
  public long value(long i) {
    return 1 + Math.floorMod(mix(i, 3), maxValue);
  }

  /** Lowest event time of any event: the first nominal time (its delay may be 0). */
  public long earliestPossibleMillis() {
    return START_MILLIS;
  }

  /** The first index whose nominal time is at or after {@code millis} (0..events). */
  public long firstIndexAtOrAfter(long millis) {
    if (millis <= START_MILLIS) {
      return 0;
    }
    long guess = Math.multiplyExact(millis - START_MILLIS, events) / spanMillis;
    long i = Math.max(0, Math.min(events, guess - 2));
    while (i < events && nominalMillis(i) < millis) {
      i++;
    }
    while (i > 0 && nominalMillis(i - 1) >= millis) {
      i--;
    }
    return i;
  }

  /** The first index whose event time is at or after {@code millis}, or {@code events} if none. */
  public long firstIndexWithTimestampAtOrAfter(long millis) {
    long i = firstIndexAtOrAfter(millis - maxDisorderMillis);
    while (i < events && timestampMillis(i) < millis) {
      i++;
    }
    return i;
  }

  private ZipfTable table() {
    ZipfTable t = table;
    if (t == null) {
      t = ZipfTable.of(keys, zipfExponent);
      table = t;
    }
    return t;
  }

  /** SplitMix64 of (seed, index, stream): independent, well-mixed bits per field. */
  private long mix(long i, long stream) {
    long z = seed * 0x9E3779B97F4A7C15L + i * 0xBF58476D1CE4E5B9L + stream * 0x94D049BB133111EBL;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z = z ^ (z >>> 31);
    return z & Long.MAX_VALUE;
  }

  private static double unit(long bits) {
    return (bits >>> 10) * 0x1.0p-53;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Workload)) {
      return false;
    }
    Workload w = (Workload) o;
    return seed == w.seed
        && events == w.events
        && spanMillis == w.spanMillis
        && maxDisorderMillis == w.maxDisorderMillis
        && keys == w.keys
        && zipfExponent == w.zipfExponent
        && maxValue == w.maxValue
        && lateFraction == w.lateFraction;
  }

  @Override
  public int hashCode() {
    return Objects.hash(seed, events, spanMillis, maxDisorderMillis, keys, zipfExponent, maxValue, lateFraction);
  }

  @Override
  public String toString() {
    return "Workload{seed=" + seed + ", events=" + events + ", span=" + spanMillis + "ms, disorder="
        + maxDisorderMillis + "ms, keys=" + keys + ", zipf=" + zipfExponent + ", values=1.."
        + maxValue + (lateFraction > 0 ? ", late=" + lateFraction : "") + "}";
  }

  /** Cumulative Zipf distribution over ranks and the key names, shared per (keys, exponent). */
  private static final class ZipfTable {
    private static volatile ZipfTable last;

    private final int keys;
    private final double exponent;
    private final double[] cumulative;
    private final String[] names;

    private ZipfTable(int keys, double exponent) {
      this.keys = keys;
      this.exponent = exponent;
      this.cumulative = new double[keys];
      this.names = new String[keys];
      double sum = 0;
      for (int k = 0; k < keys; k++) {
        sum += 1.0 / Math.pow(k + 1, exponent);
        cumulative[k] = sum;
      }
      for (int k = 0; k < keys; k++) {
        cumulative[k] /= sum;
        names[k] = String.format("key-%05d", k);
      }
      cumulative[keys - 1] = 1.0;
    }

    static ZipfTable of(int keys, double exponent) {
      ZipfTable t = last;
      if (t == null || t.keys != keys || t.exponent != exponent) {
        t = new ZipfTable(keys, exponent);
        last = t;
      }
      return t;
    }

    int sample(double u) {
      int lo = 0;
      int hi = keys - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (cumulative[mid] > u) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      return lo;
    }

    String name(int index) {
      return names[index];
    }
  }
}
