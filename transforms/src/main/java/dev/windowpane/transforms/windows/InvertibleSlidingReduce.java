package dev.windowpane.transforms.windows;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableBiFunction;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Spark's {@code reduceByKeyAndWindow(reduce, inverse, window, slide, filter)} for Beam: the
 * values of each key reduced over sliding windows of {@code size} every {@code period}, each
 * window computed from the previous one by reducing the values that enter and inverse-reducing
 * the values that leave, so no element is copied into every window that contains it.
 *
 * <p>How: each bundle reduces its values per (key, pane) before the shuffle (panes of {@link
 * SlidingSpec#paneMillis()}); per key, a stateful step keeps the pane values and the running value
 * of the last window and slides it one period at a time. Cost: O(1) per element, one shuffled
 * element per (key, pane, bundle), O(period / pane) state reads per (window, key) result.
 * {@code inverse} must undo {@code reduce} exactly ({@code inverse(reduce(a, b), b) == a}, and
 * {@code reduce(identity, v) == v}): exact for integers, not for floating point.
 *
 * <p>Output: one {@code KV<key, value>} per window that holds data of the key and whose result
 * the filter keeps (by default: the value is not the identity, so a key whose window sums to 0
 * is left out where Beam's {@code Combine} would report 0), in the window's {@code
 * IntervalWindow} {@code [end - size, end)} with timestamp {@code end - 1}.
 *
 * <p>Late data: each window is emitted once, when final. Window {@code [end - size, end)} is
 * emitted when the watermark passes {@code end - 1 + allowedLateness}, with the output watermark
 * held at {@code end - 1}, so the result is on time downstream and includes data up to the
 * allowed lateness late (with no lateness this is plain on-time emission). A value is added to
 * every window of it not yet emitted for its key; a value whose windows have all been emitted is
 * dropped and counted in the counter {@code windowpane:lateEventsDropped}. A key that goes quiet
 * keeps only the end of its last window, for {@code size + allowedLateness}, and then no state
 * and no timer. Limitation: a stateful step cannot read the watermark, so a key with no state (new,
 * or quiet for longer than that) takes any value as new: a value too late for all of its windows
 * that arrives for such a key is emitted behind the watermark instead of being dropped.
 */
public final class InvertibleSlidingReduce<K, V>
    extends PTransform<PCollection<KV<K, V>>, PCollection<KV<K, V>>> {

  private final SerializableBiFunction<V, V, V> reduce;
  private final SerializableBiFunction<V, V, V> inverse;
  private final V identity;
  private final SlidingSpec spec;
  private final @Nullable SerializableFunction<KV<K, V>, Boolean> filter;
  private final Duration allowedLateness;

  private InvertibleSlidingReduce(
      SerializableBiFunction<V, V, V> reduce,
      SerializableBiFunction<V, V, V> inverse,
      V identity,
      SlidingSpec spec,
      @Nullable SerializableFunction<KV<K, V>, Boolean> filter,
      Duration allowedLateness) {
    this.reduce = reduce;
    this.inverse = inverse;
    this.identity = identity;
    this.spec = spec;
    this.filter = filter;
    this.allowedLateness = allowedLateness;
  }

  /**
   * Reduces each key's values with {@code reduce} over sliding windows of {@code size} every
   * {@code period}, removing values that leave a window with {@code inverse}; {@code identity} is
   * the value of no values.
   */
  public static <K, V> InvertibleSlidingReduce<K, V> of(
      SerializableBiFunction<V, V, V> reduce,
      SerializableBiFunction<V, V, V> inverse,
      V identity,
      Duration size,
      Duration period) {
    Objects.requireNonNull(reduce, "reduce");
    Objects.requireNonNull(inverse, "inverse");
    Objects.requireNonNull(identity, "identity");
    return new InvertibleSlidingReduce<>(
        reduce, inverse, identity, SlidingSpec.of(size, period), null, Duration.ZERO);
  }

  /** Per-key sums over sliding windows; keys whose window sums to 0 are left out. */
  public static <K> InvertibleSlidingReduce<K, Long> sumLongs(Duration size, Duration period) {
    return of((a, b) -> a + b, (a, b) -> a - b, 0L, size, period);
  }

  /**
   * Emits a (window, key) result only when {@code keep} returns true for it (Spark's filter);
   * replaces the default filter, which keeps values other than the identity. (The key type is
   * inferred where the transform is applied.)
   */
  public <KeyT> InvertibleSlidingReduce<KeyT, V> withFilter(
      SerializableFunction<KV<KeyT, V>, Boolean> keep) {
    Objects.requireNonNull(keep, "keep");
    return new InvertibleSlidingReduce<>(
        reduce, inverse, identity, spec, keep, allowedLateness);
  }

  /**
   * Includes data up to {@code lateness} behind the watermark; each window is then emitted that
   * much later in processing, still on time in event time. (The key type is inferred where the
   * transform is applied.)
   */
  @SuppressWarnings("unchecked")
  public <KeyT> InvertibleSlidingReduce<KeyT, V> withAllowedLateness(Duration lateness) {
    return new InvertibleSlidingReduce<>(
        reduce,
        inverse,
        identity,
        spec,
        (SerializableFunction<KV<KeyT, V>, Boolean>) (SerializableFunction<?, ?>) filter,
        SlidingCombine.checkedLateness(lateness));
  }

  @Override
  public PCollection<KV<K, V>> expand(PCollection<KV<K, V>> input) {
    if (!(input.getCoder() instanceof KvCoder)) {
      throw new IllegalArgumentException(
          "InvertibleSlidingReduce needs a KvCoder on its input, got " + input.getCoder() + ".");
    }
    KvCoder<K, V> coder = (KvCoder<K, V>) input.getCoder();
    byte[] encodedIdentity;
    try {
      encodedIdentity = CoderUtils.encodeToByteArray(coder.getValueCoder(), identity);
    } catch (CoderException e) {
      throw new IllegalArgumentException("The identity value cannot be encoded.", e);
    }
    SerializableFunction<KV<K, V>, Boolean> keep =
        filter != null ? filter : new NotIdentity<>(coder.getValueCoder(), encodedIdentity);

    return input
        .apply(
            "IntoGlobalWindow",
            Window.<KV<K, V>>into(new GlobalWindows())
                .triggering(DefaultTrigger.of())
                .discardingFiredPanes()
                .withAllowedLateness(Duration.ZERO))
        .apply(
            "ReducePanesPerBundle",
            ParDo.of(new ReducePanesOfBundleFn<>(spec, reduce, coder.getKeyCoder())))
        .setCoder(KvCoder.of(coder.getKeyCoder(), PaneAggregate.coder(coder.getValueCoder())))
        .apply(
            "SlideWindowsPerKey",
            ParDo.of(
                new SlideWindowsFn<K, V>(
                    new RunningWindow<>(spec, allowedLateness.getMillis(), reduce, inverse),
                    coder.getValueCoder(),
                    encodedIdentity,
                    keep)))
        .setCoder(coder)
        .apply("IntoSlidingWindows", Window.into(EndAlignedWindows.of(spec.size())));
  }

  /** The default filter: the value is not the identity (compared by encoding). */
  private static final class NotIdentity<K, V> implements SerializableFunction<KV<K, V>, Boolean> {
    private final Coder<V> valueCoder;
    private final byte[] encodedIdentity;

    NotIdentity(Coder<V> valueCoder, byte[] encodedIdentity) {
      this.valueCoder = valueCoder;
      this.encodedIdentity = encodedIdentity;
    }

    @Override
    public Boolean apply(KV<K, V> result) {
      try {
        return !java.util.Arrays.equals(
            CoderUtils.encodeToByteArray(valueCoder, result.getValue()), encodedIdentity);
      } catch (CoderException e) {
        throw new IllegalStateException("A window value cannot be encoded.", e);
      }
    }
  }

  /**
   * Reduces the values of one bundle per (key, pane) and emits each (key, pane) once at the end of
   * the bundle, timestamped with its earliest element (so it holds the watermark no less than its
   * elements did).
   */
  static final class ReducePanesOfBundleFn<K, V>
      extends DoFn<KV<K, V>, KV<K, PaneAggregate<V>>> {
    private final SlidingSpec spec;
    private final SerializableBiFunction<V, V, V> reduce;
    private final Coder<K> keyCoder;
    private transient Map<PaneOfKey, Reduced<K, V>> bundle;

    ReducePanesOfBundleFn(SlidingSpec spec, SerializableBiFunction<V, V, V> reduce, Coder<K> keyCoder) {
      this.spec = spec;
      this.reduce = reduce;
      this.keyCoder = keyCoder;
    }

    @StartBundle
    public void startBundle() {
      bundle = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element KV<K, V> element, @Timestamp Instant timestamp) {
      long paneStart = spec.paneStart(timestamp.getMillis());
      PaneOfKey id = new PaneOfKey(keyCoder.structuralValue(element.getKey()), paneStart);
      Reduced<K, V> reduced = bundle.get(id);
      if (reduced == null) {
        bundle.put(id, new Reduced<>(element.getKey(), element.getValue(), timestamp));
      } else {
        reduced.value = reduce.apply(reduced.value, element.getValue());
        reduced.events++;
        if (timestamp.isBefore(reduced.earliest)) {
          reduced.earliest = timestamp;
        }
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      for (Map.Entry<PaneOfKey, Reduced<K, V>> e : bundle.entrySet()) {
        long paneStart = e.getKey().paneStart;
        Reduced<K, V> reduced = e.getValue();
        context.output(
            KV.of(reduced.key, new PaneAggregate<>(paneStart, reduced.value, reduced.events)),
            reduced.earliest,
            GlobalWindow.INSTANCE);
      }
      bundle.clear();
    }

    private static final class PaneOfKey {
      final Object structuralKey;
      final long paneStart;

      PaneOfKey(Object structuralKey, long paneStart) {
        this.structuralKey = structuralKey;
        this.paneStart = paneStart;
      }

      @Override
      public boolean equals(Object o) {
        return o instanceof PaneOfKey
            && ((PaneOfKey) o).paneStart == paneStart
            && ((PaneOfKey) o).structuralKey.equals(structuralKey);
      }

      @Override
      public int hashCode() {
        return 31 * structuralKey.hashCode() + Long.hashCode(paneStart);
      }
    }

    private static final class Reduced<K, V> {
      final K key;
      V value;
      long events = 1;
      Instant earliest;

      Reduced(K key, V value, Instant earliest) {
        this.key = key;
        this.value = value;
        this.earliest = earliest;
      }
    }
  }

  /** Per key: the pane values, the running window value, and one event-time timer. */
  static final class SlideWindowsFn<K, V> extends DoFn<KV<K, PaneAggregate<V>>, KV<K, V>> {
    private final Counter lateEventsDropped = Metrics.counter("windowpane", "lateEventsDropped");
    private final RunningWindow<V> windows;
    private final Coder<V> valueCoder;
    private final byte[] encodedIdentity;
    private final SerializableFunction<KV<K, V>, Boolean> keep;
    private transient V identity;

    @StateId("panes")
    private final StateSpec<MapState<Long, V>> panesSpec;

    @StateId("running")
    private final StateSpec<ValueState<V>> runningSpec;

    @StateId("dataPanes")
    private final StateSpec<ValueState<Integer>> dataPanesSpec = StateSpecs.value(VarIntCoder.of());

    @StateId("firedThrough")
    private final StateSpec<ValueState<Long>> firedThroughSpec =
        StateSpecs.value(VarLongCoder.of());

    @StateId("nextEnd")
    private final StateSpec<ValueState<Long>> nextEndSpec = StateSpecs.value(VarLongCoder.of());

    @TimerId("window")
    private final TimerSpec windowSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    SlideWindowsFn(
        RunningWindow<V> windows,
        Coder<V> valueCoder,
        byte[] encodedIdentity,
        SerializableFunction<KV<K, V>, Boolean> keep) {
      this.windows = windows;
      this.valueCoder = valueCoder;
      this.encodedIdentity = encodedIdentity;
      this.keep = keep;
      this.panesSpec = StateSpecs.map(VarLongCoder.of(), valueCoder);
      this.runningSpec = StateSpecs.value(valueCoder);
    }

    @Setup
    public void setup() throws CoderException {
      identity = CoderUtils.decodeFromByteArray(valueCoder, encodedIdentity);
    }

    @ProcessElement
    public void process(
        @Element KV<K, PaneAggregate<V>> element,
        @StateId("panes") MapState<Long, V> panes,
        @StateId("running") ValueState<V> running,
        @StateId("dataPanes") ValueState<Integer> dataPanes,
        @StateId("firedThrough") ValueState<Long> firedThrough,
        @StateId("nextEnd") ValueState<Long> nextEnd,
        @TimerId("window") Timer timer) {
      PaneAggregate<V> aggregate = element.getValue();
      BeamStore<V> store = new BeamStore<>(panes, running, dataPanes, firedThrough, nextEnd, timer);
      if (!windows.add(store, aggregate.paneStart, aggregate.value)) {
        lateEventsDropped.inc(aggregate.events);
      }
    }

    @OnTimer("window")
    public void onWindow(
        @Key K key,
        OutputReceiver<KV<K, V>> out,
        @StateId("panes") MapState<Long, V> panes,
        @StateId("running") ValueState<V> running,
        @StateId("dataPanes") ValueState<Integer> dataPanes,
        @StateId("firedThrough") ValueState<Long> firedThrough,
        @StateId("nextEnd") ValueState<Long> nextEnd,
        @TimerId("window") Timer timer) {
      BeamStore<V> store = new BeamStore<>(panes, running, dataPanes, firedThrough, nextEnd, timer);
      RunningWindow.Emission<V> emission = windows.fire(store, identity);
      if (emission != null) {
        KV<K, V> result = KV.of(key, emission.value);
        if (Boolean.TRUE.equals(keep.apply(result))) {
          out.outputWithTimestamp(result, new Instant(emission.end - 1));
        }
      }
    }
  }

  /** {@link RunningWindow.Store} on Beam state. */
  private static final class BeamStore<V> implements RunningWindow.Store<V> {
    private final MapState<Long, V> panes;
    private final ValueState<V> running;
    private final ValueState<Integer> dataPanes;
    private final ValueState<Long> firedThrough;
    private final ValueState<Long> nextEnd;
    private final Timer timer;

    BeamStore(
        MapState<Long, V> panes,
        ValueState<V> running,
        ValueState<Integer> dataPanes,
        ValueState<Long> firedThrough,
        ValueState<Long> nextEnd,
        Timer timer) {
      this.panes = panes;
      this.running = running;
      this.dataPanes = dataPanes;
      this.firedThrough = firedThrough;
      this.nextEnd = nextEnd;
      this.timer = timer;
    }

    @Override
    public @Nullable V pane(long start) {
      return panes.get(start).read();
    }

    @Override
    public void putPane(long start, V value) {
      panes.put(start, value);
    }

    @Override
    public void removePane(long start) {
      panes.remove(start);
    }

    @Override
    public Iterable<Long> paneStarts() {
      return panes.keys().read();
    }

    @Override
    public @Nullable V running() {
      return running.read();
    }

    @Override
    public void setRunning(@Nullable V value) {
      if (value == null) {
        running.clear();
      } else {
        running.write(value);
      }
    }

    @Override
    public int dataPanes() {
      Integer count = dataPanes.read();
      return count == null ? 0 : count;
    }

    @Override
    public void setDataPanes(int count) {
      if (count == 0) {
        dataPanes.clear();
      } else {
        dataPanes.write(count);
      }
    }

    @Override
    public @Nullable Long firedThrough() {
      return firedThrough.read();
    }

    @Override
    public void setFiredThrough(long end) {
      firedThrough.write(end);
    }

    @Override
    public @Nullable Long nextEnd() {
      return nextEnd.read();
    }

    @Override
    public void setNextEnd(@Nullable Long end) {
      if (end == null) {
        nextEnd.clear();
      } else {
        nextEnd.write(end);
      }
    }

    @Override
    public void setTimer(long firesAt, @Nullable Long holdAt) {
      Timer withHold =
          holdAt == null ? timer.withNoOutputTimestamp() : timer.withOutputTimestamp(new Instant(holdAt));
      withHold.set(new Instant(firesAt));
    }

    @Override
    public void clear() {
      panes.clear();
      running.clear();
      dataPanes.clear();
      firedThrough.clear();
      nextEnd.clear();
      timer.clear();
    }
  }
}
