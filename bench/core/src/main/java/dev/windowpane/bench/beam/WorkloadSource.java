package dev.windowpane.bench.beam;

import dev.windowpane.bench.Event;
import dev.windowpane.bench.RunRecorder;
import dev.windowpane.bench.Workload;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * Unbounded Beam source of a {@link Workload}: split {@code i}-of-{@code n} emits the events whose
 * index is {@code i} modulo {@code n}, in index order, each at its event time; its watermark is
 * the largest event time it emitted minus the workload's maximum disorder (so no event is ever
 * late), and the end of time once it has emitted its last event, which lets every window fire and
 * the job finish. Checkpoints hold the next index, so a runner that restarts readers every
 * micro-batch (Spark) resumes where it stopped. A paced run ({@link RunRecorder#pace}) emits event
 * i no earlier than its due time. O(1) per event.
 */
public final class WorkloadSource extends UnboundedSource<Event, WorkloadSource.Position> {
  private static final long serialVersionUID = 1L;

  private final Workload workload;
  private final String runId;
  private final int split;
  private final int splits;

  private WorkloadSource(Workload workload, String runId, int split, int splits) {
    this.workload = workload;
    this.runId = runId;
    this.split = split;
    this.splits = splits;
  }

  /** The whole workload, to be split by the runner; emitted events are reported to {@code runId}. */
  public static WorkloadSource of(Workload workload, String runId) {
    return new WorkloadSource(workload, runId, 0, 1);
  }

  @Override
  public List<WorkloadSource> split(int desiredNumSplits, PipelineOptions options) {
    if (splits > 1 || desiredNumSplits <= 1) {
      return List.of(this);
    }
    List<WorkloadSource> result = new ArrayList<>(desiredNumSplits);
    for (int i = 0; i < desiredNumSplits; i++) {
      result.add(new WorkloadSource(workload, runId, i, desiredNumSplits));
    }
    return result;
  }

  @Override
  public UnboundedReader<Event> createReader(PipelineOptions options, Position checkpoint) {
    return new Reader(this, checkpoint == null ? new Position(split, Long.MIN_VALUE) : checkpoint);
  }

  @Override
  public Coder<Position> getCheckpointMarkCoder() {
    return PositionCoder.INSTANCE;
  }

  @Override
  public Coder<Event> getOutputCoder() {
    return EventCoder.of();
  }

  /** Where a split stands: the next index to emit and the largest event time emitted so far. */
  public static final class Position implements UnboundedSource.CheckpointMark {
    private final long nextIndex;
    private final long maxTimestamp;

    Position(long nextIndex, long maxTimestamp) {
      this.nextIndex = nextIndex;
      this.maxTimestamp = maxTimestamp;
    }

    @Override
    public void finalizeCheckpoint() {}
  }

  private static final class PositionCoder extends AtomicCoder<Position> {
    static final PositionCoder INSTANCE = new PositionCoder();

    @Override
    public void encode(Position p, OutputStream out) throws IOException {
      VarLongCoder.of().encode(p.nextIndex, out);
      VarLongCoder.of().encode(p.maxTimestamp, out);
    }

    @Override
    public Position decode(InputStream in) throws IOException {
      return new Position(VarLongCoder.of().decode(in), VarLongCoder.of().decode(in));
    }
  }

  private static final class Reader extends UnboundedReader<Event> {
    private static final int REPORT_EVERY = 128;

    private final WorkloadSource source;
    private final Workload workload;
    private final RunRecorder recorder;
    private long next;
    private long maxTimestamp;
    private Event current;
    private boolean exhausted;
    private int unreported;

    Reader(WorkloadSource source, Position position) {
      this.source = source;
      this.workload = source.workload;
      this.recorder = RunRecorder.of(source.runId);
      this.next = position.nextIndex;
      this.maxTimestamp = position.maxTimestamp;
    }

    @Override
    public boolean start() {
      return advance();
    }

    @Override
    public boolean advance() {
      if (next >= workload.events()) {
        exhausted = true;
        current = null;
        report();
        return false;
      }
      long due = recorder.dueNanos(next);
      if (due != 0) {
        long now = System.nanoTime();
        if (now < due) {
          // Paced: nothing yet; the runner asks again.
          current = null;
          report();
          return false;
        }
        if ((next / source.splits) % REPORT_EVERY == 0) {
          recorder.emittedAt(next, now);
        }
      }
      current = Event.of(workload, next);
      maxTimestamp = Math.max(maxTimestamp, current.timestampMillis());
      next += source.splits;
      if (++unreported == REPORT_EVERY) {
        report();
      }
      return true;
    }

    private void report() {
      if (unreported > 0) {
        recorder.emitted(unreported);
        unreported = 0;
      }
    }

    @Override
    public Event getCurrent() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return current;
    }

    @Override
    public Instant getCurrentTimestamp() {
      return new Instant(getCurrent().timestampMillis());
    }

    @Override
    public Instant getWatermark() {
      if (exhausted) {
        return BoundedWindow.TIMESTAMP_MAX_VALUE;
      }
      if (maxTimestamp == Long.MIN_VALUE) {
        return BoundedWindow.TIMESTAMP_MIN_VALUE;
      }
      return new Instant(maxTimestamp - workload.maxDisorderMillis());
    }

    @Override
    public CheckpointMark getCheckpointMark() {
      report();
      return new Position(next, maxTimestamp);
    }

    @Override
    public UnboundedSource<Event, ?> getCurrentSource() {
      return source;
    }

    @Override
    public void close() {
      report();
    }
  }
}
