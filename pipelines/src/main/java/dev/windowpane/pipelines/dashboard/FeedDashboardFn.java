package dev.windowpane.pipelines.dashboard;

import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each result (a window's ranking, a session's summary) as its output JSON lines to the
 * dashboard of its run in this JVM ({@link DashboardRegistry}); outputs nothing. Where the run has
 * no dashboard in this JVM (a cluster's worker) it says so once per instance and does nothing. The
 * hand-over is a short in-memory update: the page's clients never slow it down.
 *
 * @param <T> the result type
 */
public final class FeedDashboardFn<T> extends DoFn<T, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(FeedDashboardFn.class);

  /** A result's output lines, given its window and pane. */
  @FunctionalInterface
  public interface ToLines<T> extends java.io.Serializable {
    List<String> lines(T result, BoundedWindow window, PaneInfo pane);
  }

  private final String runId;
  private final ToLines<T> toLines;
  private transient boolean warned;

  private FeedDashboardFn(String runId, ToLines<T> toLines) {
    this.runId = runId;
    this.toLines = toLines;
  }

  /** Feeds the dashboard of run {@code runId} the lines {@code toLines} makes of each result. */
  public static <T> FeedDashboardFn<T> of(String runId, ToLines<T> toLines) {
    return new FeedDashboardFn<>(runId, toLines);
  }

  /** Feeds one line per result, whatever its window. */
  public static <T> FeedDashboardFn<T> ofLine(String runId, SerializableFunction<T, String> toLine) {
    return new FeedDashboardFn<>(runId, (result, window, pane) -> List.of(toLine.apply(result)));
  }

  @ProcessElement
  public void processElement(@Element T result, BoundedWindow window, PaneInfo pane) {
    Optional<DashboardState> dashboard = DashboardRegistry.of(runId);
    if (dashboard.isPresent()) {
      dashboard.get().acceptAll(toLines.lines(result, window, pane));
    } else if (!warned) {
      warned = true;
      LOG.warn(
          "This worker has no dashboard of run {}: the dashboard shows what runs in the JVM that serves it;"
              + " on a cluster, write results to files or Kafka and run 'dashboard --from=...'.",
          runId);
    }
  }
}
