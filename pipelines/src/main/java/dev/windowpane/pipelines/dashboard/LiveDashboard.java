package dev.windowpane.pipelines.dashboard;

import dev.windowpane.pipelines.io.PipelineMetrics;
import java.io.PrintStream;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.PipelineResult;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard of a pipeline that runs in this JVM ({@code --ui=PORT}): the server, the state its
 * steps feed under a fresh run id ({@link FeedDashboardFn}), and the run's counters read from its
 * {@link PipelineResult} every {@value #POLL_MILLIS} ms while it runs. Closing it stops the server.
 */
public final class LiveDashboard implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LiveDashboard.class);
  static final long POLL_MILLIS = 1000;

  private final String runId;
  private final DashboardState state;
  private final DashboardServer server;
  private @Nullable ScheduledExecutorService poller;

  private LiveDashboard(String runId, DashboardState state, DashboardServer server) {
    this.runId = runId;
    this.state = state;
    this.server = server;
  }

  /**
   * When {@code options} ask for a dashboard ({@code --ui=PORT}), serves it and prints its URL and
   * bind address on {@code out}, and sets the run id the pipeline's steps feed it under; else null.
   */
  public static @Nullable LiveDashboard startIfAsked(DashboardOptions options, String pipeline, PrintStream out) {
    Integer port = DashboardOptions.port(options, null);
    if (port == null) {
      return null;
    }
    String runId = UUID.randomUUID().toString();
    DashboardState state = new DashboardState(pipeline + ", running in this JVM");
    DashboardRegistry.register(runId, state);
    DashboardServer server;
    try {
      server = DashboardServer.start(state, options.getUiHost(), port);
    } catch (RuntimeException e) {
      DashboardRegistry.unregister(runId);
      throw e;
    }
    options.setDashboardRunId(runId);
    out.println(server.announcement());
    return new LiveDashboard(runId, state, server);
  }

  /** Reads {@code result}'s counters ({@code always} first) into the dashboard until closed. */
  public void watch(PipelineResult result, List<String> always) {
    poller =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "dashboard-metrics");
              thread.setDaemon(true);
              return thread;
            });
    poller.scheduleWithFixedDelay(() -> readCounters(result, always), 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Reads the counters of the finished {@code result} one last time and marks the run finished. */
  public void finished(PipelineResult result, List<String> always, PipelineResult.State how) {
    readCounters(result, always);
    state.finished("the run ended: " + how.toString().toLowerCase(java.util.Locale.ROOT));
  }

  private void readCounters(PipelineResult result, List<String> always) {
    try {
      state.counters(PipelineMetrics.counters(result, always));
    } catch (RuntimeException e) {
      // A runner that cannot report counters while it runs: the health waits for the next try.
      LOG.debug("Counters not readable yet", e);
    }
  }

  /** The state the page shows. */
  public DashboardState state() {
    return state;
  }

  /** The server. */
  public DashboardServer server() {
    return server;
  }

  @Override
  public void close() {
    if (poller != null) {
      poller.shutdownNow();
    }
    server.close();
    DashboardRegistry.unregister(runId);
  }
}
