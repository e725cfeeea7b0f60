package dev.windowpane.pipelines.generator;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * The built-in source: events 0, 1, 2, ... of one {@link EventKind}, each made from (seed, index)
 * and timestamped with its event time {@code origin + index * spacing}; the watermark follows the
 * sequence. Paced at {@code eventsPerSecond} of wall-clock time; unbounded, or bounded by {@code
 * maxEvents}. O(1) per event. Counts "windowpane":"eventsRead".
 *
 * <p>The positions are read by one splittable DoFn ({@link GeneratedPositions}), which restores
 * exactly once from a checkpoint (on Flink too). With late events ({@link
 * Generator#hasLateEvents()}) a late event is timestamped {@code lateBy} before its place while the
 * watermark keeps following the places; the stream is then unbounded even with {@code maxEvents},
 * and ends, its watermark at the end of time, after the last event. Without late events and with
 * {@code maxEvents} it is a bounded collection, as it was with Beam's {@code GenerateSequence}.
 */
public final class GeneratedEvents<T> extends PTransform<PBegin, PCollection<T>> {
  private final EventKind<T> kind;
  private final Generator generator;
  private final long eventsPerSecond;

  private GeneratedEvents(EventKind<T> kind, Generator generator, long eventsPerSecond) {
    this.kind = kind;
    this.generator = generator;
    this.eventsPerSecond = eventsPerSecond;
  }

  public static <T> GeneratedEvents<T> of(
      EventKind<T> kind, Generator generator, long eventsPerSecond) {
    if (eventsPerSecond < 1) {
      throw new IllegalArgumentException("eventsPerSecond must be at least 1, got " + eventsPerSecond + ".");
    }
    return new GeneratedEvents<>(kind, generator, eventsPerSecond);
  }

  @Override
  public PCollection<T> expand(PBegin begin) {
    boolean bounded = !generator.hasLateEvents() && generator.maxEvents().isPresent();
    return begin
        .apply("Positions", new GeneratedPositions(generator, eventsPerSecond, bounded))
        .apply("ToEvents", ParDo.of(new ToEventFn<>(kind, generator)))
        .setCoder(kind.coder());
  }

  private static final class ToEventFn<T> extends DoFn<Long, T> {
    private final Counter eventsRead = Metrics.counter("windowpane", "eventsRead");
    private final EventKind<T> kind;
    private final Generator generator;

    ToEventFn(EventKind<T> kind, Generator generator) {
      this.kind = kind;
      this.generator = generator;
    }

    @ProcessElement
    public void processElement(@Element Long index, OutputReceiver<T> out) {
      eventsRead.inc();
      out.output(generator.event(kind, index));
    }
  }
}
