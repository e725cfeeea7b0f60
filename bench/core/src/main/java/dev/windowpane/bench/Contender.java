package dev.windowpane.bench;

/**
 * One way of computing the benchmark's task (or, for the pass-through, of reading the workload):
 * it starts a job over a {@link RunSpec} in this JVM whose source reports emitted events and whose
 * sink reports each window's top N (or counted events) to the spec's {@link RunRecorder}.
 */
public interface Contender {
  /** Starts the job and returns without waiting for it to finish. */
  Job start(RunSpec spec) throws Exception;

  /** A started job. */
  interface Job {
    /** Whether the job has ended by itself (succeeded or failed). */
    boolean isFinished();

    /** The failure that ended the job, or null. */
    default Throwable failure() {
      return null;
    }

    /** Stops the job; may block until it has stopped. */
    void cancel() throws Exception;
  }
}
