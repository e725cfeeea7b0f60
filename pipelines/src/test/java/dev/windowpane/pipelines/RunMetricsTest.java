package dev.windowpane.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end: each pipeline prints the metrics that apply to it, each with a label in words. */
class RunMetricsTest {
  @TempDir Path dir;

  private static final String EVENT =
      "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"session\":\"s-1\",\"value\":1}";

  /** The lines after "Metrics:". */
  private static List<String> metricLines(Cli run) {
    String out = run.out;
    return out.substring(out.indexOf("Metrics:")).lines().skip(1).collect(Collectors.toList());
  }

  @Test
  void sessionStatsPrintsNoWindowMetricAndOnlyReadableLabels() {
    Cli run =
        Cli.run(
            "session-stats",
            "--input=" + Cli.write(dir.resolve("events.jsonl"), EVENT, "bad"),
            "--output=" + dir.resolve("out"),
            "--emit=updates");

    assertThat(run.err, run.exitCode, is(0));
    assertThat(run.out, not(containsString("windows emitted")));
    assertThat(run.out, not(containsString("late events dropped")));
    assertThat(run.out, containsString("events read          2"));
    assertThat(run.out, containsString("dead letters         1"));
    assertThat(run.out, containsString("sessions emitted     1"));
    assertThat(run.out, containsString("updates emitted      1"));
    // A label is lower-case words, then the value: no camelCase counter name.
    assertThat(metricLines(run), everyItem(matchesPattern("  [a-z]+( [a-z]+)* +[0-9]+")));
  }

  @Test
  void sessionStatsOnAnEmptyInputStillReportsItsSessions() {
    Cli run =
        Cli.run(
            "session-stats",
            "--input=" + Cli.write(dir.resolve("empty.jsonl")),
            "--output=" + dir.resolve("out"));

    assertThat(run.err, run.exitCode, is(0));
    assertThat(run.out, containsString("sessions emitted     0"));
    assertThat(run.out, not(containsString("windows emitted")));
  }

  @Test
  void aRankingPipelineStillReportsItsWindows() {
    Cli run =
        Cli.run(
            "trending-hashtags",
            "--input=" + Cli.write(dir.resolve("empty.jsonl")),
            "--output=" + dir.resolve("out"));

    assertThat(run.err, run.exitCode, is(0));
    assertThat(run.out, containsString("late events dropped  0"));
    assertThat(run.out, containsString("windows emitted      0"));
  }
}
