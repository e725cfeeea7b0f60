package dev.windowpane.transforms.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableBiFunction;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Parses JSON lines into events with a {@link JsonEventParser}; every line that is blank, not JSON,
 * not a JSON object, or rejected by the parser becomes a {@link DeadLetter} instead. A bad line
 * never fails the pipeline: the parser's {@link InvalidEventException} and any {@link
 * RuntimeException} it throws are caught and turned into dead letters.
 *
 * <p>ParseJsonLines keeps a line's timestamp or moves it forward, never back: with {@link
 * #withEventTime}, an event whose event time is at or after its line's timestamp is stamped with
 * its event time, and one whose event time is earlier becomes a dead letter ("the event time ...
 * is before the record's timestamp ... assigned by the source"), so no event can land behind the
 * watermark its source has promised (the allowed timestamp skew is zero). Lines read from files
 * with {@code TextIO} carry the minimum timestamp, so every event time is forward of it and each
 * event gets its own; an unbounded source (the generator, Kafka) must assign event time itself,
 * where the watermark is computed, and this step then only keeps it. Without {@link
 * #withEventTime} an event keeps its line's timestamp. Events keep their line's windows; dead
 * letters always keep the line's timestamp.
 *
 * <p>{@link #positioned} parses lines read from a partitioned log ({@link PositionedLine}: a Kafka
 * record's value) the same way, and each dead letter then names the topic, partition and offset
 * of its record.
 *
 * <p>Cost: one ParDo, no shuffle; one JSON parse per line. Counters (namespace {@code windowpane}):
 * {@code eventsRead} counts every line, {@code deadLetters} every dead letter.
 */
public final class ParseJsonLines<T>
    extends PTransform<PCollection<String>, ParseJsonLines.Result<T>> {
  public static final String METRICS_NAMESPACE = "windowpane";
  public static final String EVENTS_READ = "eventsRead";
  public static final String DEAD_LETTERS = "deadLetters";

  private final JsonEventParser<T> parser;
  private final Coder<T> coder;
  private final SerializableFunction<T, Instant> eventTime;

  private ParseJsonLines(
      JsonEventParser<T> parser, Coder<T> coder, SerializableFunction<T, Instant> eventTime) {
    this.parser = Objects.requireNonNull(parser, "parser");
    this.coder = Objects.requireNonNull(coder, "coder");
    this.eventTime = eventTime;
  }

  /** Parses each line with {@code parser}; the events are encoded with {@code coder}. */
  public static <T> ParseJsonLines<T> of(JsonEventParser<T> parser, Coder<T> coder) {
    return new ParseJsonLines<>(parser, coder, null);
  }

  /**
   * Stamps each event with {@code eventTime.apply(event)} when that is at or after its line's
   * timestamp; an event time before it makes the line a dead letter.
   */
  public ParseJsonLines<T> withEventTime(SerializableFunction<T, Instant> eventTime) {
    return new ParseJsonLines<>(parser, coder, Objects.requireNonNull(eventTime, "eventTime"));
  }

  @Override
  public Result<T> expand(PCollection<String> lines) {
    return parse(lines, line -> line, (line, letter) -> letter);
  }

  /** This parse for lines read from a partitioned log: a dead letter names its record's position. */
  public PTransform<PCollection<PositionedLine>, Result<T>> positioned() {
    ParseJsonLines<T> parse = this;
    return new PTransform<PCollection<PositionedLine>, Result<T>>() {
      @Override
      public Result<T> expand(PCollection<PositionedLine> records) {
        return parse.parse(
            records,
            PositionedLine::line,
            (record, letter) -> letter.at(record.topic(), record.partition(), record.offset()));
      }
    };
  }

  private <I> Result<T> parse(
      PCollection<I> lines,
      SerializableFunction<I, String> lineOf,
      SerializableBiFunction<I, DeadLetter, DeadLetter> locate) {
    TupleTag<T> parsedTag = new TupleTag<>("parsed");
    TupleTag<DeadLetter> deadLetterTag = new TupleTag<>("deadLetters");
    PCollectionTuple outputs =
        lines.apply(
            "ParseEachLine",
            ParDo.of(new ParseLineFn<>(parser, eventTime, lineOf, locate, parsedTag, deadLetterTag))
                .withOutputTags(parsedTag, TupleTagList.of(deadLetterTag)));
    return new Result<>(
        lines.getPipeline(),
        parsedTag,
        outputs.get(parsedTag).setCoder(coder),
        deadLetterTag,
        outputs.get(deadLetterTag).setCoder(DeadLetter.coder()));
  }

  /** The two outputs of {@link ParseJsonLines}: the events and the dead letters. */
  public static final class Result<T> extends WithDeadLetters<T> {
    private Result(
        Pipeline pipeline,
        TupleTag<T> valuesTag,
        PCollection<T> values,
        TupleTag<DeadLetter> deadLetterTag,
        PCollection<DeadLetter> deadLetters) {
      super(pipeline, valuesTag, values, deadLetterTag, deadLetters);
    }

    /** The events, one per valid line. */
    public PCollection<T> parsed() {
      return values();
    }
  }

  /** Parses one line: an event to the main output or a dead letter to the side output. */
  private static final class ParseLineFn<I, T> extends DoFn<I, T> {
    private final JsonEventParser<T> parser;
    private final SerializableFunction<T, Instant> eventTime;
    private final SerializableFunction<I, String> lineOf;
    private final SerializableBiFunction<I, DeadLetter, DeadLetter> locate;
    private final TupleTag<T> parsedTag;
    private final TupleTag<DeadLetter> deadLetterTag;
    private final Counter eventsRead = Metrics.counter(METRICS_NAMESPACE, EVENTS_READ);
    private final Counter deadLetters = Metrics.counter(METRICS_NAMESPACE, DEAD_LETTERS);

    ParseLineFn(
        JsonEventParser<T> parser,
        SerializableFunction<T, Instant> eventTime,
        SerializableFunction<I, String> lineOf,
        SerializableBiFunction<I, DeadLetter, DeadLetter> locate,
        TupleTag<T> parsedTag,
        TupleTag<DeadLetter> deadLetterTag) {
      this.parser = parser;
      this.eventTime = eventTime;
      this.lineOf = lineOf;
      this.locate = locate;
      this.parsedTag = parsedTag;
      this.deadLetterTag = deadLetterTag;
    }

    @ProcessElement
    public void processElement(
        @Element I input, @Timestamp Instant lineTimestamp, MultiOutputReceiver out) {
      eventsRead.inc();
      String line = lineOf.apply(input);
      T event;
      Instant timestamp = null;
      try {
        event = parse(line);
        if (eventTime != null) {
          timestamp = eventTime(event);
          if (timestamp.isBefore(lineTimestamp)) {
            throw new InvalidEventException(
                "the event time "
                    + EventTimestamps.format(timestamp)
                    + " is before the record's timestamp "
                    + EventTimestamps.format(lineTimestamp)
                    + " assigned by the source");
          }
        }
      } catch (InvalidEventException e) {
        String why = e.getMessage();
        reject(input, line, why == null || why.isBlank() ? "the event parser rejected it" : why, out);
        return;
      }
      if (timestamp == null) {
        out.get(parsedTag).output(event);
      } else {
        out.get(parsedTag).outputWithTimestamp(event, timestamp);
      }
    }

    private T parse(String line) throws InvalidEventException {
      ObjectNode object = Json.readObject(line);
      T event;
      try {
        event = parser.parse(object);
      } catch (RuntimeException e) {
        throw new InvalidEventException("the event parser failed: " + describe(e));
      }
      if (event == null) {
        throw new InvalidEventException("the event parser returned no event");
      }
      return event;
    }

    private Instant eventTime(T event) throws InvalidEventException {
      Instant timestamp;
      try {
        timestamp = eventTime.apply(event);
      } catch (RuntimeException e) {
        throw new InvalidEventException("the event time function failed: " + describe(e));
      }
      if (timestamp == null) {
        throw new InvalidEventException("the event has no event time");
      }
      if (timestamp.getMillis() < EventTimestamps.EARLIEST_MILLIS
          || timestamp.getMillis() > EventTimestamps.LATEST_MILLIS) {
        throw new InvalidEventException(
            "the event time "
                + EventTimestamps.format(timestamp)
                + " is outside the years 0000 to 9999");
      }
      return timestamp;
    }

    private void reject(I input, String line, String error, MultiOutputReceiver out) {
      deadLetters.inc();
      out.get(deadLetterTag).output(locate.apply(input, DeadLetter.of(line, error)));
    }

    private static String describe(RuntimeException e) {
      String message = e.getMessage();
      return message == null || message.isBlank()
          ? e.getClass().getSimpleName()
          : e.getClass().getSimpleName() + ": " + message;
    }

    @Override
    public Duration getAllowedTimestampSkew() {
      // Timestamps only ever move forward: an event never lands behind its source's watermark.
      return Duration.ZERO;
    }
  }
}
