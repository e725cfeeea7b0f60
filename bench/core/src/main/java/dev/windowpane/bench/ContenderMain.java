package dev.windowpane.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point of one contender JVM: runs one contender on one runner at one window/slide ratio
 * through a list of phases ({@code verify:EVENTS}, {@code warmup:EVENTS}, {@code time:EVENTS}),
 * each a fresh job over the workload with that many events, stopped at the cap if not done by
 * then (the cap counts from the first emitted event). Appends one {@link PhaseResult} line per
 * phase to {@code OUT/result.txt}, and the phase's rankings to {@code OUT/tops-N.tsv}, N counting
 * the lines of {@code result.txt} from 0, so that the orchestrator checks every run it reports. A
 * phase's rate is the events it fully processed ({@link Coverage}; for the pass-through, the
 * events it counted) over the wall time from its first emitted event to the moment the last of
 * them was processed. A timed phase that hits the cap ends the timed phases (a capped run is not
 * repeated).
 *
 * <p>Arguments: {@code --contender= --runner= --ratio= --period=MILLIS --seed= --keys= --hours= --phases=
 * --cap=SECONDS --verifyCap=SECONDS --warmupCap=SECONDS --parallelism= --out=DIR [--set.NAME=VALUE ...]}.
 */
public final class ContenderMain {
  private static final long CANCEL_WAIT_MILLIS = 20_000;
  private static final long STARTUP_LIMIT_MILLIS = 60_000;
  private static final int MIN_VERIFIED_WINDOWS = 3;
  /** How far a paced source may fall behind its schedule before the run is given up. */
  private static final long GIVE_UP_BEHIND_NANOS = 2_000_000_000L;

  private ContenderMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    Map<String, String> settings = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException("Arguments are --name=value, got " + arg + ".");
      }
      String name = arg.substring(2, eq);
      String value = arg.substring(eq + 1);
      if (name.startsWith("set.")) {
        settings.put(name.substring(4), value);
      } else {
        a.put(name, value);
      }
    }
    String contenderName = a.get("contender");
    String runner = a.get("runner");
    int ratio = Integer.parseInt(a.getOrDefault("ratio", "1"));
    long period = Long.parseLong(a.getOrDefault("period", "60000"));
    long seed = Long.parseLong(a.getOrDefault("seed", "42"));
    int keys = Integer.parseInt(a.getOrDefault("keys", "10000"));
    int hours = Integer.parseInt(a.getOrDefault("hours", "6"));
    long pacedRate = Long.parseLong(a.getOrDefault("pacedRate", "20000"));
    double lateFraction = Double.parseDouble(a.getOrDefault("lateFraction", "0"));
    int parallelism = Integer.parseInt(a.getOrDefault("parallelism", "2"));
    long capMillis = (long) (Double.parseDouble(a.getOrDefault("cap", "120")) * 1000);
    long warmupCapMillis = (long) (Double.parseDouble(a.getOrDefault("warmupCap", "30")) * 1000);
    long verifyCapMillis = (long) (Double.parseDouble(a.getOrDefault("verifyCap", "60")) * 1000);
    Path out = Paths.get(a.getOrDefault("out", "."));
    Files.createDirectories(out);
    Path resultFile = out.resolve("result.txt");

    HeapMonitor.install();
    CheckpointLog.install();
    Contender contender = Contenders.create(contenderName, runner);
    boolean windowed = Contenders.isWindowed(contenderName);
    int phaseNumber = 0;
    for (String phase : a.getOrDefault("phases", "time:1000000").split(",")) {
      String[] kindAndEvents = phase.split(":");
      String kind = kindAndEvents[0];
      long events = Long.parseLong(kindAndEvents[1]);
      Workload workload = Workload.standard(seed, events, keys, hours).withLateEvents(lateFraction);
      long expectedWindows = 0;
      long[] range = null;
      Coverage coverage = null;
      if (windowed) {
        range = Reference.windowEndRange(workload, ratio, period);
        expectedWindows = (range[1] - range[0]) / period + 1;
        coverage = Coverage.of(workload, ratio, period);
      }
      String runId = contenderName + "-" + runner + "-" + ratio + "-" + (phaseNumber++);
      RunRecorder recorder = RunRecorder.register(runId, expectedWindows, events);
      if (kind.equals("fresh")) {
        recorder.pace(pacedRate);
      }
      Map<String, String> runSettings = new HashMap<>(settings);
      runSettings.putIfAbsent("checkpointDir", out.resolve("checkpoints-" + runId).toString());
      RunSpec spec =
          new RunSpec(runId, runner, workload, ratio, period, 10, parallelism, runSettings);
      long cap =
          kind.equals("warmup") ? warmupCapMillis
              : kind.equals("verify") ? verifyCapMillis
              : kind.equals("fresh") ? 2 * events * 1000 / pacedRate + capMillis
              : capMillis;

      HeapMonitor.reset();
      CheckpointLog.reset();
      long startNanos = System.nanoTime();
      Contender.Job job = null;
      String failure = null;
      boolean capped = false;
      try {
        job = contender.start(spec);
        long nextProgress = System.nanoTime() + 5_000_000_000L;
        while (!recorder.isComplete() || lateFiringsMayFollow(workload, recorder, job)) {
          HeapMonitor.sample();
          if (System.nanoTime() > nextProgress) {
            nextProgress += 5_000_000_000L;
            progress(recorder, startNanos);
          }
          if (job.isFinished()) {
            if (recorder.isComplete()) {
              break;
            }
            failure = job.failure() == null ? null : describe(job.failure());
            // The job ended: give sinks a moment to report the last windows.
            recorder.awaitComplete(500);
            break;
          }
          // The cap counts from the first emitted event, so start-up (JVM, mini cluster,
          // Spark context) is the same free allowance for every contender.
          long first = recorder.firstEmitNanos();
          long now = System.nanoTime();
          boolean pastCap = first != 0 && now - first > cap * 1_000_000;
          if (pastCap && kind.equals("verify") && recorder.windowsReported() < MIN_VERIFIED_WINDOWS
              && windowed && now - first < 2 * cap * 1_000_000) {
            // A slow contender gets up to twice the cap to report a few windows to compare.
            pastCap = false;
          }
          if (pastCap && !recorder.isComplete()) {
            capped = true;
            break;
          }
          if (kind.equals("fresh") && recorder.maxBehindNanos() > GIVE_UP_BEHIND_NANOS) {
            // The contender cannot keep the pace: its freshness only grows from here.
            failure = String.format(java.util.Locale.ROOT,
                "the source fell more than %d s behind the paced rate; stopped", GIVE_UP_BEHIND_NANOS / 1_000_000_000L);
            break;
          }
          if (first == 0 && now - startNanos > STARTUP_LIMIT_MILLIS * 1_000_000) {
            failure = "no event was emitted within " + STARTUP_LIMIT_MILLIS / 1000 + " s of the start";
            break;
          }
          if (recorder.isComplete()) {
            Thread.sleep(20); // waiting for late firings
          } else {
            recorder.awaitComplete(20);
          }
        }
      } catch (Exception e) {
        failure = describe(e);
      }
      long stoppedNanos = System.nanoTime();
      boolean complete = recorder.isComplete();
      long first = recorder.firstEmitNanos();
      long processed;
      long processedNanos;
      if (windowed) {
        long[] prefix = recorder.completedPrefix(range[0], period);
        processed = prefix == null ? 0 : coverage.processedThrough(prefix[0]);
        processedNanos = prefix == null ? stoppedNanos : prefix[1];
      } else {
        processed = complete ? events : Math.min(events, recorder.countedEvents());
        processedNanos = complete ? recorder.completedNanos() : stoppedNanos;
      }
      // Sources report in batches; a complete run has emitted every event.
      long emitted = complete ? events : recorder.emittedCount();
      double seconds = first == 0 || processed == 0 ? 0 : (processedNanos - first) / 1e9;
      double rate = seconds > 0 ? processed / seconds : 0;
      if (!complete && !capped && failure == null) {
        failure = windowed
            ? "the job ended after " + recorder.windowsReported() + " of " + expectedWindows + " windows"
            : "the job ended after counting " + recorder.countedEvents() + " of " + events + " events";
      }
      double[] freshness =
          kind.equals("fresh") && windowed
              ? freshness(recorder, workload, period, out.resolve("freshness-" + phaseLines(resultFile) + ".tsv"))
              : new double[] {-1, -1};
      if (kind.equals("fresh") && recorder.maxBehindNanos() > 100_000_000L && failure == null) {
        failure = String.format(java.util.Locale.ROOT, "the source fell %.0f ms behind the paced rate",
            recorder.maxBehindNanos() / 1e6);
      }
      PhaseResult result =
          new PhaseResult(
              kind,
              events,
              emitted,
              processed,
              seconds,
              rate,
              HeapMonitor.peakMb(),
              capped,
              complete,
              recorder.windowsReported(),
              expectedWindows,
              CheckpointLog.maxBytes() < 0 ? -1 : CheckpointLog.maxBytes() / 1e6,
              CheckpointLog.count(),
              CheckpointLog.meanMillis(),
              freshness[0],
              freshness[1],
              failure);
      recorder.tops().write(out.resolve("tops-" + phaseLines(resultFile) + ".tsv"));
      append(resultFile, result.toLine());
      System.out.println("phase " + result.toLine());
      boolean stopped = job == null || job.isFinished() || cancel(job);
      RunRecorder.forget(runId);
      if (!stopped) {
        append(resultFile, "#cancel-hung");
        System.out.println("cancelling the job did not finish; leaving the remaining phases to a new JVM");
        halt(3);
      }
      if (capped && kind.equals("time")) {
        break;
      }
    }
    halt(0);
  }

  /**
   * Whether a complete run on late events may still report late firings: until its job ends (its
   * bounded source lets it), at most 10 s after it reported every window.
   */
  private static boolean lateFiringsMayFollow(Workload workload, RunRecorder recorder, Contender.Job job) {
    return workload.lateFraction() > 0 && !job.isFinished()
        && System.nanoTime() - recorder.completedNanos() <= 10_000_000_000L;
  }

  /**
   * p50 and p99, in ms, of how long after a window became complete its ranking reached the sink: a
   * window ending at E is complete when the source emits the first event at or after E plus the
   * disorder (the watermark then passes E), which a paced run emits at its due time. Windows that
   * only the end of the input completes are left out. Each window's delay goes to {@code file}
   * (window end, its due time on the JVM's nanosecond clock in ms, delay in ms), to find where a
   * tail comes from.
   */
  static double[] freshness(RunRecorder recorder, Workload workload, long period, Path file) throws IOException {
    List<Double> delays = new ArrayList<>();
    StringBuilder lines = new StringBuilder();
    for (Long end : recorder.tops().asMap().keySet()) {
      long index = workload.firstIndexWithTimestampAtOrAfter(end + workload.maxDisorderMillis());
      long reported = recorder.reportedNanos(end);
      if (index >= workload.events() || reported == 0) {
        continue;
      }
      long due = recorder.dueNanos(index);
      delays.add((reported - due) / 1e6);
      lines.append(end).append('\t').append(due / 1_000_000).append('\t')
          .append(String.format(java.util.Locale.ROOT, "%.1f", (reported - due) / 1e6)).append('\n');
    }
    Files.writeString(file, lines.toString());
    if (delays.isEmpty()) {
      return new double[] {-1, -1};
    }
    java.util.Collections.sort(delays);
    return new double[] {percentile(delays, 0.50), percentile(delays, 0.99)};
  }

  private static double percentile(List<Double> sorted, double q) {
    return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
  }

  /** The phases recorded in {@code resultFile} so far. */
  private static long phaseLines(Path resultFile) throws IOException {
    if (!Files.exists(resultFile)) {
      return 0;
    }
    try (java.util.stream.Stream<String> lines = Files.lines(resultFile)) {
      return lines.filter(l -> l.startsWith("phase=")).count();
    }
  }

  /** A line in the log every 5 s: how far the run is, to see whether a capped rate is steady. */
  private static void progress(RunRecorder recorder, long startNanos) {
    long first = recorder.firstEmitNanos();
    double sinceFirst = first == 0 ? 0 : (System.nanoTime() - first) / 1e9;
    System.out.printf(
        java.util.Locale.ROOT,
        "progress %.0f s: emitted %d, %.0f events/s since the first, windows %d, heap %d MB%n",
        (System.nanoTime() - startNanos) / 1e9,
        recorder.emittedCount(),
        sinceFirst > 0 ? recorder.emittedCount() / sinceFirst : 0.0,
        recorder.windowsReported(),
        java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20);
  }

  /** Cancels in a helper thread and waits a bounded time; true if the job stopped. */
  private static boolean cancel(Contender.Job job) throws InterruptedException {
    Thread t =
        new Thread(
            () -> {
              try {
                job.cancel();
              } catch (Exception e) {
                System.out.println("cancel failed: " + e);
              }
            },
            "cancel");
    t.setDaemon(true);
    t.start();
    t.join(CANCEL_WAIT_MILLIS);
    return !t.isAlive();
  }

  private static void append(Path file, String line) throws IOException {
    Files.writeString(
        file,
        line + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  private static String describe(Throwable t) {
    List<String> causes = new ArrayList<>();
    for (Throwable c = t; c != null && causes.size() < 4; c = c.getCause()) {
      causes.add(c.getClass().getSimpleName() + ": " + c.getMessage());
    }
    StringWriter trace = new StringWriter();
    t.printStackTrace(new PrintWriter(trace));
    System.out.println(trace);
    return String.join(" <- ", causes);
  }

  private static void halt(int status) {
    // A profile asked for with -XX:StartFlightRecording is written only at a normal exit: write it.
    for (jdk.jfr.Recording r : jdk.jfr.FlightRecorder.getFlightRecorder().getRecordings()) {
      if (r.getDestination() != null && r.getState() == jdk.jfr.RecordingState.RUNNING) {
        r.stop();
      }
    }
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(status);
  }
}
