package dev.windowpane.bench.beam;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import dev.windowpane.bench.Contender;
import dev.windowpane.bench.Reference;
import dev.windowpane.bench.RunRecorder;
import dev.windowpane.bench.RunSpec;
import dev.windowpane.bench.Workload;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Beam contenders on the DirectRunner with a workload small enough for a unit test. */
class BeamContenderTest {
  private static final long P = 60_000;
  private static final Workload SMALL = Workload.of(11, 1_500, 12 * 60_000, 5_000, 30, 1.1, 5);

  private static RunRecorder run(String contender, String runId, int ratio, long expectedWindows)
      throws Exception {
    RunRecorder recorder = RunRecorder.register(runId, expectedWindows, SMALL.events());
    RunSpec spec = new RunSpec(runId, "direct", SMALL, ratio, P, 10, 2, Map.of());
    Contender.Job job = new BeamContender(contender).start(spec);
    for (int i = 0; i < 1200 && !recorder.isComplete() && !job.isFinished(); i++) {
      recorder.awaitComplete(100);
    }
    recorder.awaitComplete(1000);
    job.cancel();
    return recorder;
  }

  @Test
  void builtinSlidingWindowsGiveTheExactTopTenOfEveryWindow() throws Exception {
    int ratio = 3;
    long[] range = Reference.windowEndRange(SMALL, ratio, P);
    long windows = (range[1] - range[0]) / P + 1;
    RunRecorder recorder = run("beam-builtin", "test-builtin", ratio, windows);
    assertThat(recorder.isComplete(), is(true));
    assertThat(recorder.emittedCount(), equalTo(SMALL.events()));
    assertThat(recorder.tops().asMap(), equalTo(Reference.topPerWindow(SMALL, ratio, P, 10).asMap()));
  }

  @Test
  void passthroughCountsEveryEvent() throws Exception {
    RunRecorder recorder = run("passthrough", "test-passthrough", 1, 0);
    assertThat(recorder.isComplete(), is(true));
    assertThat(recorder.countedEvents(), equalTo(SMALL.events()));
  }
}
