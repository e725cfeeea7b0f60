package dev.windowpane.bench.flink;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import dev.windowpane.bench.Contender;
import dev.windowpane.bench.Reference;
import dev.windowpane.bench.RunRecorder;
import dev.windowpane.bench.RunSpec;
import dev.windowpane.bench.Workload;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The native Flink contenders (DataStream windows, Flink SQL's HOP and Window Top-N) give the exact
 * top 10 of every window, ties by key included, on a workload small enough for a unit test with
 * few keys (so ties are frequent) and disordered events.
 */
class FlinkContendersTest {
  private static final long P = 60_000;
  private static final Workload SMALL = Workload.of(11, 3_000, 20 * 60_000, 5_000, 30, 1.1, 5);

  @ParameterizedTest
  @CsvSource({"flink-native,1", "flink-native,4", "flink-sql,1", "flink-sql,4"})
  void everyWindowsTopTenIsTheExactAnswer(String name, int ratio) throws Exception {
    long[] range = Reference.windowEndRange(SMALL, ratio, P);
    long windows = (range[1] - range[0]) / P + 1;
    String runId = "test-" + name + "-" + ratio;
    RunRecorder recorder = RunRecorder.register(runId, windows, SMALL.events());
    Contender contender = name.equals("flink-sql") ? new FlinkSqlContender() : new FlinkNativeContender();
    Contender.Job job = contender.start(new RunSpec(runId, "flink", SMALL, ratio, P, 10, 2, Map.of()));
    for (int i = 0; i < 1200 && !recorder.isComplete() && !job.isFinished(); i++) {
      recorder.awaitComplete(100);
    }
    recorder.awaitComplete(1000);
    if (!job.isFinished()) {
      job.cancel();
    }
    RunRecorder.forget(runId);
    assertThat(recorder.isComplete(), is(true));
    assertThat(recorder.tops().duplicates(), is(0));
    assertThat(recorder.tops().asMap(), equalTo(Reference.topPerWindow(SMALL, ratio, P, 10).asMap()));
  }
}
