package dev.windowpane.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The benchmark's outputs from its rows: the CSV ({@code latest.csv}), the Markdown tables printed
 * on stdout (rates by ratio, every row in full, the targets checked with their ratios).
 */
public final class Report {
  public static final String CSV_HEADER =
      "contender,runner,window_over_slide,events_per_second,peak_heap_mb,verified,capped,keys,state_backend,"
          + "checkpointing,p50_freshness_ms,p99_freshness_ms,checkpoint_mb,checkpoint_mean_ms,late_fraction,runner_flags,"
          + "hours,not_run";

  private final List<Row> rows;
  private final List<Integer> ratios;

  public Report(List<Row> rows, List<Integer> ratios) {
    this.rows = List.copyOf(rows);
    this.ratios = List.copyOf(ratios);
  }

  public List<Row> rows() {
    return rows;
  }

  public String csv() {
    StringBuilder b = new StringBuilder(CSV_HEADER).append('\n');
    for (Row r : rows) {
      b.append(r.contender()).append(',')
          .append(r.runner()).append(',')
          .append(r.ratio() == null ? "" : r.ratio().toString()).append(',')
          .append(r.ran() ? Long.toString(Math.round(r.eventsPerSecond())) : "").append(',')
          .append(r.ran() ? Long.toString(r.peakHeapMb()) : "").append(',')
          .append(r.ran() ? Boolean.toString(r.verified()) : "").append(',')
          .append(r.ran() ? Boolean.toString(r.capped()) : "").append(',')
          .append(r.keys()).append(',')
          .append(r.stateBackend()).append(',')
          .append(r.checkpointMillis() > 0 ? r.checkpointMillis() / 1000 + "s" : "off").append(',')
          .append(r.p50FreshnessMs() < 0 ? "" : Long.toString(Math.round(r.p50FreshnessMs()))).append(',')
          .append(r.p99FreshnessMs() < 0 ? "" : Long.toString(Math.round(r.p99FreshnessMs()))).append(',')
          .append(r.checkpointMb() < 0 ? "" : megabytes(r.checkpointMb())).append(',')
          .append(r.checkpointMeanMs() < 0 ? "" : Long.toString(Math.round(r.checkpointMeanMs()))).append(',')
          .append(r.lateFraction()).append(',')
          .append(quoted(r.runnerFlags())).append(',')
          .append(r.hours()).append(',')
          .append(quoted(r.notRun())).append('\n');
    }
    return b.toString();
  }

  /** "12.3": megabytes to a tenth. */
  static String megabytes(double mb) {
    return String.format(Locale.ROOT, "%.1f", mb);
  }

  private static String quoted(String field) {
    return field.isEmpty() ? "" : '"' + field.replace("\"", "\"\"") + '"';
  }

  public void writeCsv(Path file) throws IOException {
    Files.writeString(file, csv(), StandardCharsets.UTF_8);
  }

  /** Events per second by contender and ratio; a capped rate is marked "(capped)", a wrong answer "WRONG". */
  public String rateTable() {
    StringBuilder b = new StringBuilder("| contender | runner |");
    for (int ratio : ratios) {
      b.append(" W/P = ").append(ratio).append(" |");
    }
    b.append("\n| --- | --- |");
    ratios.forEach(r -> b.append(" ---: |"));
    b.append('\n');
    for (String series : seriesInOrder()) {
      List<Row> of = rows.stream().filter(r -> r.series().equals(series)).toList();
      Row any = of.get(0);
      b.append("| ").append(any.contender()).append(" | ").append(any.runner()).append(any.dimensions()).append(" |");
      for (int ratio : ratios) {
        Optional<Row> cell =
            of.stream().filter(r -> r.ratio() == null || r.ratio() == ratio).findFirst();
        b.append(' ').append(cell.map(Report::cell).orElse("")).append(" |");
      }
      b.append('\n');
    }
    return b.toString();
  }

  private static String cell(Row r) {
    if (!r.ran()) {
      return "not run: " + r.notRun();
    }
    if (r.pacedRate() > 0) {
      return r.p99FreshnessMs() < 0
          ? "freshness not measured"
          : String.format(Locale.ROOT, "fresh p50 %.0f ms, p99 %.0f ms", r.p50FreshnessMs(), r.p99FreshnessMs())
              + (r.verified() ? "" : " (not verified)");
    }
    if (r.noWindowCompleted()) {
      return "no window completed";
    }
    String rate = rate(r.eventsPerSecond());
    if (!r.verified()) {
      rate += " (not verified)";
    }
    if (r.capped()) {
      rate += " (capped)";
    }
    return rate;
  }

  /** Every row with every measured column and what verification found. */
  public String detailTable() {
    StringBuilder b =
        new StringBuilder(
            "| contender | runner | W/P | keys | state | checkpoints | events/s | peak heap (MB) | checkpoint (MB) | checkpoint mean (ms) | verified | capped | verification |\n"
                + "| --- | --- | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | --- | --- | --- |\n");
    for (Row r : rows) {
      b.append("| ").append(r.contender())
          .append(" | ").append(r.runner())
          .append(" | ").append(r.ratio() == null ? "-" : r.ratio())
          .append(" | ").append(r.keys())
          .append(" | ").append(r.stateBackend())
          .append(" | ").append(r.checkpointMillis() > 0 ? r.checkpointMillis() / 1000 + " s" : "off")
          .append(" | ").append(r.ran() ? Long.toString(Math.round(r.eventsPerSecond())) : "-")
          .append(" | ").append(r.ran() ? Long.toString(r.peakHeapMb()) : "-")
          .append(" | ").append(r.checkpointMb() < 0 ? "-" : megabytes(r.checkpointMb()))
          .append(" | ").append(r.checkpointMeanMs() < 0 ? "-" : Long.toString(Math.round(r.checkpointMeanMs())))
          .append(" | ").append(!r.ran() ? "-" : r.verified() ? "yes" : "**no**")
          .append(" | ").append(!r.ran() ? "-" : r.capped() ? "yes" : "no")
          .append(" | ").append(r.note().replace("|", "/"))
          .append(" |\n");
    }
    return b.toString();
  }

  /** The targets (floors), each with the measured ratio and whether it was met. */
  public String targets() {
    List<String[]> lines = new ArrayList<>();
    Optional<Row> topn60 = find(Contenders.WINDOWPANE_TOPN, "flink", 60);
    Optional<Row> builtin60 = find(Contenders.BEAM_BUILTIN, "flink", 60);
    Optional<Row> native60 = find(Contenders.FLINK_NATIVE, "flink", 60);
    Optional<Row> topn1 = find(Contenders.WINDOWPANE_TOPN, "flink", 1);
    Optional<Row> topn1440 = find(Contenders.WINDOWPANE_TOPN, "flink", 1440);
    Optional<Row> passthrough = find(Contenders.PASSTHROUGH, "flink", null);
    lines.add(ratioTarget("windowpane-topn at W/P = 60 >= 20x beam-builtin", topn60, builtin60, 20));
    lines.add(ratioTarget("windowpane-topn at W/P = 60 >= flink-native", topn60, native60, 1));
    lines.add(
        ratioTarget("windowpane-topn at W/P = 1440 >= 1/2 of its rate at W/P = 1", topn1440, topn1, 0.5));
    lines.add(
        ratioTarget("windowpane-topn at W/P = 60 >= 1/3 of passthrough (flink)", topn60, passthrough, 1.0 / 3));
    lines.add(ratioTarget("windowpane-topn at W/P = 1 >= 0.95 of passthrough (flink)", topn1, passthrough, 0.95));
    lines.add(ratioTarget("windowpane-topn at W/P = 60 >= 0.9 of passthrough (flink)", topn60, passthrough, 0.9));
    lines.add(
        ratioTarget("windowpane-topn at W/P = 1440 >= 0.8 of its rate at W/P = 1", topn1440, topn1, 0.8));
    Optional<Row> millionKeys = rows.stream()
        .filter(r -> r.contender().equals(Contenders.WINDOWPANE_TOPN) && Integer.valueOf(60).equals(r.ratio())
            && r.keys() == 1_000_000 && r.stateBackend().equals("heap") && r.checkpointMillis() == 0)
        .findFirst();
    Optional<Row> rocksdb = rows.stream()
        .filter(r -> r.contender().equals(Contenders.WINDOWPANE_TOPN) && Integer.valueOf(60).equals(r.ratio())
            && r.keys() == 10_000 && r.stateBackend().equals("rocksdb") && r.checkpointMillis() == 0)
        .findFirst();
    Optional<Row> checkpointed = rows.stream()
        .filter(r -> r.contender().equals(Contenders.WINDOWPANE_TOPN) && Integer.valueOf(60).equals(r.ratio())
            && r.keys() == 10_000 && r.stateBackend().equals("heap") && r.checkpointMillis() > 0)
        .findFirst();
    lines.add(ratioTarget("windowpane-topn with 1,000,000 keys at W/P = 60 >= 0.9 of its 10,000-key rate",
        millionKeys, topn60, 0.9));
    lines.add(ratioTarget("windowpane-topn on rocksdb at W/P = 60 >= 1/2 of its heap rate", rocksdb, topn60, 0.5));
    lines.add(ratioTarget("windowpane-topn with checkpoints every 10 s at W/P = 60 >= 0.9 of its rate without",
        checkpointed, checkpointed.flatMap(this::withoutCheckpoints).or(() -> topn60), 0.9));
    Optional<Row> sqlCheckpointed = rows.stream()
        .filter(r -> r.contender().equals(Contenders.FLINK_SQL) && Integer.valueOf(60).equals(r.ratio())
            && r.keys() == 10_000 && r.stateBackend().equals("heap") && r.checkpointMillis() > 0)
        .findFirst();
    String sizeTarget = "largest checkpoint of windowpane-topn < flink-sql's (every 10 s, W/P = 60)";
    if (checkpointed.isEmpty() || sqlCheckpointed.isEmpty() || checkpointed.get().checkpointMb() < 0
        || sqlCheckpointed.get().checkpointMb() < 0) {
      lines.add(new String[] {sizeTarget, "not measured", "n/a"});
    } else {
      double mine = checkpointed.get().checkpointMb();
      double theirs = sqlCheckpointed.get().checkpointMb();
      lines.add(new String[] {sizeTarget, megabytes(mine) + " MB vs " + megabytes(theirs) + " MB",
          mine < theirs ? "met" : "**not met**"});
    }
    for (Row r : rows) {
      if (r.pacedRate() > 0 && r.contender().equals(Contenders.WINDOWPANE_TOPN)) {
        String setting = "paced " + rate(r.pacedRate()) + "/s, W/P = " + r.ratio()
            + (r.runnerFlags().isEmpty() ? "" : ", " + r.runnerFlags());
        String name = "p99 freshness of windowpane-topn <= 1 s (" + setting + ")";
        lines.add(r.p99FreshnessMs() < 0
            ? new String[] {name, "not measured", "n/a"}
            : new String[] {name, String.format(Locale.ROOT, "%.0f ms", r.p99FreshnessMs()),
                r.p99FreshnessMs() <= 1000 ? "met" : "**not met**"});
        Optional<Row> sql = rows.stream()
            .filter(o -> o.contender().equals(Contenders.FLINK_SQL) && o.pacedRate() == r.pacedRate()
                && java.util.Objects.equals(o.ratio(), r.ratio()) && o.runnerFlags().equals(r.runnerFlags()))
            .findFirst();
        if (sql.isPresent()) {
          String versus = "p99 freshness of windowpane-topn <= flink-sql's (" + setting + ")";
          Row o = sql.get();
          lines.add(r.p99FreshnessMs() < 0 || o.p99FreshnessMs() < 0
              ? new String[] {versus, "not measured", "n/a"}
              : new String[] {versus,
                  String.format(Locale.ROOT, "%.0f ms vs %.0f ms", r.p99FreshnessMs(), o.p99FreshnessMs())
                      + (r.verified() && o.verified() ? "" : " (a contender was not verified)"),
                  r.p99FreshnessMs() <= o.p99FreshnessMs() ? "met" : "**not met**"});
        }
      }
    }
    for (int ratio : ratios) {
      if (ratio >= 10) {
        lines.add(ratioTarget("windowpane-topn ahead of flink-sql at W/P = " + ratio,
            find(Contenders.WINDOWPANE_TOPN, "flink", ratio), find(Contenders.FLINK_SQL, "flink", ratio), 1));
      }
    }
    for (int ratio : ratios) {
      Optional<Row> mine = find(Contenders.WINDOWPANE_TOPN, "flink", ratio);
      Optional<Row> theirs = find(Contenders.FLINK_NATIVE, "flink", ratio);
      String name = "peak heap of windowpane-topn <= flink-native at W/P = " + ratio;
      if (mine.isEmpty() || theirs.isEmpty() || !mine.get().ran() || !theirs.get().ran()) {
        lines.add(new String[] {name, "not measured", "n/a"});
      } else {
        long a = mine.get().peakHeapMb();
        long t = theirs.get().peakHeapMb();
        boolean comparable = mine.get().capped() == theirs.get().capped() && !mine.get().capped();
        lines.add(
            new String[] {
              name, a + " MB vs " + t + " MB",
              !comparable ? "not comparable (a run stopped at the cap did less work)" : a <= t ? "met" : "**not met**"
            });
      }
    }
    StringBuilder b = new StringBuilder("| target (Flink runner) | measured | result |\n| --- | --- | --- |\n");
    for (String[] l : lines) {
      b.append("| ").append(l[0]).append(" | ").append(l[1]).append(" | ").append(l[2]).append(" |\n");
    }
    return b.toString();
  }

  private String[] ratioTarget(String name, Optional<Row> mine, Optional<Row> theirs, double floor) {
    if (mine.isEmpty() || theirs.isEmpty()) {
      return new String[] {name, "not measured", "n/a"};
    }
    if (!SkipRule.rateKnown(mine.get()) || !SkipRule.rateKnown(theirs.get())) {
      return new String[] {name, shown(mine.get()) + " vs " + shown(theirs.get()), "n/a"};
    }
    if (theirs.get().eventsPerSecond() == 0 || mine.get().eventsPerSecond() == 0) {
      boolean met = mine.get().eventsPerSecond() > 0;
      String measured = shown(mine.get()) + " vs " + shown(theirs.get());
      String result = met ? "met" : "**not met**";
      return new String[] {name, measured, mine.get().verified() && theirs.get().verified()
          ? result : result + " (a contender was not verified)"};
    }
    double ratio = mine.get().eventsPerSecond() / theirs.get().eventsPerSecond();
    String measured =
        shown(mine.get()) + " vs " + shown(theirs.get()) + String.format(Locale.ROOT, ": %.2fx", ratio);
    boolean verified = mine.get().verified() && theirs.get().verified();
    String result = ratio >= floor ? "met" : "**not met**";
    if (!verified) {
      result += " (a contender was not verified)";
    }
    return new String[] {name, measured, result};
  }

  private static String shown(Row r) {
    if (!r.ran()) {
      return "not run (" + r.notRun() + ")";
    }
    if (r.noWindowCompleted()) {
      return "no window completed";
    }
    return rate(r.eventsPerSecond()) + (r.capped() ? " (capped)" : "");
  }

  /** The row of {@code r}'s contender, ratio and workload on the heap without checkpoints, if measured. */
  private Optional<Row> withoutCheckpoints(Row r) {
    return rows.stream()
        .filter(o -> o.contender().equals(r.contender()) && o.runner().equals(r.runner())
            && java.util.Objects.equals(o.ratio(), r.ratio()) && o.keys() == r.keys() && o.hours() == r.hours()
            && o.stateBackend().equals(r.stateBackend()) && o.checkpointMillis() == 0 && o.pacedRate() == 0
            && o.lateFraction() == 0 && o.runnerFlags().isEmpty())
        .findFirst();
  }

  private Optional<Row> find(String contender, String runner, Integer ratio) {
    return rows.stream()
        .filter(r -> r.contender().equals(contender) && r.runner().equals(runner) && r.dimensions().isEmpty())
        .filter(r -> ratio == null ? r.ratio() == null : ratio.equals(r.ratio()))
        .findFirst();
  }

  /** The series (contender on runner) in the order they first appear. */
  public List<String> seriesInOrder() {
    Set<String> s = new LinkedHashSet<>();
    rows.forEach(r -> s.add(r.series()));
    return new ArrayList<>(s);
  }

  /** Rows grouped by series, in order. */
  public Map<String, List<Row>> bySeries() {
    Map<String, List<Row>> m = new LinkedHashMap<>();
    rows.forEach(r -> m.computeIfAbsent(r.series(), k -> new ArrayList<>()).add(r));
    return m;
  }

  /** "512k", "1.8k", "950": events per second, short. */
  public static String rate(double eventsPerSecond) {
    if (eventsPerSecond >= 1e6) {
      return String.format(Locale.ROOT, "%.2fM", eventsPerSecond / 1e6);
    }
    if (eventsPerSecond >= 1e4) {
      return String.format(Locale.ROOT, "%.0fk", eventsPerSecond / 1e3);
    }
    if (eventsPerSecond >= 1e3) {
      return String.format(Locale.ROOT, "%.1fk", eventsPerSecond / 1e3);
    }
    return String.format(Locale.ROOT, "%.0f", eventsPerSecond);
  }
}
