package dev.windowpane.bench;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SkipRuleTest {
  private static Row planned(String contender, Integer ratio) {
    return new Row(contender, "flink", ratio, 0, 0, true, false, "");
  }

  private static Row dimension(String contender, String backend, int keys, long pacedRate) {
    return new Row(contender, "flink", 60, 0, 0, true, false, "", keys, backend, 0, -1, pacedRate, -1, -1, -1, 0, "", 6, "");
  }

  private static Row measured(String contender, int ratio, double rate, boolean capped) {
    return new Row(contender, "flink", ratio, rate, 100, true, capped, "measured");
  }

  @Test
  void aHigherRatioIsNotRunOnlyAfterALowerOneCompletedNoWindow() {
    List<Row> earlier = List.of(
        measured("flink-sql", 60, 44_000, true),
        measured("flink-sql", 360, 0, true),
        measured("flink-native", 60, 445, true));
    assertThat(SkipRule.reason(earlier, planned("flink-sql", 1440), false), equalTo("no window completed at W/P 360"));
    // A slow but not empty run is no reason: it may still complete windows at the next ratio.
    assertThat(SkipRule.reason(earlier, planned("flink-native", 360), false), nullValue());
    // Nor is another contender's empty run, or an empty run at a higher ratio.
    assertThat(SkipRule.reason(earlier, planned("beam-builtin", 1440), false), nullValue());
    assertThat(SkipRule.reason(List.of(measured("flink-sql", 1440, 0, true)), planned("flink-sql", 360), false), nullValue());
  }

  @Test
  void theQuickModeAlsoLeavesOutAHigherRatioAfterACappedRun() {
    List<Row> earlier = List.of(measured("beam-builtin", 1, 78_000, true), measured("flink-sql", 1, 287_000, false));
    assertThat(SkipRule.reason(earlier, planned("beam-builtin", 60), true), equalTo("quick mode, capped at W/P 1"));
    assertThat(SkipRule.reason(earlier, planned("flink-sql", 60), true), nullValue());
    // The full run measures it.
    assertThat(SkipRule.reason(earlier, planned("beam-builtin", 60), false), nullValue());
  }

  @Test
  void aRowNotRunPassesItsReasonOnToHigherRatios() {
    Row notRun = planned("flink-sql", 1440).notRun("no window completed at W/P 360");
    assertThat(SkipRule.reason(List.of(notRun), planned("flink-sql", 5760), false), equalTo("no window completed at W/P 360"));
  }

  @Test
  void otherDimensionsAtTheSameRatioFollowTheDefaultRow() {
    List<Row> earlier = List.of(measured("beam-builtin", 60, 0, true), measured("flink-native", 60, 445, true),
        measured("flink-sql", 60, 44_000, true));
    assertThat(SkipRule.reason(earlier, dimension("beam-builtin", "heap", 1_000_000, 0), false),
        equalTo("no window completed at W/P 60 with 10,000 keys, heap, no checkpoints"));
    assertThat(SkipRule.reason(earlier, dimension("flink-native", "rocksdb", 10_000, 0), false), nullValue());
    // Paced at 20k/s: flink-native kept 445/s, flink-sql 44k/s.
    assertThat(SkipRule.reason(earlier, dimension("flink-native", "heap", 10_000, 20_000), false),
        equalTo("at W/P 60 it processed 445 events/s (capped), below the pace of 20k/s"));
    assertThat(SkipRule.reason(earlier, dimension("flink-sql", "heap", 10_000, 20_000), false), nullValue());
  }

  @Test
  void theDefaultRowsAndThePassthroughAlwaysRun() {
    List<Row> earlier = List.of(measured("flink-sql", 60, 0, true));
    assertThat(SkipRule.reason(earlier, planned("flink-sql", 60), false), nullValue());
    assertThat(SkipRule.reason(earlier, planned("passthrough", null), false), nullValue());
  }
}
