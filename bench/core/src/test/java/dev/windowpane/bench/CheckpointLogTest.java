package dev.windowpane.bench;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

class CheckpointLogTest {
  @Test
  void readsTheDurationAndSizeOfEachCompletedCheckpointFromFlinksLine() {
    CheckpointLog.reset();
    CheckpointLog.line("[jobmanager-io-thread-1] INFO org.apache.flink.runtime.checkpoint.CheckpointCoordinator - "
        + "Triggering checkpoint 1 (type=CheckpointType{name='Checkpoint'}) @ 1764 for job 5f0e.");
    assertThat(CheckpointLog.meanMillis(), equalTo(-1.0));
    CheckpointLog.line("[jobmanager-io-thread-1] INFO org.apache.flink.runtime.checkpoint.CheckpointCoordinator - "
        + "Completed checkpoint 1 for job 5f0e9c (2097152 bytes, checkpointDuration=120 ms, finalizationTime=3 ms).");
    CheckpointLog.line("[jobmanager-io-thread-2] INFO org.apache.flink.runtime.checkpoint.CheckpointCoordinator - "
        + "Completed checkpoint 2 for job 5f0e9c (1048576 bytes, checkpointDuration=81 ms, finalizationTime=2 ms).");
    assertThat(CheckpointLog.count(), equalTo(2L));
    assertThat(CheckpointLog.meanMillis(), closeTo(100.5, 1e-9));
    assertThat(CheckpointLog.meanBytes(), closeTo(1572864, 1e-9));
    assertThat(CheckpointLog.maxBytes(), equalTo(2097152L));
    CheckpointLog.reset();
    assertThat(CheckpointLog.count(), equalTo(0L));
    assertThat(CheckpointLog.maxBytes(), equalTo(-1L));
  }
}
