package dev.windowpane.pipelines.dashboard;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The dashboards of the runs in this JVM, by run id: how a pipeline's steps (deserialized copies of
 * its DoFns, on the DirectRunner's or embedded Flink's threads) find the state the command serves.
 * Steps that run in another JVM (a cluster's workers) find none.
 */
public final class DashboardRegistry {
  private static final ConcurrentMap<String, DashboardState> DASHBOARDS = new ConcurrentHashMap<>();

  private DashboardRegistry() {}

  /** Makes {@code state} the dashboard of run {@code runId}. */
  static void register(String runId, DashboardState state) {
    DASHBOARDS.put(runId, state);
  }

  /** Forgets run {@code runId}'s dashboard. */
  static void unregister(String runId) {
    DASHBOARDS.remove(runId);
  }

  /** The dashboard of run {@code runId} in this JVM, if any. */
  public static Optional<DashboardState> of(String runId) {
    return Optional.ofNullable(DASHBOARDS.get(runId));
  }
}
