package dev.windowpane.pipelines.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;

import dev.windowpane.transforms.testing.LateDataScenario;
import dev.windowpane.transforms.testing.SlidingComparison;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/**
 * The three sliding transforms against Beam's built-in sliding windows on seeded random TestStream
 * timelines, on the embedded Flink runner in streaming mode (see SlidingComparison).
 *
 * <p>With late data the pipeline runs at parallelism 1 and with bundles of one element. Flink's
 * TestStream source does not wait for a watermark to reach every parallel task before its next
 * element, so at parallelism 2 whether an element counts as late depends on thread timing, for
 * Beam's built-in windows as for ours. And the Flink runner holds a DoFn's output watermark while
 * its bundle is open, so an element reaches the pane engine with the watermark from before its
 * bundle began: with bundles of more than one element it can still count where the built-in
 * windows (whose window assignment is not a bundled DoFn on Flink) already drop it. Without late
 * data (every event at or after the watermark, out of order) it runs at parallelism 2 with the
 * runner's default bundles.
 */
class SlidingRandomizedOnFlinkTest {

  private static Pipeline flinkPipeline(int parallelism, boolean singleElementBundles) {
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setRunner(FlinkRunner.class);
    options.setFlinkMaster("[local]");
    options.setStreaming(true);
    options.setParallelism(parallelism);
    if (singleElementBundles) {
      options.setMaxBundleSize(1L);
    }
    return Pipeline.create(options);
  }

  private static List<String> run(long firstSeed, int scenarios, int configs, boolean lateData, int parallelism) {
    List<String> problems = new ArrayList<>();
    for (long seed = firstSeed; seed < firstSeed + scenarios; seed++) {
      LateDataScenario scenario = LateDataScenario.random(seed, 40, configs, lateData);
      Pipeline p = flinkPipeline(parallelism, lateData);
      SlidingComparison comparison = new SlidingComparison(scenario);
      comparison.addTo(p);
      PipelineResult result = p.run();
      result.waitUntilFinish();
      problems.addAll(comparison.mismatches(result));
    }
    return problems;
  }

  @Test
  void equalsBeamsBuiltInWithLateDataOnFlink() {
    assertThat(run(1000, 12, 6, true, 1), empty());
  }

  @Test
  void equalsBeamsBuiltInOnOutOfOrderDataAtParallelismTwo() {
    assertThat(run(2000, 6, 6, false, 2), empty());
  }
}
