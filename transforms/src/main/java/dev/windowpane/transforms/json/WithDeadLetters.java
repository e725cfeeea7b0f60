package dev.windowpane.transforms.json;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The output of a transform that splits bad input off as dead letters: its values and the {@link
 * DeadLetter}s. Subclasses name the values for what they are.
 */
public abstract class WithDeadLetters<T> implements POutput {
  private final Pipeline pipeline;
  private final TupleTag<T> valuesTag;
  private final PCollection<T> values;
  private final TupleTag<DeadLetter> deadLetterTag;
  private final PCollection<DeadLetter> deadLetters;

  protected WithDeadLetters(
      Pipeline pipeline,
      TupleTag<T> valuesTag,
      PCollection<T> values,
      TupleTag<DeadLetter> deadLetterTag,
      PCollection<DeadLetter> deadLetters) {
    this.pipeline = pipeline;
    this.valuesTag = valuesTag;
    this.values = values;
    this.deadLetterTag = deadLetterTag;
    this.deadLetters = deadLetters;
  }

  protected PCollection<T> values() {
    return values;
  }

  /** The rejected input, each with its original text (and bytes, where needed) and the reason. */
  public PCollection<DeadLetter> deadLetters() {
    return deadLetters;
  }

  @Override
  public Pipeline getPipeline() {
    return pipeline;
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    Map<TupleTag<?>, PValue> outputs = new LinkedHashMap<>();
    outputs.put(valuesTag, values);
    outputs.put(deadLetterTag, deadLetters);
    return outputs;
  }

  @Override
  public void finishSpecifyingOutput(String transformName, PInput input, PTransform<?, ?> transform) {}
}
