package dev.windowpane.transforms.text;

import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The hashtags of each text as {@link Hashtags#extract} finds them: one output per occurrence, with
 * the text's timestamp and windows. Cost: one element-wise step, no shuffle.
 */
public final class ExtractHashtags extends PTransform<PCollection<String>, PCollection<String>> {

  @Override
  public PCollection<String> expand(PCollection<String> texts) {
    return texts.apply(
        "HashtagsOfEachText",
        FlatMapElements.into(TypeDescriptors.strings()).via(Hashtags::extract));
  }
}
