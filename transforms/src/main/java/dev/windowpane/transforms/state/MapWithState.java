package dev.windowpane.transforms.state;

import java.io.Serializable;
import java.util.Map;
import java.util.Optional;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Duration;

/**
 * Spark Streaming's {@code mapWithState} on Beam state and timers: for every element of a {@code
 * PCollection<KV<K, V>>} calls a {@link MappingFunction} with the key, the value and a {@link
 * StateHandle} on the key's state, and emits what the function returns (zero or one output per
 * call).
 *
 * <p>With {@link #withTimeout(Duration)} a key that holds state and has been idle for the timeout
 * gets one more call with no value and {@link StateHandle#isTimingOut()} true; its output is
 * emitted and the key's state is dropped, so the key's next element starts from no state. Idle
 * means in event time by default (the watermark passed the key's latest event time plus the
 * timeout; on bounded input every key still holding state times out when the input ends) or in
 * processing time after {@link #inProcessingTime()}. Only keys that hold state time out; an element
 * refreshes the timeout when the key holds state after the call, as in Spark.
 *
 * <p>With {@link #withStateSnapshots()} every update is also emitted as a {@code KV<K, S>} snapshot
 * in {@link Result#snapshots()}.
 *
 * <p>Timestamps: a call for an element emits at the element's timestamp; an event-time timeout
 * emits at its deadline and holds the output watermark there until it fires, so the output is not
 * late; a processing-time timeout emits at the key's latest event time (and holds the watermark
 * there while the key waits).
 *
 * <p>State is per key and window, as everywhere in Beam: in the global window (the typical use) a
 * key's state lives until it is removed or times out; in other windows it also ends with the
 * window, and an event-time timeout that would fall after the window's end fires at its end.
 *
 * <p>Cost: O(1) state reads and writes per element (the state, the latest event time and one
 * timer), one state cell per key (and window); the state is stored with its {@link Coder}, never
 * with Java serialization. Counters (namespace {@code windowpane}): {@code stateUpdates}, {@code
 * stateRemovals}, {@code stateTimeouts}.
 *
 * <p>Example: a running count per user that ends after 30 idle minutes and reports the final count
 * when it does.
 *
 * <pre>{@code
 * PCollection<KV<String, String>> clicks = ...; // user -> page
 * MapWithState.MappingFunction<String, String, Long, KV<String, Long>> count =
 *     (user, page, state) -> {
 *       if (state.isTimingOut()) {
 *         return Optional.of(KV.of(user, state.get())); // final count, then the state is dropped
 *       }
 *       long seen = state.exists() ? state.get() + 1 : 1;
 *       state.update(seen);
 *       return Optional.empty();
 *     };
 * PCollection<KV<String, Long>> finalCounts =
 *     clicks
 *         .apply(MapWithState.of(count)
 *             .withStateCoder(VarLongCoder.of())
 *             .withOutputCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
 *             .withTimeout(Duration.standardMinutes(30)))
 *         .outputs();
 * }</pre>
 *
 * @param <K> the key
 * @param <V> the input value
 * @param <S> the per-key state
 * @param <OutT> the output of one call
 */
public final class MapWithState<K, V, S, OutT>
    extends PTransform<PCollection<KV<K, V>>, MapWithState.Result<K, S, OutT>> {

  /**
   * The user's function: called with the key, the element's value (empty only in the timeout call)
   * and the key's state; returns the call's output, or {@code Optional.empty()} for none.
   */
  @FunctionalInterface
  public interface MappingFunction<K, V, S, OutT> extends Serializable {
    Optional<OutT> apply(K key, Optional<V> value, StateHandle<S> state);
  }

  private final MappingFunction<K, V, S, OutT> fn;
  private final @Nullable Coder<S> stateCoder;
  private final @Nullable Coder<OutT> outputCoder;
  private final @Nullable Duration timeout;
  private final boolean processingTime;
  private final boolean snapshots;

  private MapWithState(
      MappingFunction<K, V, S, OutT> fn,
      @Nullable Coder<S> stateCoder,
      @Nullable Coder<OutT> outputCoder,
      @Nullable Duration timeout,
      boolean processingTime,
      boolean snapshots) {
    this.fn = fn;
    this.stateCoder = stateCoder;
    this.outputCoder = outputCoder;
    this.timeout = timeout;
    this.processingTime = processingTime;
    this.snapshots = snapshots;
  }

  /**
   * Maps with {@code fn}; the state and output coders come from the pipeline's coder registry when
   * {@code fn}'s class names its types, otherwise give them with {@link #withStateCoder} and {@link
   * #withOutputCoder}.
   */
  public static <K, V, S, OutT> MapWithState<K, V, S, OutT> of(MappingFunction<K, V, S, OutT> fn) {
    if (fn == null) {
      throw new IllegalArgumentException("The mapping function must not be null.");
    }
    return new MapWithState<>(fn, null, null, null, false, false);
  }

  /** Stores the state with {@code coder}. */
  public MapWithState<K, V, S, OutT> withStateCoder(Coder<S> coder) {
    return new MapWithState<>(fn, coder, outputCoder, timeout, processingTime, snapshots);
  }

  /** Encodes the outputs with {@code coder}. */
  public MapWithState<K, V, S, OutT> withOutputCoder(Coder<OutT> coder) {
    return new MapWithState<>(fn, stateCoder, coder, timeout, processingTime, snapshots);
  }

  /**
   * Times a key out after {@code idle} without elements (event time unless {@link
   * #inProcessingTime}).
   */
  public MapWithState<K, V, S, OutT> withTimeout(Duration idle) {
    if (idle == null || idle.getMillis() <= 0) {
      throw new IllegalArgumentException("The state timeout must be positive, got " + idle + ".");
    }
    return new MapWithState<>(fn, stateCoder, outputCoder, idle, processingTime, snapshots);
  }

  /** Measures the timeout in processing time instead of event time. */
  public MapWithState<K, V, S, OutT> inProcessingTime() {
    return new MapWithState<>(fn, stateCoder, outputCoder, timeout, true, snapshots);
  }

  /** Also emits a {@code KV<K, S>} snapshot of every state update in {@link Result#snapshots()}. */
  public MapWithState<K, V, S, OutT> withStateSnapshots() {
    return new MapWithState<>(fn, stateCoder, outputCoder, timeout, processingTime, true);
  }

  @Override
  public Result<K, S, OutT> expand(PCollection<KV<K, V>> input) {
    if (processingTime && timeout == null) {
      throw new IllegalStateException(
          "inProcessingTime() needs a timeout: call withTimeout(Duration) as well.");
    }
    if (!(input.getCoder() instanceof KvCoder)) {
      throw new IllegalArgumentException(
          "MapWithState needs its input encoded with a KvCoder, got " + input.getCoder() + ".");
    }
    Coder<K> keyCoder = ((KvCoder<K, V>) input.getCoder()).getKeyCoder();
    Coder<S> resolvedStateCoder =
        stateCoder != null
            ? stateCoder
            : inferCoder(input.getPipeline(), 2, "state", "withStateCoder");
    Coder<OutT> resolvedOutputCoder =
        outputCoder != null
            ? outputCoder
            : inferCoder(input.getPipeline(), 3, "output", "withOutputCoder");

    TupleTag<OutT> outputsTag = new TupleTag<OutT>() {};
    TupleTag<KV<K, S>> snapshotsTag = new TupleTag<KV<K, S>>() {};
    PCollectionTuple results =
        input.apply(
            "MapWithState",
            ParDo.of(doFn(resolvedStateCoder, outputsTag, snapshots ? snapshotsTag : null))
                .withOutputTags(outputsTag, TupleTagList.of(snapshotsTag)));
    results.get(outputsTag).setCoder(resolvedOutputCoder);
    results.get(snapshotsTag).setCoder(KvCoder.of(keyCoder, resolvedStateCoder));
    return new Result<>(
        input.getPipeline(), results.get(outputsTag), results.get(snapshotsTag), snapshots);
  }

  private MappingDoFn<K, V, S, OutT> doFn(
      Coder<S> coder, TupleTag<OutT> outputsTag, @Nullable TupleTag<KV<K, S>> snapshotsTag) {
    if (timeout == null) {
      return new MappingDoFn.WithoutTimeout<>(fn, coder, outputsTag, snapshotsTag);
    }
    if (processingTime) {
      return new MappingDoFn.ProcessingTimeTimeout<>(fn, coder, outputsTag, snapshotsTag, timeout);
    }
    return new MappingDoFn.EventTimeTimeout<>(fn, coder, outputsTag, snapshotsTag, timeout);
  }

  @SuppressWarnings("unchecked")
  private <T> Coder<T> inferCoder(Pipeline pipeline, int typeIndex, String what, String method) {
    TypeDescriptor<?> type =
        TypeDescriptor.of(fn.getClass())
            .resolveType(MappingFunction.class.getTypeParameters()[typeIndex]);
    try {
      return (Coder<T>) pipeline.getCoderRegistry().getCoder(type);
    } catch (CannotProvideCoderException e) {
      throw new IllegalStateException(
          "Cannot infer the "
              + what
              + " coder of MapWithState from the mapping function ("
              + type
              + "); give it with "
              + method
              + "(coder).",
          e);
    }
  }

  /**
   * The outputs of {@link MapWithState}: the function's {@link #outputs()} and, when requested, the
   * {@link #snapshots()} of every state update.
   */
  public static final class Result<K, S, OutT> implements POutput {
    private final Pipeline pipeline;
    private final PCollection<OutT> outputs;
    private final PCollection<KV<K, S>> snapshots;
    private final boolean snapshotsRequested;

    private Result(
        Pipeline pipeline,
        PCollection<OutT> outputs,
        PCollection<KV<K, S>> snapshots,
        boolean snapshotsRequested) {
      this.pipeline = pipeline;
      this.outputs = outputs;
      this.snapshots = snapshots;
      this.snapshotsRequested = snapshotsRequested;
    }

    /** What the function returned, per element and per timeout. */
    public PCollection<OutT> outputs() {
      return outputs;
    }

    /** {@code KV<key, new state>} for every update, at the element's timestamp. */
    public PCollection<KV<K, S>> snapshots() {
      if (!snapshotsRequested) {
        throw new IllegalStateException(
            "State snapshots were not requested; build MapWithState with withStateSnapshots().");
      }
      return snapshots;
    }

    @Override
    public Pipeline getPipeline() {
      return pipeline;
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      return Map.of(
          new TupleTag<OutT>("outputs"), outputs, new TupleTag<KV<K, S>>("snapshots"), snapshots);
    }

    @Override
    public void finishSpecifyingOutput(
        String transformName,
        org.apache.beam.sdk.values.PInput input,
        PTransform<?, ?> transform) {}
  }
}
