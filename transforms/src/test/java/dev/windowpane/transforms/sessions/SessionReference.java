package dev.windowpane.transforms.sessions;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Gap sessions by their definition, in plain Java (for tests here and in the pipelines module): per
 * key, sorted by time, a new session wherever neighbours are at least the gap apart; totals exact.
 */
public final class SessionReference {
  private SessionReference() {}

  /**
   * {@code count} events over {@code keys} keys ("s-0", "s-1", ...) at whole minutes in {@code [0,
   * minutes)} with values that are multiples of 0.25, so that every sum is exact whatever the order
   * of additions.
   */
  public static List<TimestampedValue<KV<String, Double>>> randomEvents(
      Random random, int keys, int count, int minutes) {
    List<TimestampedValue<KV<String, Double>>> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String key = "s-" + random.nextInt(keys);
      double value = random.nextInt(400) / 4.0;
      Instant time = new Instant(0).plus(Duration.standardMinutes(random.nextInt(minutes)));
      events.add(TimestampedValue.of(KV.of(key, value), time));
    }
    return events;
  }

  /** The summary of every session of {@code events}. */
  public static List<KV<String, SessionSummary>> sessions(
      List<TimestampedValue<KV<String, Double>>> events, Duration gap) {
    Map<String, List<TimestampedValue<KV<String, Double>>>> byKey = new TreeMap<>();
    for (TimestampedValue<KV<String, Double>> e : events) {
      byKey.computeIfAbsent(e.getValue().getKey(), k -> new ArrayList<>()).add(e);
    }
    List<KV<String, SessionSummary>> sessions = new ArrayList<>();
    for (Map.Entry<String, List<TimestampedValue<KV<String, Double>>>> key : byKey.entrySet()) {
      List<TimestampedValue<KV<String, Double>>> sorted = new ArrayList<>(key.getValue());
      sorted.sort(Comparator.comparing(TimestampedValue::getTimestamp));
      long count = 0;
      BigDecimal total = BigDecimal.ZERO;
      Instant first = null;
      Instant last = null;
      for (TimestampedValue<KV<String, Double>> e : sorted) {
        if (last != null && e.getTimestamp().getMillis() - last.getMillis() >= gap.getMillis()) {
          sessions.add(KV.of(key.getKey(), SessionSummary.of(count, total, first, last)));
          count = 0;
          total = BigDecimal.ZERO;
          first = null;
        }
        count++;
        total = total.add(new BigDecimal(e.getValue().getValue()));
        first = first == null ? e.getTimestamp() : first;
        last = e.getTimestamp();
      }
      sessions.add(KV.of(key.getKey(), SessionSummary.of(count, total, first, last)));
    }
    return sessions;
  }
}
