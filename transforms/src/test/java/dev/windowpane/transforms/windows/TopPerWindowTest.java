package dev.windowpane.transforms.windows;

import static dev.windowpane.transforms.windows.SlidingCombineTest.at;
import static dev.windowpane.transforms.windows.SlidingCombineTest.window;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.windowpane.transforms.testing.TestPipelines;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class TopPerWindowTest {
  private static final Duration TEN_S = Duration.standardSeconds(10);

  private static PCollection<KV<String, Long>> totalsInTenSecondWindows(
      Pipeline p, String name, List<KV<String, Long>> totals, long second) {
    List<Long> timestamps = Collections.nCopies(totals.size(), second * 1000);
    return p.apply(
            name,
            Create.timestamped(totals, timestamps)
                .withCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())))
        .apply(name + "Windows", Window.into(FixedWindows.of(TEN_S)));
  }

  @Test
  void tiesAreBrokenByKeyAscendingAndFewerKeysReportWhatTheyHave() {
    Pipeline p = TestPipelines.create();
    PCollection<KV<String, Long>> totals =
        totalsInTenSecondWindows(
            p,
            "First",
            Arrays.asList(KV.of("b", 5L), KV.of("d", 1L), KV.of("c", 7L), KV.of("a", 5L)),
            3);
    PCollection<KV<String, Long>> fewer =
        totalsInTenSecondWindows(p, "Second", Arrays.asList(KV.of("x", 2L), KV.of("y", 9L)), 13);

    PAssert.that(totals.apply("Top3", TopPerWindow.of(3)))
        .inOnlyPane(window(0, 10))
        .containsInAnyOrder(Arrays.asList(KV.of("c", 7L), KV.of("a", 5L), KV.of("b", 5L)));
    PAssert.that(fewer.apply("Top5", TopPerWindow.of(5)))
        .inOnlyPane(window(10, 20))
        .containsInAnyOrder(Arrays.asList(KV.of("y", 9L), KV.of("x", 2L)));
    PAssert.that(totals.apply("Top1", TopPerWindow.of(1)))
        .inOnlyPane(window(0, 10))
        .containsInAnyOrder(Arrays.asList(KV.of("c", 7L)));
    TestPipelines.run(p);
  }

  @Test
  void totalsOfOneKeyFromTheSamePaneAddUp() {
    Pipeline p = TestPipelines.create();
    PCollection<KV<String, Long>> counts =
        totalsInTenSecondWindows(
            p,
            "Events",
            Arrays.asList(
                KV.of("b", 1L), KV.of("a", 1L), KV.of("b", 1L), KV.of("c", 1L), KV.of("b", 1L),
                KV.of("a", 1L)),
            4);

    PAssert.that(counts.apply(TopPerWindow.of(2)))
        .inOnlyPane(window(0, 10))
        .containsInAnyOrder(Arrays.asList(KV.of("b", 3L), KV.of("a", 2L)));
    TestPipelines.run(p);
  }

  @Test
  void aLateTotalReplacesTheEarlierOneAndTheLatePaneHoldsTheCompleteTopList() {
    Pipeline p = TestPipelines.create();
    TestStream<KV<String, Long>> events =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
            .addElements(at(1, "a", 3), at(2, "b", 2), at(6, "c", 1))
            .advanceWatermarkTo(new Instant(20_000))
            .addElements(at(3, "b", 2))
            .advanceWatermarkToInfinity();
    PCollection<List<KV<String, Long>>> top =
        p.apply(events)
            .apply(
                SlidingCombine.perKey(Sum.ofLongs(), TEN_S, Duration.standardSeconds(5))
                    .withAllowedLateness(Duration.standardMinutes(1)))
            .apply(TopPerWindow.of(2));

    PAssert.that(top)
        .inOnTimePane(window(-5, 5))
        .containsInAnyOrder(Arrays.asList(KV.of("a", 3L), KV.of("b", 2L)));
    PAssert.that(top)
        .inLatePane(window(-5, 5))
        .containsInAnyOrder(Arrays.asList(KV.of("b", 4L), KV.of("a", 3L)));
    PAssert.that(top)
        .inOnTimePane(window(0, 10))
        .containsInAnyOrder(Arrays.asList(KV.of("a", 3L), KV.of("b", 2L)));
    PAssert.that(top)
        .inLatePane(window(0, 10))
        .containsInAnyOrder(Arrays.asList(KV.of("b", 4L), KV.of("a", 3L)));
    PAssert.that(top)
        .inOnTimePane(window(5, 15))
        .containsInAnyOrder(Arrays.asList(KV.of("c", 1L)));
    PAssert.that(top).inLatePane(window(5, 15)).empty();
    TestPipelines.run(p);
  }

  @Test
  void rejectsAnEmptyTopList() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TopPerWindow.<String>of(0));
    assertThat(e.getMessage(), equalTo("The top list needs at least 1 entry, got 0."));
  }
}
