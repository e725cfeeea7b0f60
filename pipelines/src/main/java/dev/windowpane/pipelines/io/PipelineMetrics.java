package dev.windowpane.pipelines.io;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricKey;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * Reads windowpane's Beam counters (namespace "windowpane") from a finished run and prints them,
 * each with a readable label: the counters a pipeline always reports (0 when nothing was counted),
 * then any other that was counted.
 */
public final class PipelineMetrics {
  public static final String NAMESPACE = "windowpane";

  /** What a top-N pipeline always reports. */
  public static final List<String> RANKINGS =
      List.of("eventsRead", "deadLetters", "lateEventsDropped", "windowsEmitted");

  /** What session-stats always reports: it has no windows to emit and drops no late event itself. */
  public static final List<String> SESSIONS = List.of("eventsRead", "deadLetters", "sessionsEmitted");

  private static final Map<String, String> LABELS = new LinkedHashMap<>();
  private static final int MIN_LABEL_WIDTH = 20;

  static {
    LABELS.put("eventsRead", "events read");
    LABELS.put("deadLetters", "dead letters");
    LABELS.put("lateEventsDropped", "late events dropped");
    LABELS.put("windowsEmitted", "windows emitted");
    LABELS.put("lateWindowUpdatesDropped", "late window updates dropped");
    LABELS.put("sessionsEmitted", "sessions emitted");
    LABELS.put("updatesEmitted", "updates emitted");
    LABELS.put("stateUpdates", "state updates");
    LABELS.put("stateRemovals", "state removals");
    LABELS.put("stateTimeouts", "state timeouts");
  }

  private PipelineMetrics() {}

  /**
   * The windowpane counters of {@code result}, summed over steps: {@code always} first (0 if
   * absent), then the others that were counted, in a fixed order.
   */
  public static Map<String, Long> counters(PipelineResult result, List<String> always) {
    Map<String, Long> counters = new LinkedHashMap<>();
    always.forEach(name -> counters.put(name, 0L));
    MetricQueryResults query =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder().addNameFilter(MetricNameFilter.inNamespace(NAMESPACE)).build());
    // One value per (step, counter): Beam 2.62's PortableRunner lists each counter twice, once as
    // attempted and once as committed, with the same value.
    Map<MetricKey, Long> perStep = new LinkedHashMap<>();
    for (MetricResult<Long> counter : query.getCounters()) {
      perStep.put(counter.getKey(), valueOf(counter));
    }
    Map<String, Long> others = new TreeMap<>();
    perStep.forEach(
        (key, value) -> {
          String name = key.metricName().getName();
          if (counters.containsKey(name)) {
            counters.merge(name, value, Long::sum);
          } else {
            others.merge(name, value, Long::sum);
          }
        });
    // The others in one order on every run and runner: as labelled below, then by name.
    for (String name : LABELS.keySet()) {
      Long value = others.remove(name);
      if (value != null) {
        counters.put(name, value);
      }
    }
    counters.putAll(others);
    return counters;
  }

  /** The counters of a top-N pipeline, see {@link #counters(PipelineResult, List)}. */
  public static Map<String, Long> counters(PipelineResult result) {
    return counters(result, RANKINGS);
  }

  private static long valueOf(MetricResult<Long> counter) {
    try {
      Long committed = counter.getCommitted();
      return committed == null ? counter.getAttempted() : committed;
    } catch (UnsupportedOperationException e) {
      return counter.getAttempted();
    }
  }

  /** The readable label of counter {@code name}: its words, e.g. "events read" for eventsRead. */
  static String label(String name) {
    String known = LABELS.get(name);
    if (known != null) {
      return known;
    }
    return name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replace('_', ' ').toLowerCase();
  }

  /** Prints the counters of {@code result}, {@code always} first, one labelled line each. */
  public static void print(PipelineResult result, List<String> always, PrintStream out) {
    out.print(format(counters(result, always)));
  }

  /** The printed form of {@code counters}: "Metrics:", then one aligned line per counter. */
  static String format(Map<String, Long> counters) {
    int width = MIN_LABEL_WIDTH;
    for (String name : counters.keySet()) {
      width = Math.max(width, label(name).length());
    }
    List<String> lines = new ArrayList<>();
    lines.add("Metrics:");
    for (Map.Entry<String, Long> counter : counters.entrySet()) {
      lines.add(String.format("  %-" + width + "s %d", label(counter.getKey()), counter.getValue()));
    }
    return String.join(System.lineSeparator(), lines) + System.lineSeparator();
  }
}
