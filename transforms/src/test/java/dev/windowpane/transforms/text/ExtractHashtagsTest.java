package dev.windowpane.transforms.text;

import dev.windowpane.transforms.testing.TestPipelines;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Reify;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class ExtractHashtagsTest {
  private static final Instant TEN = Instant.parse("2025-11-25T10:00:00Z");

  @Test
  void emitsOneTagPerOccurrenceKeepingTimestampAndWindow() {
    Pipeline p = TestPipelines.create();
    PCollection<String> texts =
        p.apply(
                Create.timestamped(
                    TimestampedValue.of("loving #Beam today #beam_2 #", TEN.plus(1_000)),
                    TimestampedValue.of("#beam again, #BEAM", TEN.plus(61_000)),
                    TimestampedValue.of("no tags", TEN.plus(2_000))))
            .apply(Window.into(FixedWindows.of(Duration.standardMinutes(1))));

    PCollection<TimestampedValue<String>> tags =
        texts.apply(new ExtractHashtags()).apply(Reify.timestamps());

    IntervalWindow first = new IntervalWindow(TEN, Duration.standardMinutes(1));
    IntervalWindow second = new IntervalWindow(first.end(), Duration.standardMinutes(1));
    PAssert.that(tags)
        .inWindow(first)
        .containsInAnyOrder(
            TimestampedValue.of("beam", TEN.plus(1_000)),
            TimestampedValue.of("beam_2", TEN.plus(1_000)));
    PAssert.that(tags)
        .inWindow(second)
        .containsInAnyOrder(
            TimestampedValue.of("beam", TEN.plus(61_000)),
            TimestampedValue.of("beam", TEN.plus(61_000)));
    TestPipelines.run(p);
  }
}
