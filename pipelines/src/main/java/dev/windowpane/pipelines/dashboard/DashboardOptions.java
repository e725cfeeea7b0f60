package dev.windowpane.pipelines.dashboard;

import dev.windowpane.pipelines.cli.UsageException;
import dev.windowpane.pipelines.runners.FlinkSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;
import org.apache.beam.sdk.options.PipelineOptions;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Where the live dashboard is served: {@code --ui=PORT} (or {@code false}) and {@code --uiHost}.
 * A pipeline serves it only when {@code --ui} names a port; the {@code dashboard} command serves it
 * on 8080 unless told otherwise. The run id that ties a pipeline's steps to the dashboard of its
 * JVM is set by the command, never typed.
 */
@Description("Dashboard")
public interface DashboardOptions extends PipelineOptions {
  /** The address the dashboard binds unless {@code --uiHost} says otherwise: this machine only. */
  String LOOPBACK = "127.0.0.1";

  /** The port of the {@code dashboard} command without {@code --ui}. */
  int DEFAULT_PORT = 8080;

  @Description(
      "Serve the live dashboard (a web page of the rankings, sessions and health) on this port while"
          + " the command runs (0: any free port); false: no dashboard. A pipeline serves none unless"
          + " given; the dashboard command serves on 8080.")
  String getUi();

  void setUi(String value);

  @Description(
      "The address the dashboard listens on: 127.0.0.1 (this machine only), or e.g. 0.0.0.0 for every"
          + " network interface (anyone who reaches the port sees the rankings).")
  @Default.String(LOOPBACK)
  String getUiHost();

  void setUiHost(String value);

  /** Set by the command: the key under which this run's dashboard is registered in this JVM. */
  @Hidden
  String getDashboardRunId();

  void setDashboardRunId(String value);

  /**
   * The port {@code --ui} names, or null for no dashboard ({@code false} or not given, unless
   * {@code defaultPort} is given for a command that always serves one).
   */
  static @Nullable Integer port(DashboardOptions options, @Nullable Integer defaultPort) {
    String ui = options.getUi();
    if (ui == null) {
      return defaultPort;
    }
    if (ui.equalsIgnoreCase("false")) {
      return null;
    }
    if (!ui.matches("[0-9]{1,5}") || Integer.parseInt(ui) > 65535) {
      throw new UsageException("Option --ui must be a port from 0 to 65535 or false, got '" + ui + "'.");
    }
    return Integer.parseInt(ui);
  }

  /**
   * Checks {@code --ui} and {@code --uiHost} of a pipeline: a port, an address of this machine, and a
   * runner that runs the pipeline's steps in this JVM (a Flink cluster's workers cannot reach the
   * page this command serves). {@code given}: the options named.
   */
  static void validate(DashboardOptions options, Set<String> given) {
    Integer port = port(options, null);
    if (port == null) {
      if (given.contains("uiHost")) {
        throw new UsageException("Option --uiHost does nothing without --ui=PORT.");
      }
      return;
    }
    checkHost(options.getUiHost());
    if (FlinkSettings.isFlink(options)) {
      String master = options.as(FlinkPipelineOptions.class).getFlinkMaster();
      if (master != null && !master.startsWith("[")) {
        throw new UsageException(
            "Option --ui serves what this JVM computes, and on the Flink cluster at --flinkMaster=" + master
                + " the pipeline runs elsewhere: write the results with --output=DIR (or --sink=kafka) and run"
                + " 'dashboard --from=DIR' (or --from=kafka).");
      }
    }
  }

  /** Refuses a {@code --uiHost} that is not an address of a name this machine can look up. */
  static void checkHost(String host) {
    try {
      InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new UsageException("Option --uiHost=" + host + " is not an address this machine knows.");
    }
  }
}
