package dev.windowpane.transforms.state;

import java.util.Optional;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The stateful DoFns behind {@link MapWithState}: one per timeout mode, so a pipeline without a
 * timeout declares no timer. Each call reads and writes O(1) state cells. (Beam lets a method use
 * only state declared in its own class, so each subclass declares the state it uses.)
 */
abstract class MappingDoFn<K, V, S, OutT> extends DoFn<KV<K, V>, OutT> {
  static final String STATE = "state";
  static final String LAST_ACTIVITY = "lastActivity";
  static final String TIMEOUT = "timeout";

  private final MapWithState.MappingFunction<K, V, S, OutT> fn;
  private final TupleTag<OutT> outputs;
  private final @Nullable TupleTag<KV<K, S>> snapshots;
  private final Counter stateUpdates = Metrics.counter("windowpane", "stateUpdates");
  private final Counter stateRemovals = Metrics.counter("windowpane", "stateRemovals");
  private final Counter stateTimeouts = Metrics.counter("windowpane", "stateTimeouts");

  MappingDoFn(
      MapWithState.MappingFunction<K, V, S, OutT> fn,
      Coder<S> stateCoder,
      TupleTag<OutT> outputs,
      @Nullable TupleTag<KV<K, S>> snapshots) {
    this.fn = fn;
    this.outputs = outputs;
    this.snapshots = snapshots;
  }

  /** Calls the function for one element, writes back its state and emits its output. */
  KeyState<S> map(KV<K, V> element, ValueState<S> stored, MultiOutputReceiver out) {
    KeyState<S> state = new KeyState<>(stored, false);
    Optional<OutT> result =
        fn.apply(element.getKey(), Optional.ofNullable(element.getValue()), state);
    if (state.removed()) {
      stored.clear();
      stateRemovals.inc();
    } else if (state.updated()) {
      stored.write(state.get());
      stateUpdates.inc();
      if (snapshots != null) {
        out.get(snapshots).output(KV.of(element.getKey(), state.get()));
      }
    }
    emit(element.getKey(), result, out);
    return state;
  }

  /** The key's last call: the function sees no value, then the state is dropped. */
  void timeOut(K key, ValueState<S> stored, MultiOutputReceiver out) {
    KeyState<S> state = new KeyState<>(stored, true);
    if (!state.exists()) {
      return;
    }
    Optional<OutT> result = fn.apply(key, Optional.empty(), state);
    stored.clear();
    stateTimeouts.inc();
    emit(key, result, out);
  }

  private void emit(K key, Optional<OutT> result, MultiOutputReceiver out) {
    if (result == null) {
      throw new IllegalStateException(
          "The mapping function returned null for key "
              + key
              + "; return Optional.empty() for no output.");
    }
    result.ifPresent(value -> out.get(outputs).output(value));
  }

  /** Keys never time out. */
  static final class WithoutTimeout<K, V, S, OutT> extends MappingDoFn<K, V, S, OutT> {
    @StateId(STATE)
    private final StateSpec<ValueState<S>> stateSpec;

    WithoutTimeout(
        MapWithState.MappingFunction<K, V, S, OutT> fn,
        Coder<S> stateCoder,
        TupleTag<OutT> outputs,
        @Nullable TupleTag<KV<K, S>> snapshots) {
      super(fn, stateCoder, outputs, snapshots);
      this.stateSpec = StateSpecs.value(stateCoder);
    }

    @ProcessElement
    public void process(
        @Element KV<K, V> element, @StateId(STATE) ValueState<S> stored, MultiOutputReceiver out) {
      map(element, stored, out);
    }
  }

  /**
   * A key times out when the watermark passes its latest event time plus the timeout (or its
   * window's end, whichever is first). The timer holds the output watermark at its own time, so the
   * timeout's output is not late downstream.
   */
  static final class EventTimeTimeout<K, V, S, OutT> extends MappingDoFn<K, V, S, OutT> {
    @StateId(STATE)
    private final StateSpec<ValueState<S>> stateSpec;

    @StateId(LAST_ACTIVITY)
    private final StateSpec<ValueState<Instant>> lastActivitySpec =
        StateSpecs.value(InstantCoder.of());

    @TimerId(TIMEOUT)
    private final TimerSpec timeoutSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    private final Duration timeout;

    EventTimeTimeout(
        MapWithState.MappingFunction<K, V, S, OutT> fn,
        Coder<S> stateCoder,
        TupleTag<OutT> outputs,
        @Nullable TupleTag<KV<K, S>> snapshots,
        Duration timeout) {
      super(fn, stateCoder, outputs, snapshots);
      this.stateSpec = StateSpecs.value(stateCoder);
      this.timeout = timeout;
    }

    @ProcessElement
    public void process(
        @Element KV<K, V> element,
        @Timestamp Instant timestamp,
        BoundedWindow window,
        @StateId(STATE) ValueState<S> stored,
        @StateId(LAST_ACTIVITY) ValueState<Instant> lastActivity,
        @TimerId(TIMEOUT) Timer timer,
        MultiOutputReceiver out) {
      KeyState<S> state = map(element, stored, out);
      if (state.exists()) {
        Instant latest = latest(lastActivity.read(), timestamp);
        lastActivity.write(latest);
        Instant deadline = earliest(latest.plus(timeout), window.maxTimestamp());
        timer.withOutputTimestamp(deadline).set(deadline);
      } else {
        lastActivity.clear();
        timer.clear();
      }
    }

    @OnTimer(TIMEOUT)
    public void onTimeout(
        @Key K key,
        @StateId(STATE) ValueState<S> stored,
        @StateId(LAST_ACTIVITY) ValueState<Instant> lastActivity,
        MultiOutputReceiver out) {
      timeOut(key, stored, out);
      lastActivity.clear();
    }
  }

  /**
   * A key times out when it has seen no element for the timeout in processing time. The timeout's
   * output carries the key's latest event time, and the output watermark is held there until then.
   */
  static final class ProcessingTimeTimeout<K, V, S, OutT> extends MappingDoFn<K, V, S, OutT> {
    @StateId(STATE)
    private final StateSpec<ValueState<S>> stateSpec;

    @StateId(LAST_ACTIVITY)
    private final StateSpec<ValueState<Instant>> lastActivitySpec =
        StateSpecs.value(InstantCoder.of());

    @TimerId(TIMEOUT)
    private final TimerSpec timeoutSpec = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

    private final Duration timeout;

    ProcessingTimeTimeout(
        MapWithState.MappingFunction<K, V, S, OutT> fn,
        Coder<S> stateCoder,
        TupleTag<OutT> outputs,
        @Nullable TupleTag<KV<K, S>> snapshots,
        Duration timeout) {
      super(fn, stateCoder, outputs, snapshots);
      this.stateSpec = StateSpecs.value(stateCoder);
      this.timeout = timeout;
    }

    @ProcessElement
    public void process(
        @Element KV<K, V> element,
        @Timestamp Instant timestamp,
        @StateId(STATE) ValueState<S> stored,
        @StateId(LAST_ACTIVITY) ValueState<Instant> lastActivity,
        @TimerId(TIMEOUT) Timer timer,
        MultiOutputReceiver out) {
      KeyState<S> state = map(element, stored, out);
      if (state.exists()) {
        Instant latest = latest(lastActivity.read(), timestamp);
        lastActivity.write(latest);
        timer.withOutputTimestamp(latest).offset(timeout).setRelative();
      } else {
        lastActivity.clear();
        timer.clear();
      }
    }

    @OnTimer(TIMEOUT)
    public void onTimeout(
        @Key K key,
        @StateId(STATE) ValueState<S> stored,
        @StateId(LAST_ACTIVITY) ValueState<Instant> lastActivity,
        MultiOutputReceiver out) {
      timeOut(key, stored, out);
      lastActivity.clear();
    }
  }

  private static Instant latest(@Nullable Instant a, Instant b) {
    return a == null || b.isAfter(a) ? b : a;
  }

  private static Instant earliest(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
