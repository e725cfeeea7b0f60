package dev.windowpane.bench.flink;

import dev.windowpane.bench.RunSpec;
import java.nio.file.Paths;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.environment.CheckpointConfig;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The local environment of the native Flink contenders: parallelism, and the spec's state backend
 * ({@code stateBackend}: heap or rocksdb) and checkpoints ({@code checkpointMillis}, exactly once,
 * retained under {@code checkpointDir}) and the interval of its watermarks ({@code intervalMillis};
 * Flink's 200 ms by default), as the Beam contenders get them through Beam's options.
 */
final class FlinkEnvironments {
  private FlinkEnvironments() {}

  static StreamExecutionEnvironment local(RunSpec spec) {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(spec.parallelism(), new Configuration());
    String interval = spec.setting("intervalMillis", "");
    if (!interval.isEmpty()) {
      // Flink's default is 200 ms; the Beam contenders get the same interval for their bundles.
      env.getConfig().setAutoWatermarkInterval(Long.parseLong(interval));
    }
    if (spec.setting("stateBackend", "heap").equals("rocksdb")) {
      env.setStateBackend(new EmbeddedRocksDBStateBackend());
    } else {
      env.setStateBackend(new HashMapStateBackend());
    }
    long checkpointMillis = Long.parseLong(spec.setting("checkpointMillis", "0"));
    if (checkpointMillis > 0) {
      env.enableCheckpointing(checkpointMillis, CheckpointingMode.EXACTLY_ONCE);
      env.getCheckpointConfig()
          .setCheckpointStorage(Paths.get(spec.setting("checkpointDir", "/tmp/windowpane-bench-flink")).toUri().toString());
      env.getCheckpointConfig()
          .setExternalizedCheckpointCleanup(CheckpointConfig.ExternalizedCheckpointCleanup.RETAIN_ON_CANCELLATION);
    }
    return env;
  }
}
