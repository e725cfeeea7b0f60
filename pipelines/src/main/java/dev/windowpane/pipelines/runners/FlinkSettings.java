package dev.windowpane.pipelines.runners;

import dev.windowpane.pipelines.cli.CommandFailure;
import dev.windowpane.pipelines.cli.UsageException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Set;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.joda.time.Duration;

/**
 * The pipelines' settings of the FlinkRunner's options, in one class that only a Flink run loads:
 * the Spark jar carries no Flink classes.
 */
public final class FlinkSettings {
  private FlinkSettings() {}

  /** Whether {@code options} run on the FlinkRunner. */
  public static boolean isFlink(PipelineOptions options) {
    return options.getRunner() != null && options.getRunner().getSimpleName().equals("FlinkRunner");
  }

  /**
   * No step of the pipelines changes an element it received, so Flink need not copy elements
   * between chained steps: object reuse is on (Flink then hands each element to the next chained
   * step as it is; Beam's coders still build a new object for each element they decode). Beam's
   * {@code fasterCopy} is on too without checkpoints, and off with them: it also turns off the copies
   * Flink's heap state backend makes of a state value while a snapshot of it is written, and Beam's
   * own combining state (the trigger's counts) changes its accumulators in place, so a checkpoint
   * could hold state from after its barrier. An option in {@code given} (the ones on the command
   * line) is left as it was set.
   */
  public static void copyElementsOnlyWhereNeeded(PipelineOptions options, Set<String> given) {
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    boolean checkpoints =
        options.as(CheckpointOptions.class).getCheckpointDirectory() != null
            || (flink.getCheckpointingInterval() != null && flink.getCheckpointingInterval() > 0);
    if (!given.contains("objectReuse")) {
      flink.setObjectReuse(true);
    }
    if (!given.contains("fasterCopy")) {
      flink.setFasterCopy(!checkpoints);
    }
  }

  /**
   * Fails in one sentence when {@code --flinkMaster} names a cluster (HOST:PORT) that does not
   * accept a connection, instead of Beam's minute of retries and its stack traces.
   */
  public static void checkClusterAnswers(PipelineOptions options) {
    String master = options.as(FlinkPipelineOptions.class).getFlinkMaster();
    if (master == null || master.startsWith("[")) {
      return;
    }
    String hostAndPort = master.replaceFirst("^[a-z]+://", "").replaceFirst("/.*$", "");
    int colon = hostAndPort.lastIndexOf(':');
    String host = colon < 0 ? hostAndPort : hostAndPort.substring(0, colon);
    int port;
    try {
      port = colon < 0 ? 8081 : Integer.parseInt(hostAndPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new UsageException("Option --flinkMaster must be HOST:PORT, got " + master + ".");
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 5000);
    } catch (IOException e) {
      throw new CommandFailure(
          "Cannot reach a Flink cluster at " + master + " (" + e.getClass().getSimpleName() + "): start one"
              + " (make flink-up) or give its HOST:PORT.",
          e);
    }
  }

  /**
   * The batch interval unless {@code --batchInterval} (or Beam's {@code --maxBundleTimeMills} or
   * {@code --autoWatermarkInterval}) says otherwise: Beam's own 1 s bundles hold each stateful
   * step's output watermark for up to that long, so a window's ranking reached the sink 1.7 s
   * (p50) to 3 s (p99) after the window was complete; at 100 ms, 0.4 s and 0.7 s (the benchmark's
   * freshness row), while bundles still close at 1000 elements under load.
   */
  public static final Duration DEFAULT_BATCH_INTERVAL = Duration.millis(100);

  /**
   * {@code --batchInterval} on Flink: a bundle closes after this time (or 1000 elements), and the
   * sources' watermarks advance this often.
   */
  public static void batchInterval(PipelineOptions options, Duration interval) {
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    flink.setMaxBundleTimeMills(interval.getMillis());
    flink.setAutoWatermarkInterval(interval.getMillis());
  }
}
