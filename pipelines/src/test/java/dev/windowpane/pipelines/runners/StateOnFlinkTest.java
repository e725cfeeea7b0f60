package dev.windowpane.pipelines.runners;

import dev.windowpane.transforms.state.MapWithState;
import dev.windowpane.transforms.sessions.SessionReference;
import dev.windowpane.transforms.sessions.SessionSummaries;
import dev.windowpane.transforms.sessions.SessionSummary;
import dev.windowpane.transforms.state.StateHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * MapWithState (state, event-time timers with output timestamps, the key in the timer callback) and
 * SessionSummaries (merging session windows) on the embedded Flink runner in streaming mode,
 * parallelism 2, against their definitions.
 */
class StateOnFlinkTest {
  private static final Duration GAP = Duration.standardMinutes(10);

  private static Pipeline flinkStreaming() {
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setRunner(FlinkRunner.class);
    options.setFlinkMaster("[local]");
    options.setStreaming(true);
    options.setParallelism(2);
    return Pipeline.create(options);
  }

  /** Counts a key's events; reports the count when the key times out. */
  static Optional<KV<String, Long>> countUntilTimeout(
      String key, Optional<Double> value, StateHandle<Long> state) {
    if (state.isTimingOut()) {
      return Optional.of(KV.of(key, state.get()));
    }
    state.update(state.exists() ? state.get() + 1 : 1L);
    return Optional.empty();
  }

  @Test
  void sessionStatisticsAndMapWithStateMatchTheirDefinitionsOnFlink() {
    List<TimestampedValue<KV<String, Double>>> events =
        SessionReference.randomEvents(new Random(11), 6, 2000, 24 * 60);
    Map<String, Long> counts = new TreeMap<>();
    for (TimestampedValue<KV<String, Double>> e : events) {
      counts.merge(e.getValue().getKey(), 1L, Long::sum);
    }
    List<KV<String, Long>> expectedCounts = new ArrayList<>();
    counts.forEach((key, count) -> expectedCounts.add(KV.of(key, count)));

    Pipeline p = flinkStreaming();
    PCollection<KV<String, Double>> input =
        p.apply(
            Create.timestamped(events)
                .withCoder(KvCoder.of(StringUtf8Coder.of(), DoubleCoder.of())));
    PCollection<KV<String, SessionSummary>> sessions = input.apply(SessionSummaries.withGap(GAP));
    PCollection<KV<String, Long>> finalCounts =
        input
            .apply(
                MapWithState.of(StateOnFlinkTest::countUntilTimeout)
                    .withStateCoder(VarLongCoder.of())
                    .withOutputCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
                    .withTimeout(Duration.standardDays(2)))
            .outputs();

    PAssert.that(sessions).containsInAnyOrder(SessionReference.sessions(events, GAP));
    PAssert.that(finalCounts).containsInAnyOrder(expectedCounts);
    p.run().waitUntilFinish();
  }
}
