package dev.windowpane.pipelines.io;

import dev.windowpane.pipelines.generator.EventKind;
import dev.windowpane.pipelines.generator.GeneratedEvents;
import dev.windowpane.pipelines.generator.Generator;
import dev.windowpane.transforms.json.ParseJsonLines;
import dev.windowpane.transforms.text.ReadUtf8Lines;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A pipeline's events, timestamped with their event time: read from Kafka ({@code --source=kafka},
 * {@link ReadKafkaLines}; every malformed record a dead letter with its topic, partition and
 * offset, written under {@code --deadLetters} and to {@code --deadLetterTopic} when given), parsed
 * from the {@code --input} JSON
 * lines (bounded; every malformed line, and every line that is not valid UTF-8, becomes a dead
 * letter, written under {@code --deadLetters} when given, and counted), or made by the built-in
 * generator. Event time is assigned where the watermark is computed: the file reader ({@link
 * ReadUtf8Lines}) stamps lines with the minimum timestamp and the parse step moves each one forward
 * to its event time; the generator, an unbounded source, stamps each event with its event time
 * itself. O(1) per event; a file is read by one worker.
 */
public final class ReadEvents<T> extends PTransform<PBegin, PCollection<T>> {
  private final EventKind<T> kind;
  private final @Nullable String input;
  private final @Nullable String deadLetters;
  private final long eventsPerSecond;
  private final @Nullable Generator generator;
  private final @Nullable ReadKafkaLines<T> kafka;
  private final @Nullable WriteKafkaLines deadLetterTopic;

  private ReadEvents(EventKind<T> kind, SourceOptions options) {
    this.kind = kind;
    this.input = options.getInput();
    this.deadLetters = options.getDeadLetters();
    this.eventsPerSecond = options.getEventsPerSecond();
    this.kafka = KafkaOptions.readsKafka(options) ? ReadKafkaLines.of(kind, options) : null;
    this.deadLetterTopic = kafka == null ? null : WriteKafkaLines.forDeadLetters(options);
    this.generator = input == null && kafka == null ? Generator.from(options) : null;
  }

  /** The events of {@code kind} from the source {@code options} describe. */
  public static <T> ReadEvents<T> of(EventKind<T> kind, SourceOptions options) {
    return new ReadEvents<>(kind, options);
  }

  @Override
  public PCollection<T> expand(PBegin begin) {
    if (kafka != null) {
      ParseJsonLines.Result<T> parsed =
          begin
              .apply("ReadRecords", kafka)
              .apply(
                  "Parse",
                  ParseJsonLines.of(kind.parser(), kind.coder()).withEventTime(kind.eventTime()).positioned());
      if (deadLetters != null) {
        parsed.deadLetters().apply("WriteDeadLetters", WriteDeadLetters.to(deadLetters));
      }
      if (deadLetterTopic != null) {
        parsed
            .deadLetters()
            .apply(
                "DeadLettersToJson",
                org.apache.beam.sdk.transforms.MapElements.into(
                        org.apache.beam.sdk.values.TypeDescriptors.kvs(
                            org.apache.beam.sdk.values.TypeDescriptors.strings(),
                            org.apache.beam.sdk.values.TypeDescriptors.strings()))
                    .via(letter -> org.apache.beam.sdk.values.KV.of(
                        letter.topic().orElse("") + "/" + letter.partition() + "/" + letter.offset(), letter.toJson())))
            .apply("WriteDeadLettersToKafka", deadLetterTopic);
      }
      return parsed.parsed();
    }
    if (input == null) {
      return begin.apply("Generate", GeneratedEvents.of(kind, generator, eventsPerSecond));
    }
    ReadUtf8Lines.Result lines = begin.apply("ReadLines", ReadUtf8Lines.from(input));
    ParseJsonLines.Result<T> parsed =
        lines
            .lines()
            .apply(
                "Parse",
                ParseJsonLines.of(kind.parser(), kind.coder()).withEventTime(kind.eventTime()));
    if (deadLetters != null) {
      PCollectionList.of(lines.deadLetters())
          .and(parsed.deadLetters())
          .apply("AllDeadLetters", Flatten.pCollections())
          .apply("WriteDeadLetters", WriteDeadLetters.to(deadLetters));
    }
    return parsed.parsed();
  }
}
