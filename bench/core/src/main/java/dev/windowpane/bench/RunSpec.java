package dev.windowpane.bench;

import java.util.Map;

/**
 * What one run computes: the workload, sliding windows of {@code ratio * periodMillis} every
 * {@code periodMillis}, the top {@code topN} per window, the run id its source and sink report to,
 * and runner settings shared by every contender (parallelism, per-runner extras).
 */
public record RunSpec(
    String runId,
    String runner,
    Workload workload,
    int ratio,
    long periodMillis,
    int topN,
    int parallelism,
    Map<String, String> settings) {

  public long sizeMillis() {
    return ratio * periodMillis;
  }

  public String setting(String name, String fallback) {
    return settings.getOrDefault(name, fallback);
  }
}
