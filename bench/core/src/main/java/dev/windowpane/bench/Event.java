package dev.windowpane.bench;

import java.io.Serializable;
import java.util.Objects;

/** One generated event as every contender's source emits it: a key, a value and an event time. */
public final class Event implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final long value;
  private final long timestampMillis;

  public Event(String key, long value, long timestampMillis) {
    this.key = key;
    this.value = value;
    this.timestampMillis = timestampMillis;
  }

  /** Event {@code i} of {@code workload}. */
  public static Event of(Workload workload, long i) {
    return new Event(workload.key(i), workload.value(i), workload.timestampMillis(i));
  }

  public String key() {
    return key;
  }

  public long value() {
    return value;
  }

  public long timestampMillis() {
    return timestampMillis;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Event)) {
      return false;
    }
    Event e = (Event) o;
    return value == e.value && timestampMillis == e.timestampMillis && key.equals(e.key);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, value, timestampMillis);
  }

  @Override
  public String toString() {
    return "Event{" + key + "=" + value + " @" + timestampMillis + "}";
  }
}
