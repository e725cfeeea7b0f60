package dev.windowpane.transforms.windows;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.instanceOf;

import dev.windowpane.transforms.testing.LateDataScenario;
import dev.windowpane.transforms.testing.SlidingComparison;
import dev.windowpane.transforms.testing.TestPipelines;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.options.ExperimentalOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The engine a portable runner gets ({@link PaneEngineOnValuesFn}: value state only, nothing judged
 * late) gives Beam's built-in sliding windows' results on bounded input: the three transforms on
 * the events of seeded random timelines as one bounded input, with the portable experiment set so
 * that the transforms choose that engine, run by the DirectRunner (which does not use the portable
 * harness itself).
 */
class SlidingOnValueStateTest {
  private static final int SCENARIOS = 20;

  @Test
  void aPortableBatchPipelineGetsTheEngineOnValueState() {
    Pipeline p = TestPipelines.create();
    p.getOptions().as(ExperimentalOptions.class).setExperiments(List.of("beam_fn_api"));
    PCollection<KV<String, Long>> input =
        p.apply(Create.of(KV.of("a", 1L)).withCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())));
    SlidingSpec spec = SlidingSpec.of(Duration.standardMinutes(2), Duration.standardMinutes(1));
    SlidingPanes<String, Long> engine =
        new SlidingPanes<>(spec, 0, PaneAggregation.sumOfLongs(), SlidingPanes.Emit.WHEN_FINAL, false, 1, 0);

    assertThat(
        PaneEngineFn.forInput(
            "Test", input, engine, StringUtf8Coder.of(), VarLongCoder.of(), (shard, end, version, totals, only, out) -> {},
            new TupleTag<Void>() {}, null),
        instanceOf(PaneEngineOnValuesFn.class));
  }

  @Test
  void equalsBeamsBuiltInSlidingWindowsOnBoundedInput() {
    List<String> problems = new ArrayList<>();
    for (long seed = 1; seed <= SCENARIOS; seed++) {
      LateDataScenario scenario = LateDataScenario.random(seed, 40, 3);
      Pipeline p = TestPipelines.create();
      p.getOptions().as(ExperimentalOptions.class).setExperiments(List.of("beam_fn_api"));
      SlidingComparison comparison = new SlidingComparison(scenario, true);
      comparison.addTo(p);
      PipelineResult result = TestPipelines.run(p);
      problems.addAll(comparison.mismatches(result));
    }
    assertThat(problems, empty());
  }
}
