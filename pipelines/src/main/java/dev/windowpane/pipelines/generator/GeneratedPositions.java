package dev.windowpane.pipelines.generator;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.InstantCoder;
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
 * remembers in state that it fired. The watermark is the lowest of the stripes', as an {@code
 * UnboundedSource}'s is the lowest of its splits'; with one stripe ({@link #STRIPES}) the read runs
 * on one worker.
 *
 * <p>Paced like {@code GenerateSequence.withRate} (and the splits of an {@code UnboundedSource}):
 * position {@code p} of stripe {@code s} is read no earlier than {@code (p - s) / eventsPerSecond}
 * seconds after the stripe's first read, in batches at most every {@link #RESUME_DELAY}. The start
 * is kept in the runner's state, so a restored stream keeps it and catches up with the pace after a
 * downtime, as a restored {@code GenerateSequence} does.
 * With {@code maxEvents} each stripe reads on through {@link Generator#places}, where the positions
 * from {@code maxEvents} on only move the watermark, then ends and releases its watermark, so the
 * watermark reaches the end of time after the last event. The collection is bounded when
 * {@code bounded} is asked for (then the runner may read it in one go, as {@code GenerateSequence}
 * with a bound), unbounded otherwise. O(1) per position.
 */
final class GeneratedPositions extends PTransform<PBegin, PCollection<Long>> {
  /**
   * How many stripes the positions are read in: 1. Beam keys each stripe at random, so more
   * stripes would spread the reading over workers only by chance, and each stripe is resumed by a
   * processing-time timer of its own, which on the DirectRunner holds the step's watermark back
   * while it runs. Measured: with 8 stripes late events were seldom behind the watermark there
   * (TopSellersLateDataTest failed); with 2, an unbounded run at 1000 events per second fired its
   * first windows seconds late and out of order (InterruptTest failed); with 1 both pass. The
   * steps after the read are parallel anyway.
   */
  static final int STRIPES = 1;

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
        .setCoder(VarLongCoder.of())
        .apply("Read", ParDo.of(read))
        .setCoder(VarLongCoder.of());
  }

  /** The stripes 0 .. n-1. */
  private static final class StripesFn extends DoFn<byte[], Long> {
    private final int stripes;

    StripesFn(int stripes) {
      this.stripes = stripes;
    }

    @ProcessElement
    public void processElement(OutputReceiver<Long> out) {
      for (long stripe = 0; stripe < stripes; stripe++) {
        out.output(stripe);
      }
    }
  }

  /**
   * Reads one stripe: its k-th position is {@code stripe + k * stripes}. The restriction is the
   * range of k; the watermark estimator's state is the place of the last position read and the
   * wall-clock time of the stripe's first read, which paces it ({@link PacedWatermark}).
   */
  abstract static class PositionsFn extends DoFn<Long, Long> {
    private final Generator generator;
    private final long eventsPerSecond;
    private final long stripes;

    PositionsFn(Generator generator, long eventsPerSecond, long stripes) {
      this.generator = generator;
      this.eventsPerSecond = eventsPerSecond;
      this.stripes = stripes;
    }

    @GetInitialRestriction
    public OffsetRange initialRestriction(@Element Long stripe) {
      long first = stripe;
      if (!generator.maxEvents().isPresent()) {
        return new OffsetRange(0, Long.MAX_VALUE);
      }
      long places = generator.places().getAsLong();
      long count = places <= first ? 0 : (places - first + stripes - 1) / stripes;
      return new OffsetRange(0, count);
    }

    @GetRestrictionCoder
    public OffsetRange.Coder restrictionCoder() {
      return OffsetRange.Coder.of();
    }

    /** Before the first position of the stripe: the place of the one before it; not started. */
    @GetInitialWatermarkEstimatorState
    public KV<Instant, Long> initialWatermark(@Element Long stripe) {
      long before = generator.placeOf(stripe - stripes).getMillis();
      return KV.of(new Instant(Math.max(before, BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis())), PacedWatermark.NOT_STARTED);
    }

    @GetWatermarkEstimatorStateCoder
    public Coder<KV<Instant, Long>> watermarkCoder() {
      return KvCoder.of(InstantCoder.of(), VarLongCoder.of());
    }

    @NewWatermarkEstimator
    public PacedWatermark newWatermarkEstimator(@WatermarkEstimatorState KV<Instant, Long> state) {
      return new PacedWatermark(state);
    }

    /**
     * When position {@code p} is due, in wall-clock milliseconds: {@code (p - first) /
     * eventsPerSecond} seconds after the stripe's first read, which reads its first position.
     */
    private long dueMillis(long start, long first, long position) {
      return start + (long) Math.ceil((position - first) * 1000.0 / eventsPerSecond);
    }

    ProcessContinuation read(
        long first,
        RestrictionTracker<OffsetRange, Long> tracker,
        ManualWatermarkEstimator<KV<Instant, Long>> watermark,
        OutputReceiver<Long> out) {
      long start = watermark.getState().getValue();
      long maxEvents = generator.maxEvents().orElse(Long.MAX_VALUE);
      long now = Instant.now().getMillis();
      long end = tracker.currentRestriction().getTo();
      long from = tracker.currentRestriction().getFrom();
      for (long k = from; k < end; k++) {
        long position = first + k * stripes;
        long due = dueMillis(start, first, position);
        if (due > now) {
          return ProcessContinuation.resume()
              .withResumeDelay(Duration.millis(Math.max(RESUME_DELAY.getMillis(), due - now)));
        }
        if (!tracker.tryClaim(k)) {
          return ProcessContinuation.stop();
        }
        if (position < maxEvents) {
          out.outputWithTimestamp(position, generator.eventTime(position));
        }
        watermark.setWatermark(generator.placeOf(position));
      }
      return ProcessContinuation.stop();
    }
  }

  /**
   * A manual watermark estimator whose state also holds the wall-clock start of its stripe (epoch
   * milliseconds), set when the estimator is first made for the stripe's first read: the runner
   * keeps it with the watermark in its state, across checkpoints and a restore.
   */
  static final class PacedWatermark implements ManualWatermarkEstimator<KV<Instant, Long>> {
    static final long NOT_STARTED = -1;

    private final WatermarkEstimators.Manual watermark;
    private final long startMillis;

    PacedWatermark(KV<Instant, Long> state) {
      this.watermark = new WatermarkEstimators.Manual(state.getKey());
      this.startMillis = state.getValue() == NOT_STARTED ? Instant.now().getMillis() : state.getValue();
    }

    @Override
    public void setWatermark(Instant value) {
      watermark.setWatermark(value);
    }

    @Override
    public Instant currentWatermark() {
      return watermark.currentWatermark();
    }

    @Override
    public KV<Instant, Long> getState() {
      return KV.of(watermark.currentWatermark(), startMillis);
    }
  }

  @DoFn.UnboundedPerElement
  static final class UnboundedPositionsFn extends PositionsFn {
    UnboundedPositionsFn(Generator generator, long eventsPerSecond, long stripes) {
      super(generator, eventsPerSecond, stripes);
    }

    @ProcessElement
    public ProcessContinuation processElement(
        @Element Long stripe,
        RestrictionTracker<OffsetRange, Long> tracker,
        ManualWatermarkEstimator<KV<Instant, Long>> watermark,
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
        @Element Long stripe,
        RestrictionTracker<OffsetRange, Long> tracker,
        ManualWatermarkEstimator<KV<Instant, Long>> watermark,
        OutputReceiver<Long> out) {
      return read(stripe, tracker, watermark, out);
    }
  }
}
