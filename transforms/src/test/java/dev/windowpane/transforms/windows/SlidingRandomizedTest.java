package dev.windowpane.transforms.windows;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;

import dev.windowpane.transforms.testing.LateDataScenario;
import dev.windowpane.transforms.testing.SlidingComparison;
import dev.windowpane.transforms.testing.TestPipelines;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Test;

/**
 * The three sliding transforms against Beam's built-in sliding windows on seeded random
 * TestStream timelines (moving watermark; on-time, late and too-late data; values from -3 to 5;
 * window a multiple of the slide or not; lateness zero or not; one or several shards), on the
 * DirectRunner. Each seed runs three geometries on one timeline; a failure names the seed.
 */
class SlidingRandomizedTest {
  private static final int SCENARIOS = 60;

  @Test
  void equalsBeamsBuiltInSlidingWindowsOnRandomTimelines() {
    List<String> problems = new ArrayList<>();
    for (long seed = 1; seed <= SCENARIOS; seed++) {
      LateDataScenario scenario = LateDataScenario.random(seed, 40, 3);
      Pipeline p = TestPipelines.create();
      SlidingComparison comparison = new SlidingComparison(scenario);
      comparison.addTo(p);
      PipelineResult result = TestPipelines.run(p);
      problems.addAll(comparison.mismatches(result));
    }
    assertThat(problems, empty());
  }
}
