package dev.windowpane.pipelines.generator;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.splittabledofn.ManualWatermarkEstimator;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.transforms.splittabledofn.WatermarkEstimators;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The positions 0, 1, 2, ... of a generator stream, timestamped with their event times ({@link
 * Generator#eventTime}, {@code lateBy} earlier for a late event), while the watermark follows the
 * sequence: {@link Generator#placeOf} of the last position read. So a late event really arrives
 * behind the watermark, on every runner, as data behind a source's watermark does.
 *
 * <p>A splittable DoFn, not an {@code UnboundedSource}: {@code Impulse}, then {@value #STRIPES}
 * stripes (stripe s reads positions s, s + {@value #STRIPES}, s + 2 * {@value #STRIPES}, ...), each
 * an element whose restriction, an {@link OffsetRange} of its k-th positions, the runner keeps in
 * its state with the element and the watermark. Every position is read exactly once across a
 * checkpoint and a restore, also on Beam 2.62's Flink runner, which replays an {@code
 * UnboundedSource} from the start after a restore (Beam issue 31313) and whose {@code Impulse}
 * remembers in state that it fired. The stripes are keyed at random by Beam, so with parallelism
 * 2 they are read on both workers with high probability; the watermark is the lowest of the
 * stripes', as an {@code UnboundedSource}'s is the lowest of its splits'.
 *
 * <p>Paced like {@code GenerateSequence.withRate}: position {@code p} is read no earlier than
 * {@code p / eventsPerSecond} seconds after the stream started (a restored stream keeps its start,
 * so it catches up with the pace after a downtime), in batches at most every {@link #RESUME_DELAY}.
 * With {@code maxEvents} each stripe ends after its last position and releases its watermark, so
 * the watermark reaches the end of time after the last event. The collection is bounded when
 * {@code bounded} is asked for (then the runner may read it in one go, as {@code GenerateSequence}
 * with a bound), unbounded otherwise. O(1) per position.
 */
final class GeneratedPositions extends PTransform<PBegin, PCollection<Long>> {
  /** How many stripes the positions are read in. */
  static final int STRIPES = 8;

  /** The shortest wait between two batches of one stripe. */
  static final Duration RESUME_DELAY = Duration.millis(100);

  private final Generator generator;
  private final long eventsPerSecond;
  private final boolean bounded;

  GeneratedPositions(Generator generator, long eventsPerSecond, boolean bounded) {
    if (bounded && !generator.maxEvents().isPresent()) {
      throw new IllegalArgumentException("Only a stream with maxEvents can be read as a bounded collection.");
    }
    this.generator = generator;
    this.eventsPerSecond = eventsPerSecond;
    this.bounded = bounded;
  }

  @Override
  public PCollection<Long> expand(PBegin begin) {
    int stripes =
        (int) Math.min(STRIPES, generator.maxEvents().orElse(STRIPES));
    PositionsFn read =
        bounded
            ? new BoundedPositionsFn(generator, eventsPerSecond, stripes)
            : new UnboundedPositionsFn(generator, eventsPerSecond, stripes);
    return begin
        .apply("Impulse", Impulse.create())
        .apply("Stripes", ParDo.of(new StripesFn(stripes)))
        .setCoder(KvCoder.of(VarLongCoder.of(), VarLongCoder.of()))
        .apply("Read", ParDo.of(read))
        .setCoder(VarLongCoder.of());
  }

  /** The stripes 0 .. n-1, each with the wall-clock start of the stream (milliseconds). */
  private static final class StripesFn extends DoFn<byte[], KV<Long, Long>> {
    private final int stripes;

    StripesFn(int stripes) {
      this.stripes = stripes;
    }

    @ProcessElement
    public void processElement(OutputReceiver<KV<Long, Long>> out) {
      long start = Instant.now().getMillis();
      for (long stripe = 0; stripe < stripes; stripe++) {
        out.output(KV.of(stripe, start));
      }
    }
  }

  /**
   * Reads one stripe (stripe, start): its k-th position is {@code stripe + k * stripes}. The
   * restriction is the range of k; the watermark estimator's state is the place of the last
   * position read.
   */
  abstract static class PositionsFn extends DoFn<KV<Long, Long>, Long> {
    private final Generator generator;
    private final long eventsPerSecond;
    private final long stripes;

    PositionsFn(Generator generator, long eventsPerSecond, long stripes) {
      this.generator = generator;
      this.eventsPerSecond = eventsPerSecond;
      this.stripes = stripes;
    }

    @GetInitialRestriction
    public OffsetRange initialRestriction(@Element KV<Long, Long> stripe) {
      long first = stripe.getKey();
      if (!generator.maxEvents().isPresent()) {
        return new OffsetRange(0, Long.MAX_VALUE);
      }
      long max = generator.maxEvents().getAsLong();
      long count = max <= first ? 0 : (max - first + stripes - 1) / stripes;
      return new OffsetRange(0, count);
    }

    @GetRestrictionCoder
    public OffsetRange.Coder restrictionCoder() {
      return OffsetRange.Coder.of();
    }

    /** Before the first position of the stripe: the place of the one before it. */
    @GetInitialWatermarkEstimatorState
    public Instant initialWatermark(@Element KV<Long, Long> stripe) {
      long before = generator.placeOf(stripe.getKey() - stripes).getMillis();
      return new Instant(Math.max(before, BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis()));
    }

    @GetWatermarkEstimatorStateCoder
    public org.apache.beam.sdk.coders.Coder<Instant> watermarkCoder() {
      return org.apache.beam.sdk.coders.InstantCoder.of();
    }

    @NewWatermarkEstimator
    public WatermarkEstimators.Manual newWatermarkEstimator(@WatermarkEstimatorState Instant watermark) {
      return new WatermarkEstimators.Manual(watermark);
    }

    /** When position {@code p} is due, in wall-clock milliseconds. */
    private long dueMillis(long start, long position) {
      return start + (long) Math.ceil(position * 1000.0 / eventsPerSecond);
    }

    ProcessContinuation read(
        KV<Long, Long> stripe,
        RestrictionTracker<OffsetRange, Long> tracker,
        ManualWatermarkEstimator<Instant> watermark,
        OutputReceiver<Long> out) {
      long first = stripe.getKey();
      long start = stripe.getValue();
      long now = Instant.now().getMillis();
      long end = tracker.currentRestriction().getTo();
      for (long k = tracker.currentRestriction().getFrom(); k < end; k++) {
        long position = first + k * stripes;
        long due = dueMillis(start, position);
        if (due > now) {
          return ProcessContinuation.resume()
              .withResumeDelay(Duration.millis(Math.max(RESUME_DELAY.getMillis(), due - now)));
        }
        if (!tracker.tryClaim(k)) {
          return ProcessContinuation.stop();
        }
        out.outputWithTimestamp(position, generator.eventTime(position));
        watermark.setWatermark(generator.placeOf(position));
      }
      return ProcessContinuation.stop();
    }
  }

  @DoFn.UnboundedPerElement
  static final class UnboundedPositionsFn extends PositionsFn {
    UnboundedPositionsFn(Generator generator, long eventsPerSecond, long stripes) {
      super(generator, eventsPerSecond, stripes);
    }

    @ProcessElement
    public ProcessContinuation processElement(
        @Element KV<Long, Long> stripe,
        RestrictionTracker<OffsetRange, Long> tracker,
        ManualWatermarkEstimator<Instant> watermark,
        OutputReceiver<Long> out) {
      return read(stripe, tracker, watermark, out);
    }
  }

  @DoFn.BoundedPerElement
  static final class BoundedPositionsFn extends PositionsFn {
    BoundedPositionsFn(Generator generator, long eventsPerSecond, long stripes) {
      super(generator, eventsPerSecond, stripes);
    }

    @ProcessElement
    public ProcessContinuation processElement(
        @Element KV<Long, Long> stripe,
        RestrictionTracker<OffsetRange, Long> tracker,
        ManualWatermarkEstimator<Instant> watermark,
        OutputReceiver<Long> out) {
      return read(stripe, tracker, watermark, out);
    }
  }
}
