package dev.windowpane.bench.flink;

import dev.windowpane.bench.Contender;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;

/** A native Flink job started in this JVM's mini cluster, as a {@link Contender.Job}. */
final class LocalFlinkJob implements Contender.Job {
  private final JobClient client;

  LocalFlinkJob(JobClient client) {
    this.client = client;
  }

  @Override
  public boolean isFinished() {
    try {
      JobStatus status = client.getJobStatus().get();
      return status.isGloballyTerminalState();
    } catch (Exception e) {
      // The per-job mini cluster is gone once the job has finished.
      return true;
    }
  }

  @Override
  public void cancel() throws Exception {
    client.cancel().get();
  }
}
