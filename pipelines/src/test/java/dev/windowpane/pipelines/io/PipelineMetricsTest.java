package dev.windowpane.pipelines.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The printed metrics: a readable label for every counter, the values in one column. */
class PipelineMetricsTest {
  @Test
  void everyCounterOfWindowpaneHasALabelInWords() {
    assertThat(PipelineMetrics.label("eventsRead"), equalTo("events read"));
    assertThat(PipelineMetrics.label("lateWindowUpdatesDropped"), equalTo("late window updates dropped"));
    assertThat(PipelineMetrics.label("stateUpdates"), equalTo("state updates"));
    assertThat(PipelineMetrics.label("stateRemovals"), equalTo("state removals"));
    assertThat(PipelineMetrics.label("stateTimeouts"), equalTo("state timeouts"));
    assertThat(PipelineMetrics.label("someNewCounter"), equalTo("some new counter"));
  }

  @Test
  void aLongLabelWidensTheColumnForAll() {
    Map<String, Long> counters = new LinkedHashMap<>();
    counters.put("eventsRead", 17L);
    counters.put("lateWindowUpdatesDropped", 3L);

    assertThat(
        PipelineMetrics.format(counters),
        equalTo(
            String.join(
                System.lineSeparator(),
                "Metrics:",
                "  events read                 17",
                "  late window updates dropped 3",
                "")));
  }

  @Test
  void shortLabelsKeepTheUsualColumn() {
    Map<String, Long> counters = new LinkedHashMap<>();
    counters.put("eventsRead", 9L);
    counters.put("windowsEmitted", 4L);

    assertThat(
        PipelineMetrics.format(counters),
        equalTo(
            String.join(
                System.lineSeparator(),
                "Metrics:",
                "  events read          9",
                "  windows emitted      4",
                "")));
  }
}
