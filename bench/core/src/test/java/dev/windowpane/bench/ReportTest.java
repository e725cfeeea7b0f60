package dev.windowpane.bench;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ReportTest {
  private static final List<Integer> RATIOS = List.of(1, 60, 1440);

  private static Report report() {
    return new Report(
        List.of(
            new Row("windowpane-topn", "flink", 1, 400_000, 90, true, false, "ok"),
            new Row("windowpane-topn", "flink", 60, 300_000, 100, true, false, "ok"),
            new Row("windowpane-topn", "flink", 1440, 150_000, 300, true, false, "ok"),
            new Row("beam-builtin", "flink", 60, 2_500, 400, true, true, "ok"),
            new Row("flink-native", "flink", 60, 146_000, 200, true, false, "ok"),
            new Row("flink-native", "flink", 1440, 20_000, 250, true, true, "ok"),
            new Row("flink-sql", "flink", 1440, 0, 900, true, true, "no window completed"),
            new Row("passthrough", "flink", null, 520_000, 40, true, false, "ok"),
            new Row("windowpane-topn", "flink", 60, 150_000, 80, true, false, "ok", 10_000, "rocksdb", 10_000, 12, 0, -1, -1, 2_500, 0, "", 6, ""),
            new Row("windowpane-topn", "flink", 60, 20_000, 60, true, false, "ok", 10_000, "heap", 0, -1, 20_000, 180.4, 950, -1, 0, "", 6, ""),
            new Row("windowpane-topn", "flink", 60, 20_000, 60, true, false, "ok", 10_000, "heap", 0, -1, 20_000, 20, 41, -1, 0,
                "watermarks every 10 ms", 6, ""),
            new Row("flink-sql", "flink", 60, 20_000, 60, true, false, "ok", 10_000, "heap", 0, -1, 20_000, 25, 40, -1, 0,
                "watermarks every 10 ms", 6, "")),
        RATIOS);
  }

  @Test
  void csvHasTheAgreedHeaderAndAnEmptyRatioForThePassthrough() {
    String[] lines = report().csv().split("\n");
    assertThat(lines[0], equalTo("contender,runner,window_over_slide,events_per_second,peak_heap_mb,verified,capped,"
        + "keys,state_backend,checkpointing,p50_freshness_ms,p99_freshness_ms,checkpoint_mb,"
        + "checkpoint_mean_ms,late_fraction,runner_flags,hours,not_run"));
    assertThat(lines[4], equalTo("beam-builtin,flink,60,2500,400,true,true,10000,heap,off,,,,,0.0,,6,"));
    assertThat(lines[8], equalTo("passthrough,flink,,520000,40,true,false,10000,heap,off,,,,,0.0,,6,"));
    assertThat(lines[9], equalTo("windowpane-topn,flink,60,150000,80,true,false,10000,rocksdb,10s,,,12.0,2500,0.0,,6,"));
    assertThat(lines[10], equalTo("windowpane-topn,flink,60,20000,60,true,false,10000,heap,off,180,950,,,0.0,,6,"));
    assertThat(lines[11],
        equalTo("windowpane-topn,flink,60,20000,60,true,false,10000,heap,off,20,41,,,0.0,\"watermarks every 10 ms\",6,"));
  }

  @Test
  void targetsAreCheckedWithTheirRatios() {
    String targets = report().targets();
    assertThat(targets, containsString(
        "| windowpane-topn at W/P = 60 >= 20x beam-builtin | 300k vs 2.5k (capped): 120.00x | met |"));
    assertThat(targets, containsString(
        "| windowpane-topn at W/P = 60 >= flink-native | 300k vs 146k: 2.05x | met |"));
    assertThat(targets, containsString(
        "| windowpane-topn at W/P = 1440 >= 1/2 of its rate at W/P = 1 | 150k vs 400k: 0.38x | **not met** |"));
    assertThat(targets, containsString(
        "| windowpane-topn at W/P = 60 >= 1/3 of passthrough (flink) | 300k vs 520k: 0.58x | met |"));
    assertThat(targets, containsString(
        "| peak heap of windowpane-topn <= flink-native at W/P = 1440 | 300 MB vs 250 MB | not comparable (a run stopped at the cap did less work) |"));
    assertThat(targets, containsString(
        "| windowpane-topn at W/P = 1 >= 0.95 of passthrough (flink) | 400k vs 520k: 0.77x | **not met** |"));
    assertThat(targets, containsString("| windowpane-topn ahead of flink-sql at W/P = 60 | not measured | n/a |"));
    assertThat(targets, containsString("| p99 freshness of windowpane-topn <= 1 s (paced 20k/s, W/P = 60) | 950 ms | met |"));
    assertThat(targets, containsString("| p99 freshness of windowpane-topn <= flink-sql's (paced 20k/s, W/P = 60, "
        + "watermarks every 10 ms) | 41 ms vs 40 ms | **not met** |"));
    assertThat(targets, containsString("| windowpane-topn on rocksdb at W/P = 60 >= 1/2 of its heap rate | not measured | n/a |"));
    assertThat(targets, containsString(
        "| largest checkpoint of windowpane-topn < flink-sql's (every 10 s, W/P = 60) | not measured | n/a |"));
    assertThat(targets, containsString("| p99 freshness of windowpane-topn <= 1 s (paced 20k/s, W/P = 60) | 950 ms | met |"));
    assertThat(targets, containsString(
        "| windowpane-topn ahead of flink-sql at W/P = 1440 | 150k vs no window completed | met |"));
    assertThat(targets, containsString(
        "| peak heap of windowpane-topn <= flink-native at W/P = 1 | not measured | n/a |"));
  }

  @Test
  void rateTableMarksCappedCellsAndRepeatsThePassthroughCeiling() {
    String table = report().rateTable();
    assertThat(table, containsString("| beam-builtin | flink |  | 2.5k (capped) |  |"));
    assertThat(table, containsString("| passthrough | flink | 520k | 520k | 520k |"));
    assertThat(table, containsString("| flink-sql | flink |  |  | no window completed |"));
    assertThat(table, containsString("| windowpane-topn | flink, rocksdb, checkpoints 10 s |  | 150k |  |"));
    assertThat(table, containsString("| windowpane-topn | flink, paced 20k/s |  | fresh p50 180 ms, p99 950 ms |  |"));
  }

  @Test
  void checkpointsAreMeasuredAgainstTheSameLongerWorkloadWithout() {
    Row plain = new Row("windowpane-topn", "flink", 60, 700_000, 100, true, false, "ok");
    Row longer = plain.withHours(36);
    Row longerRate = new Row("windowpane-topn", "flink", 60, 680_000, 100, true, false, "ok").withHours(36);
    Row checkpointed = new Row("windowpane-topn", "flink", 60, 650_000, 120, true, false, "ok", 10_000, "heap",
        10_000, 3.24, 0, -1, -1, 80, 0, "", 6, "").withHours(36);
    Row sql = new Row("flink-sql", "flink", 60, 100_000, 400, true, true, "ok", 10_000, "heap", 10_000, 12, 0, -1,
        -1, 900, 0, "", 6, "").withHours(36);
    String targets = new Report(List.of(plain, longerRate, checkpointed, sql), RATIOS).targets();
    assertThat(targets, containsString("| windowpane-topn with checkpoints every 10 s at W/P = 60 >= 0.9 of its rate "
        + "without | 650k vs 680k: 0.96x | met |"));
    assertThat(targets, containsString(
        "| largest checkpoint of windowpane-topn < flink-sql's (every 10 s, W/P = 60) | 3.2 MB vs 12.0 MB | met |"));
    assertThat(longer.series(), equalTo("windowpane-topn (flink, 36 h of events)"));
    // Without the longer row, against the standard one.
    String fallback = new Report(List.of(plain, checkpointed), RATIOS).targets();
    assertThat(fallback, containsString("| 650k vs 700k: 0.93x | met |"));
  }

  @Test
  void aRowNotRunShowsItsReasonAndNoMeasurement() {
    Row sql1440 = new Row("flink-sql", "flink", 1440, 0, 0, true, false, "")
        .notRun("no window completed at W/P 360");
    Report report = new Report(
        List.of(new Row("windowpane-topn", "flink", 1440, 150_000, 300, true, false, "ok"),
            new Row("flink-native", "flink", 1440, 20_000, 250, true, false, "ok"), sql1440),
        RATIOS);
    assertThat(report.rateTable(),
        containsString("| flink-sql | flink |  |  | not run: no window completed at W/P 360 |"));
    assertThat(report.csv().split("\n")[3],
        equalTo("flink-sql,flink,1440,,,,,10000,heap,off,,,,,0.0,,6,\"no window completed at W/P 360\""));
    assertThat(report.detailTable(), containsString(
        "| flink-sql | flink | 1440 | 10000 | heap | off | - | - | - | - | - | - | not run: no window completed at W/P 360 |"));
    assertThat(report.targets(), containsString("| windowpane-topn ahead of flink-sql at W/P = 1440 | "
        + "150k vs not run (no window completed at W/P 360) | met |"));
  }

  @Test
  void aTargetAgainstARowTheQuickModeLeftOutIsNotMeasured() {
    Row builtin60 = new Row("beam-builtin", "flink", 60, 0, 0, true, false, "").notRun("quick mode, capped at W/P 1");
    Report report = new Report(
        List.of(new Row("windowpane-topn", "flink", 60, 300_000, 100, true, false, "ok"), builtin60), RATIOS);
    assertThat(report.targets(), containsString("| windowpane-topn at W/P = 60 >= 20x beam-builtin | "
        + "300k vs not run (quick mode, capped at W/P 1) | n/a |"));
  }

  @Test
  void chartIsAPngWithOneColouredLinePerSeriesAndPanelsOfDimensionsAndFreshness() throws Exception {
    // Under target/, for a person to look at.
    Path png = Path.of("target", "report-test-chart.png");
    Chart.write(report(), RATIOS, "test", png);
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth(), equalTo(1100));
    assertThat(image.getHeight(), equalTo(640 + 470));
    assertThat(coloured(image, 0, 1100, 0, 640), greaterThan(500));
    // Dimensions: bars of the rocksdb row and of the default row of windowpane-topn at W/P = 60.
    assertThat(coloured(image, 0, 550, 640, 1110), greaterThan(1000));
    // Freshness: the paced row's p50 and p99 bars.
    assertThat(coloured(image, 550, 1100, 640, 1110), greaterThan(2000));
  }

  private static int coloured(BufferedImage image, int x0, int x1, int y0, int y1) {
    int coloured = 0;
    for (int x = x0; x < x1; x++) {
      for (int y = y0; y < y1; y++) {
        int rgb = image.getRGB(x, y) & 0xFFFFFF;
        int r = rgb >> 16;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 80) {
          coloured++;
        }
      }
    }
    return coloured;
  }
}
