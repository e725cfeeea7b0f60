package dev.windowpane.bench;

/**
 * One line of the report: a contender on a runner at one window/slide ratio ({@code null} for the
 * pass-through, which has no windows), with {@code keys} distinct keys, a state backend ({@code
 * heap} or {@code rocksdb}) and checkpoints every {@code checkpointMillis} (0: off).
 * {@code eventsPerSecond} is the median of the timed runs (or the rate of a capped run); {@code
 * checkpointMb} the size of the largest checkpoint Flink completed in the timed runs (its full size,
 * from Flink's own log line; -1: none) and {@code
 * checkpointMeanMs} the mean duration of the checkpoints Flink completed in it (-1: none); {@code
 * lateFraction} of the events were late (within the allowed lateness); {@code runnerFlags} are
 * Beam runner flags beyond the ones the pipelines ship with ("" for none); a row
 * paced to {@code pacedRate} events a second (0: unpaced) measures freshness, p50 and p99 in ms (-1:
 * not measured); {@code hours} of event time at the standard density (6, the standard; longer for
 * the rows with checkpoints, so that a run takes several); {@code note} says what verification found and anything that went wrong. A row
 * the harness did not run, because a cheaper row of the same contender already completed no window
 * (or could not keep the pace), has {@code notRun} saying why ("" for a row that ran) and no
 * measurement.
 */
public record Row(
    String contender,
    String runner,
    Integer ratio,
    double eventsPerSecond,
    long peakHeapMb,
    boolean verified,
    boolean capped,
    String note,
    int keys,
    String stateBackend,
    long checkpointMillis,
    double checkpointMb,
    long pacedRate,
    double p50FreshnessMs,
    double p99FreshnessMs,
    double checkpointMeanMs,
    double lateFraction,
    String runnerFlags,
    int hours,
    String notRun) {

  /** A row of the default dimensions: 10,000 keys, heap state, no checkpoints. */
  public Row(
      String contender,
      String runner,
      Integer ratio,
      double eventsPerSecond,
      long peakHeapMb,
      boolean verified,
      boolean capped,
      String note) {
    this(contender, runner, ratio, eventsPerSecond, peakHeapMb, verified, capped, note, 10_000, "heap", 0, -1, 0, -1, -1,
        -1, 0, "", 6, "");
  }

  /** This row's dimensions, not run because {@code reason}: nothing measured, nothing to verify. */
  public Row notRun(String reason) {
    return new Row(contender, runner, ratio, 0, 0, true, false, "not run: " + reason, keys, stateBackend,
        checkpointMillis, -1, pacedRate, -1, -1, -1, lateFraction, runnerFlags, hours, reason);
  }

  /** This row over a workload of {@code hours} of event time at the standard density (6: the standard). */
  public Row withHours(int hours) {
    return new Row(contender, runner, ratio, eventsPerSecond, peakHeapMb, verified, capped, note, keys, stateBackend,
        checkpointMillis, checkpointMb, pacedRate, p50FreshnessMs, p99FreshnessMs, checkpointMeanMs, lateFraction,
        runnerFlags, hours, notRun);
  }

  public boolean ran() {
    return notRun.isEmpty();
  }

  /** A timed run stopped at the cap before the first window was complete. */
  public boolean noWindowCompleted() {
    return ran() && capped && eventsPerSecond == 0;
  }

  /** The contender, runner and any dimension other than the default, e.g. "flink-sql (flink, rocksdb)". */
  public String series() {
    return contender + " (" + runner + dimensions() + ")";
  }

  /** ", 1000000 keys", ", rocksdb", ", checkpoints 10 s", or "" for the default dimensions. */
  public String dimensions() {
    StringBuilder b = new StringBuilder();
    if (keys != 10_000) {
      b.append(", ").append(String.format(java.util.Locale.ROOT, "%,d", keys)).append(" keys");
    }
    if (!stateBackend.equals("heap")) {
      b.append(", ").append(stateBackend);
    }
    if (checkpointMillis > 0) {
      b.append(", checkpoints ").append(checkpointMillis / 1000).append(" s");
    }
    if (!runnerFlags.isEmpty()) {
      b.append(", ").append(runnerFlags);
    }
    if (lateFraction > 0) {
      b.append(", ").append(String.format(java.util.Locale.ROOT, "%.0f%%", lateFraction * 100)).append(" late");
    }
    if (hours != 6) {
      b.append(", ").append(hours).append(" h of events");
    }
    if (pacedRate > 0) {
      b.append(", paced ").append(Report.rate(pacedRate)).append("/s");
    }
    return b.toString();
  }
}
