package dev.windowpane.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one phase (verify, warm-up or a timed run) of a contender JVM measured, with the
 * checkpoints Flink completed during it ({@link CheckpointLog}; the largest one's size in MB, their count and mean duration). Written by the
 * contender JVM as one line of {@code key=value} fields separated by tabs, read by the orchestrator.
 */
public record PhaseResult(
    String phase,
    long events,
    long emitted,
    long processed,
    double seconds,
    double rate,
    long peakHeapMb,
    boolean capped,
    boolean complete,
    int windows,
    long expectedWindows,
    double checkpointMb,
    long checkpoints,
    double checkpointMeanMs,
    double p50FreshnessMs,
    double p99FreshnessMs,
    String failure) {

  /**
   * Events per second, one definition for every contender: the events the run fully processed
   * (covered by the windows it emitted without a gap, or counted by the pass-through) over the
   * wall time from its first emitted event to the moment the last of them was processed. 0 when
   * no window was completed.
   */
  public double eventsPerSecond() {
    return rate;
  }

  public String toLine() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("phase", phase);
    f.put("events", Long.toString(events));
    f.put("emitted", Long.toString(emitted));
    f.put("processed", Long.toString(processed));
    f.put("seconds", Double.toString(seconds));
    f.put("rate", Double.toString(rate));
    f.put("peakHeapMb", Long.toString(peakHeapMb));
    f.put("capped", Boolean.toString(capped));
    f.put("complete", Boolean.toString(complete));
    f.put("windows", Integer.toString(windows));
    f.put("expectedWindows", Long.toString(expectedWindows));
    f.put("checkpointMb", Double.toString(checkpointMb));
    f.put("checkpoints", Long.toString(checkpoints));
    f.put("checkpointMeanMs", Double.toString(checkpointMeanMs));
    f.put("p50FreshnessMs", Double.toString(p50FreshnessMs));
    f.put("p99FreshnessMs", Double.toString(p99FreshnessMs));
    f.put("failure", failure == null ? "" : failure.replaceAll("[\\t\\n\\r]", " "));
    StringBuilder b = new StringBuilder();
    f.forEach((k, v) -> b.append(b.length() == 0 ? "" : "\t").append(k).append('=').append(v));
    return b.toString();
  }

  public static PhaseResult parse(String line) {
    Map<String, String> f = new LinkedHashMap<>();
    for (String field : line.split("\t")) {
      int eq = field.indexOf('=');
      f.put(field.substring(0, eq), field.substring(eq + 1));
    }
    String failure = f.getOrDefault("failure", "");
    return new PhaseResult(
        f.get("phase"),
        Long.parseLong(f.get("events")),
        Long.parseLong(f.get("emitted")),
        Long.parseLong(f.get("processed")),
        Double.parseDouble(f.get("seconds")),
        Double.parseDouble(f.get("rate")),
        Long.parseLong(f.get("peakHeapMb")),
        Boolean.parseBoolean(f.get("capped")),
        Boolean.parseBoolean(f.get("complete")),
        Integer.parseInt(f.get("windows")),
        Long.parseLong(f.get("expectedWindows")),
        Double.parseDouble(f.getOrDefault("checkpointMb", "-1")),
        Long.parseLong(f.getOrDefault("checkpoints", "0")),
        Double.parseDouble(f.getOrDefault("checkpointMeanMs", "-1")),
        Double.parseDouble(f.getOrDefault("p50FreshnessMs", "-1")),
        Double.parseDouble(f.getOrDefault("p99FreshnessMs", "-1")),
        failure.isEmpty() ? null : failure);
  }
}
