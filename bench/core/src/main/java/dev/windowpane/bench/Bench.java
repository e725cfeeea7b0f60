package dev.windowpane.bench;

import dev.windowpane.bench.beam.WindowpaneContenders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code make bench}: runs every contender on its runners at every window/slide ratio, each in its
 * own fresh JVM (same heap, parallelism 2), first verifying its top 10 per window against the
 * exact answer on the verification workload, then timing it; prints the Markdown tables and
 * writes {@code latest.csv}, {@code latest.md} and {@code latest.png} to the results directory.
 *
 * <p>Options ({@code --name=value}): {@code --quick}; {@code --events} (timed events; quick 1M,
 * full 5M); {@code --verifyEvents} (100000); {@code --ratios} (quick 1,60; full
 * 1,10,60,360,1440); {@code --cap} seconds per timed run (quick 8, full 20; counted from the
 * first emitted event; a capped run reports the events it fully processed by then over the time
 * they took, or "no window completed"); every timed run is verified like the verification run;
 * {@code
 * --verifyCap} (quick 5, full 12; a windowed contender gets up to twice as long to report its
 * first 3 windows); {@code --warmupEvents} (quick 0, full 1000000) and {@code
 * --warmupCap} (10);
 * {@code --repeats} (quick 1, full 3; the median is reported); {@code --direct} (run the
 * DirectRunner contenders; off by default, to keep the full run under 45 minutes) with {@code --directRatios} (1,60,1440) and
 * {@code --directCap} (20); {@code --runAll} (also the rows {@link SkipRule} leaves out as "not
 * run"); {@code --only=contender[@runner],...}; {@code --heap} (2g); {@code --seed}
 * (42); {@code --bench} (the bench directory, default "bench"); {@code --results} (default
 * BENCH/results).
 */
public final class Bench {
  private static final String PARALLELISM = "2";

  /** Series settings that shape the workload or its pace (the rest are the contender's settings). */
  private static final java.util.Set<String> WORKLOAD_SETTINGS = java.util.Set.of("keys", "pacedRate", "lateFraction", "hours");

  /** JVM options a Spark JVM needs on Java 17 (what spark-submit would add); see docs/benchmarks.md. */
  static final List<String> SPARK_JVM_OPTIONS =
      List.of(
          "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED");

  private final Map<String, String> options;
  private final boolean quick;
  private final Path benchDir;
  private final Path resultsDir;
  private final Path workDir;
  private final long seed;
  private final List<Integer> ratios;
  private final Map<String, WindowTops> references = new HashMap<>();
  private final List<Row> rows = new ArrayList<>();
  private final List<String> problems = new ArrayList<>();

  private Bench(Map<String, String> options) {
    this.options = options;
    this.quick = Boolean.parseBoolean(options.getOrDefault("quick", "false"));
    this.benchDir = Paths.get(options.getOrDefault("bench", "bench"));
    this.resultsDir = Paths.get(options.getOrDefault("results", benchDir.resolve("results").toString()));
    this.workDir = benchDir.resolve("target").resolve("bench-work");
    this.seed = Long.parseLong(options.getOrDefault("seed", "42"));
    this.ratios = ints(option("ratios", "1,60", "1,10,60,360,1440"));
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("Options are --name=value, got " + arg + ".");
      }
      int eq = arg.indexOf('=');
      if (eq < 0) {
        options.put(arg.substring(2), "true");
      } else {
        options.put(arg.substring(2, eq), arg.substring(eq + 1));
      }
    }
    new Bench(options).run(String.join(" ", args));
  }

  private String option(String name, String quickDefault, String fullDefault) {
    return options.getOrDefault(name, quick ? quickDefault : fullDefault);
  }

  private void run(String commandLine) throws Exception {
    long started = System.nanoTime();
    String loadAtStart = Machine.loadAverage();
    Files.createDirectories(resultsDir);
    deleteRecursively(workDir);
    Files.createDirectories(workDir);
    long events = Long.parseLong(option("events", "1000000", "5000000"));
    long verifyEvents = Long.parseLong(options.getOrDefault("verifyEvents", "100000"));
    List<Series> plan = plan();
    boolean runAll = Boolean.parseBoolean(options.getOrDefault("runAll", "false"));
    int total = plan.stream().mapToInt(s -> s.ratios.size()).sum();
    int done = 0;
    log(String.format(Locale.ROOT,
        "windowpane bench (%s): %d runs; %,d timed events, %,d verification events, W/P %s, P = 60 s",
        quick ? "quick" : "full", total, events, verifyEvents, ratios));
    for (Series s : plan) {
      for (Integer ratio : s.ratios) {
        done++;
        long t0 = System.nanoTime();
        String notRun = runAll ? null : SkipRule.reason(rows, s.planned(ratio), quick);
        if (notRun != null) {
          rows.add(s.planned(ratio).notRun(notRun));
          log(String.format(Locale.ROOT, "[%d/%d] %-45s W/P=%-5s not run: %s", done, total, s.label(),
              ratio == null ? "-" : ratio, notRun));
          continue;
        }
        Row row = measure(s, ratio, events, verifyEvents);
        rows.add(row);
        log(String.format(Locale.ROOT, "[%d/%d] %-45s W/P=%-5s %10s ev/s %5d MB %s%s (%.0f s)",
            done, total, s.label(), ratio == null ? "-" : ratio,
            Report.rate(row.eventsPerSecond()), row.peakHeapMb(),
            row.verified() ? "verified" : "NOT VERIFIED", row.capped() ? ", capped" : "",
            (System.nanoTime() - t0) / 1e9));
      }
    }
    Report report = new Report(rows, ratios);
    String title = String.format(Locale.ROOT, "windowpane bench (%s): %,d events, P = 60 s, parallelism 2",
        quick ? "quick" : "full", events);
    String markdown = markdown(report, title, commandLine, events, verifyEvents,
        (System.nanoTime() - started) / 1e9, loadAtStart, Machine.loadAverage());
    System.out.println(markdown);
    report.writeCsv(resultsDir.resolve("latest.csv"));
    Files.writeString(resultsDir.resolve("latest.md"), markdown, StandardCharsets.UTF_8);
    Chart.write(report, ratios, title, resultsDir.resolve("latest.png"));
    log("wrote " + resultsDir.resolve("latest.csv") + ", latest.md and latest.png");
    boolean allVerified = rows.stream().allMatch(Row::verified);
    if (!allVerified) {
      log("NOT every contender was verified: see the table");
      System.exit(2);
    }
  }

  /** The contenders, runners and ratios of this mode, in report order. */
  private List<Series> plan() {
    List<Series> plan = new ArrayList<>();
    boolean direct = Boolean.parseBoolean(options.getOrDefault("direct", "false"));
    List<Integer> directRatios = ints(options.getOrDefault("directRatios", "1,60,1440"));
    for (String w : Contenders.WINDOWPANE) {
      add(plan, w, "flink", ratios);
    }
    add(plan, Contenders.BEAM_BUILTIN, "flink", ratios);
    add(plan, Contenders.FLINK_NATIVE, "flink", ratios);
    add(plan, Contenders.FLINK_SQL, "flink", ratios);
    add(plan, Contenders.SPARK_DSTREAM, "spark", ratios);
    add(plan, Contenders.PASSTHROUGH, "flink", null);
    add(plan, Contenders.PASSTHROUGH, "spark", null);
    // State backends and checkpoints at W/P = 60: one row of each in the quick mode, the three
    // strongest contenders in the full one.
    List<String> dimensionContenders = quick
        ? List.of(Contenders.WINDOWPANE_TOPN)
        : List.of(Contenders.WINDOWPANE_TOPN, Contenders.FLINK_SQL, Contenders.FLINK_NATIVE);
    for (String c : dimensionContenders) {
      add(plan, c, "flink", List.of(60), Map.of("stateBackend", "rocksdb"));
    }
    // Checkpoints every 10 s need runs long enough to take several: 36 hours of events at the
    // standard density (30M events in the full mode), and, as what they cost is measured against,
    // windowpane-topn on the same workload without them.
    add(plan, Contenders.WINDOWPANE_TOPN, "flink", List.of(60), Map.of("hours", "36"));
    for (String c : dimensionContenders) {
      add(plan, c, "flink", List.of(60), Map.of("checkpointMillis", "10000", "hours", "36"));
    }
    List<String> freshContenders = quick
        ? List.of(Contenders.WINDOWPANE_TOPN)
        : List.of(Contenders.WINDOWPANE_TOPN, Contenders.FLINK_SQL, Contenders.FLINK_NATIVE, Contenders.BEAM_BUILTIN);
    for (String c : freshContenders) {
      add(plan, c, "flink", List.of(60), Map.of("pacedRate", "20000"));
    }
    // The same with watermarks (and Beam's bundles) every 10 ms, for whoever keeps the pace (full
    // mode: the quick one has one row of each dimension).
    List<String> fastFreshContenders = quick
        ? List.<String>of()
        : List.of(Contenders.WINDOWPANE_TOPN, Contenders.FLINK_SQL, Contenders.FLINK_NATIVE);
    for (String c : fastFreshContenders) {
      add(plan, c, "flink", List.of(60), Map.of("pacedRate", "20000", "intervalMillis", "10"));
    }
    List<String> keyContenders = quick
        ? List.of(Contenders.WINDOWPANE_TOPN)
        : List.of(Contenders.WINDOWPANE_TOPN, Contenders.FLINK_SQL, Contenders.FLINK_NATIVE, Contenders.BEAM_BUILTIN);
    for (String c : keyContenders) {
      add(plan, c, "flink", List.of(60), Map.of("keys", "1000000"));
    }
    // Runner flags: the pipelines ship with Beam's metrics on (their counters live there); what
    // they cost (full mode only).
    if (!quick) {
      for (String c : List.of(Contenders.WINDOWPANE_TOPN, Contenders.PASSTHROUGH)) {
        add(plan, c, "flink", c.equals(Contenders.PASSTHROUGH) ? null : List.of(1, 60),
            Map.of("beamArgs", "--disableMetrics=true"));
      }
    }
    // Late data: 1% of the events behind the watermark, within the allowed lateness.
    add(plan, Contenders.WINDOWPANE_TOPN, "flink", List.of(60), Map.of("lateFraction", "0.01"));
    if (direct) {
      add(plan, Contenders.WINDOWPANE_TOPN, "direct", directRatios);
      add(plan, Contenders.BEAM_BUILTIN, "direct", directRatios);
      add(plan, Contenders.PASSTHROUGH, "direct", null);
    }
    return plan;
  }

  private void add(List<Series> plan, String contender, String runner, List<Integer> ratioList) {
    add(plan, contender, runner, ratioList, Map.of());
  }

  private void add(
      List<Series> plan, String contender, String runner, List<Integer> ratioList, Map<String, String> settings) {
    String only = options.get("only");
    if (only != null
        && Arrays.stream(only.split(","))
            .noneMatch(o -> o.equals(contender) || o.equals(contender + "@" + runner))) {
      return;
    }
    if (Contenders.WINDOWPANE.contains(contender) && !WindowpaneContenders.available(contender)) {
      log("skipping " + contender + ": its transform is not in this build of windowpane-transforms");
      return;
    }
    List<Integer> list = new ArrayList<>();
    if (ratioList == null) {
      list.add(null);
    } else {
      list.addAll(ratioList);
    }
    plan.add(new Series(contender, runner, list, settings));
  }

  /** Verifies and times one contender on one runner at one ratio in a fresh JVM. */
  private Row measure(Series s, Integer ratio, long events, long verifyEvents) throws Exception {
    boolean directRunner = s.runner.equals("direct");
    double cap = Double.parseDouble(directRunner
        ? options.getOrDefault("directCap", option("cap", "12", "20"))
        : option("cap", "8", "20"));
    double verifyCap = Double.parseDouble(option("verifyCap", "5", "12"));
    long warmupEvents = Long.parseLong(option("warmupEvents", "0", "1000000"));
    int repeats = Integer.parseInt(option("repeats", "1", "3"));
    if (s.hours() != 6) {
      // A longer workload at the same density: one timed run, given the time it needs.
      events = events * s.hours() / 6;
      repeats = 1;
      cap = Math.max(cap, 90);
    }
    List<String> phases = new ArrayList<>();
    phases.add("verify:" + verifyEvents);
    if (s.pacedRate() > 0) {
      // Freshness: one run paced to the rate for a fixed wall time (quick 12 s, full 60 s).
      phases.add("fresh:" + s.pacedRate() * Long.parseLong(option("freshSeconds", "12", "60")));
    } else {
      if (warmupEvents > 0) {
        phases.add("warmup:" + warmupEvents);
      }
      for (int i = 0; i < repeats; i++) {
        phases.add("time:" + events);
      }
    }
    String name = s.contender + "-" + s.runner + (ratio == null ? "" : "-" + ratio)
        + (s.stateBackend().equals("heap") ? "" : "-" + s.stateBackend())
        + (s.checkpointMillis() > 0 ? "-checkpoints" : "")
        + (s.hours() == 6 ? "" : "-" + s.hours() + "h")
        + (s.keys() == 10_000 ? "" : "-" + s.keys() + "-keys")
        + (s.pacedRate() > 0 ? "-paced" : "")
        + (s.lateFraction() > 0 ? "-late" : "")
        + (s.settings.containsKey("beamArgs") ? "-flags" : "")
        + (s.settings.containsKey("intervalMillis") ? "-interval-" + s.settings.get("intervalMillis") : "");
    Path out = workDir.resolve(name);
    Files.createDirectories(out);
    List<PhaseResult> results = new ArrayList<>();
    String failure = null;
    for (int attempt = 0; attempt < 3 && results.size() < phases.size(); attempt++) {
      List<String> remaining = remainingPhases(phases, results);
      if (remaining.isEmpty()) {
        break;
      }
      int exit = launch(s, ratio, remaining, cap, verifyCap, out, attempt);
      List<PhaseResult> all = readResults(out.resolve("result.txt"));
      results = all;
      boolean hung = Files.exists(out.resolve("result.txt"))
          && Files.readString(out.resolve("result.txt")).contains("#cancel-hung");
      if (exit != 0 && !hung) {
        failure = "the contender JVM exited with status " + exit + " (log: " + out.resolve("log-" + attempt + ".txt") + ")";
        break;
      }
      if (!hung) {
        break;
      }
      Files.writeString(out.resolve("result.txt"),
          Files.readString(out.resolve("result.txt")).replace("#cancel-hung\n", ""));
    }
    return row(s, ratio, results, failure, out);
  }

  /** Phases not yet run; once a timed phase was capped, none are left. */
  private static List<String> remainingPhases(List<String> phases, List<PhaseResult> results) {
    for (PhaseResult r : results) {
      if (r.capped() && r.phase().equals("time")) {
        return List.of();
      }
    }
    return phases.subList(Math.min(results.size(), phases.size()), phases.size());
  }

  private int launch(Series s, Integer ratio, List<String> phases, double cap, double verifyCap,
      Path out, int attempt) throws IOException, InterruptedException {
    Path module = benchDir.resolve(s.runner.equals("spark") ? "spark" : "flink");
    Path classpathFile = module.resolve("target").resolve("classpath.txt");
    if (!Files.exists(classpathFile)) {
      throw new IllegalStateException(
          "No " + classpathFile + ": build first with mvn -pl bench/flink,bench/spark -am compile.");
    }
    String classpath = module.resolve("target").resolve("classes").toAbsolutePath() + java.io.File.pathSeparator
        + Files.readString(classpathFile).trim();
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + options.getOrDefault("heap", "2g"));
    command.add("-XX:+UseG1GC");
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    // Flink's line per completed checkpoint, which CheckpointLog reads.
    command.add("-Dorg.slf4j.simpleLogger.log.org.apache.flink.runtime.checkpoint.CheckpointCoordinator=info");
    if (s.runner.equals("spark")) {
      command.addAll(SPARK_JVM_OPTIONS);
    }
    command.add("-cp");
    command.add(classpath);
    command.add(ContenderMain.class.getName());
    command.add("--contender=" + s.contender);
    command.add("--runner=" + s.runner);
    command.add("--ratio=" + (ratio == null ? 1 : ratio));
    command.add("--period=60000");
    command.add("--seed=" + seed);
    command.add("--parallelism=" + PARALLELISM);
    command.add("--phases=" + String.join(",", phases));
    command.add("--cap=" + cap);
    command.add("--verifyCap=" + verifyCap);
    command.add("--warmupCap=" + options.getOrDefault("warmupCap", "10"));
    command.add("--out=" + out.toAbsolutePath());
    for (Map.Entry<String, String> e : options.entrySet()) {
      if (e.getKey().startsWith("set.")) {
        command.add("--" + e.getKey() + "=" + e.getValue());
      }
    }
    s.settings.forEach((k, v) -> command.add((WORKLOAD_SETTINGS.contains(k) ? "--" : "--set.") + k + "=" + v));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.redirectErrorStream(true);
    pb.redirectOutput(out.resolve("log-" + attempt + ".txt").toFile());
    Process p = pb.start();
    double budget = 60 + phases.size() * 90;
    for (String phase : phases) {
      budget += phase.startsWith("verify") ? 2 * verifyCap : phase.startsWith("warmup") ? 20 : cap;
    }
    if (!p.waitFor((long) budget, TimeUnit.SECONDS)) {
      log("the contender JVM did not end within " + (long) budget + " s; stopping it");
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
      return -1;
    }
    return p.exitValue();
  }

  private static List<PhaseResult> readResults(Path file) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    try (Stream<String> lines = Files.lines(file)) {
      return lines.filter(l -> l.startsWith("phase=")).map(PhaseResult::parse).collect(Collectors.toList());
    }
  }

  private Row row(Series s, Integer ratio, List<PhaseResult> results, String failure, Path out)
      throws IOException {
    int verifyIndex = -1;
    List<Integer> timedIndexes = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i).phase().equals("verify") && verifyIndex < 0) {
        verifyIndex = i;
      } else if (results.get(i).phase().equals("time") || results.get(i).phase().equals("fresh")) {
        timedIndexes.add(i);
      }
    }
    PhaseResult verify = verifyIndex < 0 ? null : results.get(verifyIndex);
    List<PhaseResult> timed = timedIndexes.stream().map(results::get).toList();
    boolean verified;
    List<String> notes = new ArrayList<>();
    if (verify == null) {
      verified = false;
      notes.add("no verification run");
    } else {
      String check = check(verify, verifyIndex, ratio, s, out);
      verified = check == null;
      notes.add("verification run: " + (check == null ? describe(verify, ratio) : check));
    }
    double rate = 0;
    long heap = 0;
    long heapEvents = 0;
    boolean capped = false;
    if (timed.isEmpty()) {
      notes.add("no timed run" + (failure == null ? "" : ": " + failure));
      verified = false;
    } else {
      for (int t = 0; t < timed.size(); t++) {
        PhaseResult run = timed.get(t);
        if (run.peakHeapMb() > heap) {
          heap = run.peakHeapMb();
          heapEvents = run.processed();
        }
        String check = check(run, timedIndexes.get(t), ratio, s, out);
        if (check != null) {
          notes.add("timed run " + (t + 1) + ": " + check);
          verified = false;
        }
      }
      PhaseResult cappedRun = timed.stream().filter(PhaseResult::capped).findFirst().orElse(null);
      if (cappedRun != null) {
        capped = true;
        rate = cappedRun.eventsPerSecond();
        notes.add(cappedRun.processed() == 0
            ? String.format(Locale.ROOT, "timed run stopped at the cap after %,d of %,d events emitted: no window completed",
                cappedRun.emitted(), cappedRun.events())
            : String.format(Locale.ROOT,
                "timed run stopped at the cap with %,d of %,d events fully processed (%s) in %.0f s",
                cappedRun.processed(), cappedRun.events(), describe(cappedRun, ratio), cappedRun.seconds()));
        notes.add(String.format(Locale.ROOT, "peak heap over %,d events processed: not comparable with a full run", heapEvents));
      } else {
        List<Double> rates = timed.stream().map(PhaseResult::eventsPerSecond).sorted().toList();
        rate = rates.get(rates.size() / 2);
        notes.add("timed " + (timed.size() == 1 ? "run: " : "runs: ") + describe(timed.get(0), ratio));
        if (rates.size() > 1) {
          notes.add("median of " + rates.size() + ": "
              + rates.stream().map(Report::rate).collect(Collectors.joining(", ")));
        }
      }
    }
    if (failure != null && !timed.isEmpty()) {
      notes.add(failure);
    }
    if (!verified) {
      problems.add(s.label() + " at W/P " + ratio + ": " + String.join("; ", notes));
    }
    double checkpointMb = timed.stream().mapToDouble(PhaseResult::checkpointMb).max().orElse(-1);
    double checkpointMeanMs = meanCheckpointMillis(timed);
    double p50 = timed.isEmpty() ? -1 : timed.get(0).p50FreshnessMs();
    double p99 = timed.isEmpty() ? -1 : timed.get(0).p99FreshnessMs();
    return new Row(s.contender, s.runner, ratio, rate, heap, verified, capped, String.join("; ", notes),
        s.keys(), s.stateBackend(), s.checkpointMillis(), checkpointMb, s.pacedRate(), p50, p99, checkpointMeanMs,
        s.lateFraction(), s.flags(), s.hours(), "");
  }

  /** The mean duration of every checkpoint the timed runs completed, or -1 when none did. */
  private static double meanCheckpointMillis(List<PhaseResult> timed) {
    double sum = 0;
    long count = 0;
    for (PhaseResult r : timed) {
      if (r.checkpoints() > 0) {
        sum += r.checkpointMeanMs() * r.checkpoints();
        count += r.checkpoints();
      }
    }
    return count == 0 ? -1 : sum / count;
  }

  /**
   * Why the run of phase {@code index} is not verified, or null when it is: it did not fail, and
   * (windowed) its rankings are those of the exact answer for every window up to the last one it
   * reported, and all of them when it was not stopped at the cap (a run stopped before its first
   * window has nothing to compare); (pass-through) it counted every
   * event unless stopped at the cap.
   */
  private String check(PhaseResult run, int index, Integer ratio, Series s, Path out) throws IOException {
    if (run.failure() != null) {
      return "failed: " + run.failure();
    }
    if (ratio == null) {
      return run.complete() || run.capped() ? null : "counted fewer than " + run.events() + " events";
    }
    Workload workload = Workload.standard(seed, run.events(), s.keys(), s.hours()).withLateEvents(s.lateFraction());
    WindowTops reference = references.computeIfAbsent(workload + "@" + ratio,
        k -> Reference.topPerWindow(workload, ratio, 60_000, 10));
    Path tops = out.resolve("tops-" + index + ".tsv");
    WindowTops.Verification v = Files.exists(tops)
        ? WindowTops.read(tops).verifyAgainst(reference, workload.lateFraction() > 0)
        : new WindowTops.Verification(reference.windows(), 0, null);
    if (run.capped() && v.mismatch() == null && v.windowsCompared() == 0) {
      // Stopped before its first window: nothing wrong, nothing to compare (the verification run
      // compared its windows); the rate says "no window completed".
      return null;
    }
    if (!v.passed()) {
      return v.describe();
    }
    if (!run.capped() && !v.complete()) {
      return v.describe() + ", and the run was not stopped at the cap";
    }
    return null;
  }

  private static String describe(PhaseResult run, Integer ratio) {
    if (ratio == null) {
      return String.format(Locale.ROOT, "counted %,d of %,d events", run.processed(), run.events());
    }
    return run.windows() == run.expectedWindows()
        ? "all " + run.windows() + " windows equal"
        : run.windows() + " of " + run.expectedWindows() + " windows, each equal";
  }

  private String markdown(Report report, String title, String commandLine, long events,
      long verifyEvents, double seconds, String loadAtStart, String loadAtEnd) {
    StringBuilder b = new StringBuilder();
    b.append("## ").append(title).append("\n\n");
    b.append("Run ").append(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
        .append(" on ").append(Machine.describe()).append(".\n");
    b.append("Arguments: `").append(commandLine.isBlank() ? "(defaults)" : commandLine).append("`; ")
        .append(String.format(Locale.ROOT, "took %.0f s; 1-minute load average %s at the start, %s at the end.%n%n",
            seconds, loadAtStart, loadAtEnd));
    b.append(String.format(Locale.ROOT,
        "Events per second (timed runs of %,d events; %s). Every contender was first run on the same "
            + "%,d events and its top 10 per window compared with the exact answer.%n%n",
        events, quick ? "one run each" : "median of the timed runs after a warm-up", verifyEvents));
    b.append(report.rateTable()).append('\n');
    b.append("### Targets (issues 4 and 11)\n\n").append(report.targets()).append('\n');
    b.append("### Every measurement\n\n").append(report.detailTable());
    if (!problems.isEmpty()) {
      b.append("\n### Not verified\n\n");
      problems.forEach(p -> b.append("- ").append(p).append('\n'));
    }
    return b.toString();
  }

  private static List<Integer> ints(String list) {
    return Arrays.stream(list.split(",")).map(String::trim).filter(x -> !x.isEmpty())
        .map(Integer::valueOf).collect(Collectors.toList());
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static void log(String line) {
    System.err.println(line);
  }

  /** A contender on a runner at some ratios, with settings for the contender JVM (state backend, checkpoints). */
  private record Series(String contender, String runner, List<Integer> ratios, Map<String, String> settings) {
    Series(String contender, String runner, List<Integer> ratios) {
      this(contender, runner, ratios, Map.of());
    }

    String stateBackend() {
      return settings.getOrDefault("stateBackend", "heap");
    }

    int keys() {
      return Integer.parseInt(settings.getOrDefault("keys", "10000"));
    }

    long pacedRate() {
      return Long.parseLong(settings.getOrDefault("pacedRate", "0"));
    }

    long checkpointMillis() {
      return Long.parseLong(settings.getOrDefault("checkpointMillis", "0"));
    }

    double lateFraction() {
      return Double.parseDouble(settings.getOrDefault("lateFraction", "0"));
    }

    int hours() {
      return Integer.parseInt(settings.getOrDefault("hours", "6"));
    }

    String label() {
      return planned(null).series();
    }

    /** A row of this series at {@code ratio} with nothing measured yet. */
    Row planned(Integer ratio) {
      return new Row(contender, runner, ratio, 0, 0, true, false, "", keys(), stateBackend(), checkpointMillis(), -1,
          pacedRate(), -1, -1, -1, lateFraction(), flags(), hours(), "");
    }

    /** The runner flags beyond the defaults: Beam's, or an interval for watermarks (and Beam's bundles). */
    String flags() {
      String interval = settings.get("intervalMillis");
      String beamArgs = settings.getOrDefault("beamArgs", "");
      return interval == null ? beamArgs
          : (beamArgs.isEmpty() ? "" : beamArgs + ", ") + "watermarks every " + interval + " ms";
    }
  }
}
