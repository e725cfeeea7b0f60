package dev.windowpane.pipelines.io;

import dev.windowpane.transforms.json.DeadLetter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Writes dead letters as {@code {"input": ..., "error": ...}} JSON lines (with {@code
 * "inputBase64"} for a line that is not valid UTF-8, see {@link DeadLetter}) to {@code
 * DIR/dead-letters-*.jsonl}: one file for a bounded input, one per minute of event time otherwise.
 */
public final class WriteDeadLetters extends PTransform<PCollection<DeadLetter>, PDone> {
  private static final Duration UNBOUNDED_FILE_WINDOW = Duration.standardMinutes(1);

  private final String directory;

  private WriteDeadLetters(String directory) {
    this.directory = directory;
  }

  public static WriteDeadLetters to(String directory) {
    return new WriteDeadLetters(directory);
  }

  @Override
  public PDone expand(PCollection<DeadLetter> deadLetters) {
    return deadLetters
        .apply("ToJson", MapElements.into(TypeDescriptors.strings()).via(DeadLetter::toJson))
        .apply(
            "WriteFiles",
            // A dead letter keeps the timestamp its source gave the line, so it is never late.
            OutputFiles.windowedIfUnbounded(
                directory, "dead-letters", UNBOUNDED_FILE_WINDOW, Duration.ZERO));
  }
}
