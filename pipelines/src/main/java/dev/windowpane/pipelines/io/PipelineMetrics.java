package dev.windowpane.pipelines.io;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * Reads windowpane's Beam counters (namespace "windowpane") from a finished run and prints them:
 * events read, dead letters, late events dropped, windows emitted, then any others.
 */
public final class PipelineMetrics {
  public static final String NAMESPACE = "windowpane";
  private static final Map<String, String> KNOWN = new LinkedHashMap<>();
  private static final Map<String, String> LABELS = new LinkedHashMap<>();

  static {
    KNOWN.put("eventsRead", "events read");
    KNOWN.put("deadLetters", "dead letters");
    KNOWN.put("lateEventsDropped", "late events dropped");
    KNOWN.put("windowsEmitted", "windows emitted");
    LABELS.putAll(KNOWN);
    LABELS.put("lateWindowUpdatesDropped", "late window updates dropped");
    LABELS.put("sessionsEmitted", "sessions emitted");
    LABELS.put("updatesEmitted", "updates emitted");
  }

  private PipelineMetrics() {}

  /** The windowpane counters of {@code result}, summed over steps, the known ones first (0 if absent). */
  public static Map<String, Long> counters(PipelineResult result) {
    Map<String, Long> counters = new LinkedHashMap<>();
    KNOWN.keySet().forEach(name -> counters.put(name, 0L));
    MetricQueryResults query =
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder().addNameFilter(MetricNameFilter.inNamespace(NAMESPACE)).build());
    for (MetricResult<Long> counter : query.getCounters()) {
      counters.merge(counter.getName().getName(), valueOf(counter), Long::sum);
    }
    return counters;
  }

  private static long valueOf(MetricResult<Long> counter) {
    try {
      Long committed = counter.getCommitted();
      return committed == null ? counter.getAttempted() : committed;
    } catch (UnsupportedOperationException e) {
      return counter.getAttempted();
    }
  }

  public static void print(PipelineResult result, PrintStream out) {
    Map<String, Long> counters = counters(result);
    List<String> lines = new ArrayList<>();
    lines.add("Metrics:");
    counters.forEach(
        (name, value) ->
            lines.add(String.format("  %-20s %d", LABELS.getOrDefault(name, name), value)));
    lines.forEach(out::println);
  }
}
