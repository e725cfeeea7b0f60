package dev.windowpane.pipelines.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.CountingSource;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The positions 0, 1, 2, ... of a generator stream that has late events, as an unbounded source
 * whose timestamps and watermark differ: position {@code i} is timestamped with its event time
 * ({@link Generator#eventTime}, {@code lateBy} earlier for a late event), while the
 * watermark follows the sequence, {@link Generator#placeOf} of the last position read. So a late event really
 * arrives behind the watermark, on every runner, as data behind a source's watermark does.
 *
 * <p>Beam's {@code GenerateSequence} cannot do this: its watermark is the last timestamp (its
 * timestamp function "may not decrease"), and with a bound ({@code to}) it becomes a bounded
 * collection read in one step, with no watermark before the end. This source also ends at {@code
 * maxEvents} when there is one, by reporting the final watermark, and stays unbounded until then.
 *
 * <p>Paced like {@code GenerateSequence.withRate}: position {@code p} is read no earlier than
 * {@code p / eventsPerSecond} seconds after the reader started. Splits take every n-th position;
 * the checkpoint is the last position read. O(1) per position.
 */
final class GeneratedPositions extends UnboundedSource<Long, CountingSource.CounterMark> {
  private static final long serialVersionUID = 1L;

  private final Generator generator;
  private final long eventsPerSecond;
  private final long start;
  private final long stride;

  GeneratedPositions(Generator generator, long eventsPerSecond) {
    this(generator, eventsPerSecond, 0, 1);
  }

  private GeneratedPositions(Generator generator, long eventsPerSecond, long start, long stride) {
    this.generator = generator;
    this.eventsPerSecond = eventsPerSecond;
    this.start = start;
    this.stride = stride;
  }

  /** Split i of n reads positions start + i * stride, then every n * stride-th one. */
  @Override
  public List<GeneratedPositions> split(int desiredNumSplits, PipelineOptions options) {
    int splits = Math.max(1, desiredNumSplits);
    List<GeneratedPositions> result = new ArrayList<>(splits);
    for (int i = 0; i < splits; i++) {
      result.add(new GeneratedPositions(generator, eventsPerSecond, start + i * stride, stride * splits));
    }
    return result;
  }

  @Override
  public UnboundedReader<Long> createReader(
      PipelineOptions options, CountingSource.@Nullable CounterMark checkpointMark) {
    return new Reader(this, checkpointMark);
  }

  @Override
  public Coder<CountingSource.CounterMark> getCheckpointMarkCoder() {
    return new CountingSource.CounterMarkCoder();
  }

  @Override
  public Coder<Long> getOutputCoder() {
    return VarLongCoder.of();
  }

  private static final class Reader extends UnboundedReader<Long> {
    private final GeneratedPositions source;
    /** The last position read; {@code start - stride} before the first. */
    private long current;
    private @Nullable Instant firstStarted;

    Reader(GeneratedPositions source, CountingSource.@Nullable CounterMark mark) {
      this.source = source;
      if (mark == null) {
        this.current = source.start - source.stride;
      } else {
        this.current = mark.getLastEmitted();
        this.firstStarted = mark.getStartTime();
      }
    }

    @Override
    public boolean start() {
      if (firstStarted == null) {
        firstStarted = Instant.now();
      }
      return advance();
    }

    @Override
    public boolean advance() {
      if (ended()) {
        return false;
      }
      long next = current + source.stride;
      if (next > due()) {
        return false;
      }
      current = next;
      return true;
    }

    /** Whether every position of this split below maxEvents has been read. */
    private boolean ended() {
      return source.generator.maxEvents().isPresent()
          && current + source.stride >= source.generator.maxEvents().getAsLong();
    }

    /** The highest position the pace allows by now. */
    private long due() {
      if (firstStarted == null) {
        return Long.MAX_VALUE;
      }
      long elapsedMillis = Instant.now().getMillis() - firstStarted.getMillis();
      double due = source.eventsPerSecond * (elapsedMillis / 1000.0);
      return due >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) due;
    }

    @Override
    public Instant getWatermark() {
      if (ended()) {
        return BoundedWindow.TIMESTAMP_MAX_VALUE;
      }
      return source.generator.placeOf(current);
    }

    @Override
    public Long getCurrent() {
      if (current < source.start) {
        throw new NoSuchElementException("No position read yet.");
      }
      return current;
    }

    @Override
    public Instant getCurrentTimestamp() {
      return source.generator.eventTime(getCurrent());
    }

    @Override
    public CountingSource.CounterMark getCheckpointMark() {
      return new CountingSource.CounterMark(current, firstStarted);
    }

    @Override
    public UnboundedSource<Long, CountingSource.CounterMark> getCurrentSource() {
      return source;
    }

    @Override
    public long getSplitBacklogBytes() {
      long last =
          source.generator.maxEvents().isPresent()
              ? Math.min(due(), source.generator.maxEvents().getAsLong() - 1)
              : due();
      return Math.max(0L, 8 * ((last - current) / source.stride));
    }

    @Override
    public void close() {}
  }
}
