package dev.windowpane.transforms.json;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windowpane.transforms.testing.TestPipelines;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Reify;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class ParseJsonLinesTest {
  /** 2025-11-25T10:00:00Z. */
  private static final Instant TEN = new Instant(1_764_064_800_000L);

  /** When a source such as Kafka stamped the lines: a day after the events happened. */
  private static final Instant READ_AT = TEN.plus(org.joda.time.Duration.standardDays(1));

  private static final String SALE_1 =
      "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"item\":\"sku-1\",\"quantity\":2}";
  private static final String SALE_2 =
      "{\"timestamp\":1764064860000,\"item\":\"sku-2\",\"quantity\":1}";
  private static final String SALE_3 =
      "{\"quantity\":5,\"item\":\"sku-1\",\"timestamp\":\"2025-11-25T12:00:30.5+02:00\",\"extra\":true}";

  @Test
  void parsesValidLinesAndTurnsEveryOtherLineIntoADeadLetter() {
    Pipeline p = TestPipelines.create();
    PCollection<String> lines =
        p.apply(
            Create.of(
                SALE_1,
                SALE_2,
                SALE_3,
                "not json",
                "",
                "[1,2]",
                "\"x\"",
                "42",
                "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"item\":\"sku-1\",\"quantity\":0}",
                "{\"timestamp\":\"yesterday\",\"item\":\"sku-1\",\"quantity\":1}",
                "{\"item\":\"sku-1\",\"quantity\":1}",
                "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"item\":42,\"quantity\":1}"));

    ParseJsonLines.Result<Sale> result = lines.apply(ParseJsonLines.of(Sale::parse, Sale.CODER));

    PAssert.that(result.parsed())
        .containsInAnyOrder(
            new Sale(TEN, "sku-1", 2),
            new Sale(TEN.plus(60_000), "sku-2", 1),
            new Sale(TEN.plus(30_500), "sku-1", 5));
    PAssert.that(result.deadLetters())
        .containsInAnyOrder(
            DeadLetter.of(
                "not json",
                "the line is not JSON: Unrecognized token 'not': was expecting (JSON String,"
                    + " Number, Array, Object or token 'null', 'true' or 'false'), at column 4"),
            DeadLetter.of("", "the line is blank"),
            DeadLetter.of("[1,2]", "the line is a JSON array, not a JSON object"),
            DeadLetter.of("\"x\"", "the line is a JSON string, not a JSON object"),
            DeadLetter.of("42", "the line is a JSON number, not a JSON object"),
            DeadLetter.of(
                "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"item\":\"sku-1\",\"quantity\":0}",
                "field \"quantity\" must be an integer >= 1, got 0"),
            DeadLetter.of(
                "{\"timestamp\":\"yesterday\",\"item\":\"sku-1\",\"quantity\":1}",
                "field \"timestamp\" is not an ISO-8601 instant or epoch milliseconds:"
                    + " \"yesterday\""),
            DeadLetter.of("{\"item\":\"sku-1\",\"quantity\":1}", "field \"timestamp\" is missing"),
            DeadLetter.of(
                "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"item\":42,\"quantity\":1}",
                "field \"item\" must be a string, got 42"));

    PipelineResult run = TestPipelines.run(p);
    assertThat(counter(run, "eventsRead"), equalTo(12L));
    assertThat(counter(run, "deadLetters"), equalTo(9L));
  }

  @Test
  void withEventTimeMovesALineTimestampForwardOnlyAndAnEarlierEventTimeIsADeadLetter() {
    // SALE_1 happened at TEN, SALE_2 at TEN + 1m, SALE_3 at TEN + 30.5s.
    String sale4 = "{\"timestamp\":\"2025-11-25T10:05:00Z\",\"item\":\"sku-4\",\"quantity\":4}";
    TestStream<String> lines =
        TestStream.create(StringUtf8Coder.of())
            // Files: TextIO stamps every line with the minimum timestamp.
            .addElements(
                TimestampedValue.of(SALE_1, BoundedWindow.TIMESTAMP_MIN_VALUE),
                TimestampedValue.of("{\"item\":\"sku-9\"}", BoundedWindow.TIMESTAMP_MIN_VALUE))
            .advanceWatermarkTo(TEN)
            // An unbounded source's records, stamped by the source at or after the watermark.
            .addElements(
                TimestampedValue.of(SALE_2, TEN),
                TimestampedValue.of(SALE_3, TEN.plus(30_500)),
                TimestampedValue.of(sale4, READ_AT))
            .advanceWatermarkToInfinity();
    Pipeline p = TestPipelines.create();

    ParseJsonLines.Result<Sale> result =
        p.apply(lines)
            .apply(ParseJsonLines.of(Sale::parse, Sale.CODER).withEventTime(Sale::timestamp));

    PAssert.that(result.parsed().apply(Reify.timestamps()))
        .containsInAnyOrder(
            // From the minimum timestamp to the event time.
            TimestampedValue.of(new Sale(TEN, "sku-1", 2), TEN),
            // Forward from the record's timestamp to the later event time.
            TimestampedValue.of(new Sale(TEN.plus(60_000), "sku-2", 1), TEN.plus(60_000)),
            // An event time equal to the record's timestamp keeps it.
            TimestampedValue.of(new Sale(TEN.plus(30_500), "sku-1", 5), TEN.plus(30_500)));
    PAssert.that(result.deadLetters().apply(Reify.timestamps()))
        .containsInAnyOrder(
            TimestampedValue.of(
                DeadLetter.of("{\"item\":\"sku-9\"}", "field \"timestamp\" is missing"),
                BoundedWindow.TIMESTAMP_MIN_VALUE),
            // Moving it back would put it behind the watermark the source promised.
            TimestampedValue.of(
                DeadLetter.of(
                    sale4,
                    "the event time 2025-11-25T10:05:00Z is before the record's timestamp"
                        + " 2025-11-26T10:00:00Z assigned by the source"),
                READ_AT));
    PipelineResult run = TestPipelines.run(p);
    assertThat(counter(run, "eventsRead"), equalTo(5L));
    assertThat(counter(run, "deadLetters"), equalTo(2L));
  }

  @Test
  void withoutEventTimeEventsKeepTheirLineTimestamp() {
    Pipeline p = TestPipelines.create();
    PCollection<String> lines = p.apply(Create.timestamped(TimestampedValue.of(SALE_1, READ_AT)));

    PCollection<Sale> parsed = lines.apply(ParseJsonLines.of(Sale::parse, Sale.CODER)).parsed();

    PAssert.that(parsed.apply(Reify.timestamps()))
        .containsInAnyOrder(TimestampedValue.of(new Sale(TEN, "sku-1", 2), READ_AT));
    TestPipelines.run(p);
  }

  @Test
  void aFailingParserOrEventTimeFunctionMakesDeadLettersNotAFailedPipeline() {
    Pipeline p = TestPipelines.create();
    PCollection<String> lines =
        p.apply(
            Create.of(
                "{\"boom\":\"kaput\"}",
                "{\"npe\":1}",
                "{\"silent\":1}",
                "{\"none\":1}",
                "{\"untimed\":1}",
                "{\"timestamp\":0,\"item\":\"no-clock\",\"quantity\":1}",
                SALE_1));

    ParseJsonLines.Result<Sale> result =
        lines.apply(
            ParseJsonLines.of(ParseJsonLinesTest::fragileParse, Sale.CODER)
                .withEventTime(ParseJsonLinesTest::fragileEventTime));

    PAssert.that(result.parsed()).containsInAnyOrder(new Sale(TEN, "sku-1", 2));
    PAssert.that(result.deadLetters())
        .containsInAnyOrder(
            DeadLetter.of(
                "{\"boom\":\"kaput\"}", "the event parser failed: IllegalStateException: kaput"),
            DeadLetter.of("{\"npe\":1}", "the event parser failed: NullPointerException"),
            DeadLetter.of("{\"silent\":1}", "the event parser rejected it"),
            DeadLetter.of("{\"none\":1}", "the event parser returned no event"),
            DeadLetter.of("{\"untimed\":1}", "the event has no event time"),
            DeadLetter.of(
                "{\"timestamp\":0,\"item\":\"no-clock\",\"quantity\":1}",
                "the event time function failed: IllegalArgumentException: no clock"));
    PipelineResult run = TestPipelines.run(p);
    assertThat(counter(run, "eventsRead"), equalTo(7L));
    assertThat(counter(run, "deadLetters"), equalTo(6L));
  }

  @Test
  void resultRegistersBothOutputs() {
    Pipeline p = TestPipelines.create();
    ParseJsonLines.Result<Sale> result =
        p.apply(Create.of(SALE_1)).apply(ParseJsonLines.of(Sale::parse, Sale.CODER));

    assertThat(result.getPipeline(), equalTo(p));
    assertThat(result.expand().values(), contains(result.parsed(), result.deadLetters()));
    assertThat(result.deadLetters().getCoder(), equalTo(DeadLetter.coder()));
    assertThat(result.parsed().getCoder(), equalTo(Sale.CODER));
  }

  private static Sale fragileParse(ObjectNode line) throws InvalidEventException {
    if (line.has("boom")) {
      throw new IllegalStateException(line.get("boom").textValue());
    }
    if (line.has("npe")) {
      throw new NullPointerException();
    }
    if (line.has("silent")) {
      throw new InvalidEventException(null);
    }
    if (line.has("none")) {
      return null;
    }
    if (line.has("untimed")) {
      return new Sale(null, "sku-0", 1);
    }
    return Sale.parse(line);
  }

  private static Instant fragileEventTime(Sale sale) {
    if (sale.item.equals("no-clock")) {
      throw new IllegalArgumentException("no clock");
    }
    return sale.timestamp;
  }

  private static long counter(PipelineResult run, String name) {
    long total = 0;
    for (MetricResult<Long> counter :
        run.metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(ParseJsonLines.METRICS_NAMESPACE, name))
                    .build())
            .getCounters()) {
      total += counter.getCommitted();
    }
    return total;
  }

  /** A tiny event: a sale of {@code quantity} of {@code item} at {@code timestamp}. */
  static final class Sale {
    static final SaleCoder CODER = new SaleCoder();

    final Instant timestamp;
    final String item;
    final long quantity;

    Sale(Instant timestamp, String item, long quantity) {
      this.timestamp = timestamp;
      this.item = item;
      this.quantity = quantity;
    }

    static Sale parse(ObjectNode line) throws InvalidEventException {
      return new Sale(
          JsonFields.requireTimestamp(line, "timestamp"),
          JsonFields.requireString(line, "item"),
          JsonFields.requireLong(line, "quantity", 1));
    }

    Instant timestamp() {
      return timestamp;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Sale
          && Objects.equals(((Sale) o).timestamp, timestamp)
          && ((Sale) o).item.equals(item)
          && ((Sale) o).quantity == quantity;
    }

    @Override
    public int hashCode() {
      return Objects.hash(timestamp, item, quantity);
    }

    @Override
    public String toString() {
      return "Sale{" + timestamp + ", " + item + ", " + quantity + "}";
    }
  }

  static final class SaleCoder extends AtomicCoder<Sale> {
    @Override
    public void encode(Sale sale, OutputStream out) throws IOException {
      InstantCoder.of().encode(sale.timestamp, out);
      StringUtf8Coder.of().encode(sale.item, out);
      VarLongCoder.of().encode(sale.quantity, out);
    }

    @Override
    public Sale decode(InputStream in) throws IOException {
      return new Sale(
          InstantCoder.of().decode(in),
          StringUtf8Coder.of().decode(in),
          VarLongCoder.of().decode(in));
    }
  }
}
