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
 * retained under {@code checkpointDir}), as the Beam contenders get them through Beam's options.
 */
final class FlinkEnvironments {
  private FlinkEnvironments() {}

  static StreamExecutionEnvironment local(RunSpec spec) {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(spec.parallelism(), new Configuration());
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
