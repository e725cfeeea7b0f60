package dev.windowpane.bench.beam;

import dev.windowpane.bench.Contender;
import dev.windowpane.bench.Event;
import dev.windowpane.bench.Ranked;
import dev.windowpane.bench.RunRecorder;
import dev.windowpane.bench.RunSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * The contenders written in Beam; the runner ("flink", "direct", "spark") is an option. Each reads
 * the {@link WorkloadSource}, parses events into {@code KV<key, value>} with their event times,
 * and either counts them (pass-through) or computes the top N per sliding window.
 */
public final class BeamContender implements Contender {
  /** The pipelines' default {@code --batchInterval} on Flink, in ms. */
  static final long DEFAULT_BATCH_INTERVAL_MILLIS = 100;

  private final String name;

  public BeamContender(String name) {
    this.name = name;
  }

  @Override
  public Job start(RunSpec spec) throws ReflectiveOperationException {
    if (spec.runner().equals("spark")) {
      // The SparkRunner caches source readers per JVM by the source's position in the pipeline,
      // so a second pipeline in the same JVM would get the first one's exhausted readers.
      try {
        Class.forName("org.apache.beam.runners.spark.io.MicrobatchSource")
            .getMethod("clearCache")
            .invoke(null);
      } catch (java.lang.reflect.InvocationTargetException noCacheYet) {
        // The first pipeline in this JVM: there is no cache to clear.
      }
    }
    Pipeline p = Pipeline.create(options(spec));
    PCollection<KV<String, Long>> keyed =
        p.apply("ReadWorkload", Read.from(WorkloadSource.of(spec.workload(), spec.runId())))
            .apply("Parse", new Parse());
    Duration size = Duration.millis(spec.sizeMillis());
    Duration period = Duration.millis(spec.periodMillis());
    switch (name) {
      case "passthrough":
        keyed.apply("Count", ParDo.of(new CountEvents(spec.runId())));
        break;
      case "beam-builtin":
        keyed
            .apply("SlidingWindows", Window.into(SlidingWindows.of(size).every(period)))
            .apply("SumPerKey", Sum.longsPerKey())
            .apply("TopPerWindow", Top.of(spec.topN(), new BestLast()).withoutDefaults())
            .apply("Record", ParDo.of(new RecordRankings(spec.runId())));
        break;
      default:
        WindowpaneContenders.expand(name, keyed, spec, size, period)
            .apply("Record", ParDo.of(new RecordRankings(spec.runId())));
    }
    PipelineResult result = p.run();
    return new Job() {
      @Override
      public boolean isFinished() {
        try {
          PipelineResult.State state = result.getState();
          return state != null && state.isTerminal();
        } catch (IllegalStateException e) {
          // Flink's per-job mini cluster is gone once the job has ended.
          return true;
        }
      }

      @Override
      public Throwable failure() {
        try {
          result.waitUntilFinish(Duration.millis(1));
          return result.getState() == PipelineResult.State.FAILED
              ? new IllegalStateException("The pipeline failed.")
              : null;
        } catch (RuntimeException e) {
          return e;
        }
      }

      @Override
      public void cancel() throws Exception {
        result.cancel();
      }
    };
  }

  /** Runner options: parallelism 2 everywhere, streaming mode, the job returns at once. */
  static PipelineOptions options(RunSpec spec) {
    List<String> args = new ArrayList<>();
    switch (spec.runner()) {
      case "flink":
        args.add("--runner=FlinkRunner");
        args.add("--flinkMaster=[local]");
        args.add("--parallelism=" + spec.parallelism());
        args.add("--streaming=true");
        args.add("--attachedMode=false");
        boolean rocksdb = spec.setting("stateBackend", "heap").equals("rocksdb");
        long checkpointMillis = Long.parseLong(spec.setting("checkpointMillis", "0"));
        if (rocksdb || checkpointMillis > 0) {
          args.add("--stateBackend=" + (rocksdb ? "rocksdb" : "filesystem"));
          args.add("--stateBackendStoragePath="
              + java.nio.file.Paths.get(spec.setting("checkpointDir", "/tmp/windowpane-bench-flink")).toUri());
        }
        // The flags the pipelines ship with (FlinkSettings): no copy of elements between chained
        // steps (object reuse), Beam's fasterCopy unless checkpoints are on, bundles and watermarks
        // every 100 ms (the default --batchInterval), metrics on; a flag in beamArgs wins.
        String beamArgs = spec.setting("beamArgs", "");
        if (!beamArgs.contains("--objectReuse=")) {
          args.add("--objectReuse=true");
        }
        if (!beamArgs.contains("--fasterCopy=")) {
          args.add("--fasterCopy=" + (checkpointMillis == 0));
        }
        String interval = spec.setting("intervalMillis", String.valueOf(DEFAULT_BATCH_INTERVAL_MILLIS));
        if (!beamArgs.contains("--maxBundleTimeMills=")) {
          args.add("--maxBundleTimeMills=" + interval);
        }
        if (!beamArgs.contains("--autoWatermarkInterval=")) {
          args.add("--autoWatermarkInterval=" + interval);
        }
        if (checkpointMillis > 0) {
          args.add("--checkpointingInterval=" + checkpointMillis);
          args.add("--checkpointingMode=EXACTLY_ONCE");
          args.add("--externalizedCheckpointsEnabled=true");
          args.add("--retainExternalizedCheckpointsOnCancellation=true");
        }
        break;
      case "direct":
        args.add("--runner=DirectRunner");
        args.add("--targetParallelism=" + spec.parallelism());
        args.add("--blockOnRun=false");
        // The DirectRunner's checks of user code (immutability, encodability) are test aids, not processing.
        args.add("--enforceImmutability=false");
        args.add("--enforceEncodability=false");
        break;
      case "spark":
        args.add("--runner=SparkRunner");
        args.add("--sparkMaster=local[" + spec.parallelism() + "]");
        args.add("--streaming=true");
        args.add("--batchIntervalMillis=" + spec.setting("spark.beamBatchIntervalMillis", "1000"));
        args.add("--checkpointDir=" + spec.setting("checkpointDir", "/tmp/windowpane-bench-spark"));
        args.add("--enableSparkMetricSinks=false");
        break;
      default:
        throw new IllegalArgumentException("Unknown runner " + spec.runner() + ".");
    }
    for (String extra : spec.setting("beamArgs", "").split(" ")) {
      if (!extra.isBlank()) {
        args.add(extra);
      }
    }
    return PipelineOptionsFactory.fromArgs(args.toArray(new String[0])).create();
  }

  /** Event to {@code KV<key, value>}, keeping the event time. */
  static final class Parse extends PTransform<PCollection<Event>, PCollection<KV<String, Long>>> {
    @Override
    public PCollection<KV<String, Long>> expand(PCollection<Event> events) {
      return events.apply(
          MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
              .via((Event e) -> KV.of(e.key(), e.value())));
    }
  }

  /** Larger total is greater, then smaller key: {@code Top.of} with it returns the best first. */
  static final class BestLast implements Comparator<KV<String, Long>>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(KV<String, Long> a, KV<String, Long> b) {
      int byTotal = Long.compare(a.getValue(), b.getValue());
      return byTotal != 0 ? byTotal : b.getKey().compareTo(a.getKey());
    }
  }

  /** Reports each window's ranking to the run's recorder. */
  static final class RecordRankings extends DoFn<List<KV<String, Long>>, Void> {
    private final String runId;
    private transient RunRecorder recorder;

    RecordRankings(String runId) {
      this.runId = runId;
    }

    @Setup
    public void setup() {
      recorder = RunRecorder.of(runId);
    }

    @ProcessElement
    public void process(@Element List<KV<String, Long>> ranking, BoundedWindow window) {
      List<Ranked> lines = new ArrayList<>(ranking.size());
      for (KV<String, Long> kv : ranking) {
        lines.add(new Ranked(kv.getKey(), kv.getValue()));
      }
      recorder.window(((IntervalWindow) window).end().getMillis(), lines);
    }
  }

  /** Counts events, reporting once per bundle. */
  static final class CountEvents extends DoFn<KV<String, Long>, Void> {
    private final String runId;
    private transient RunRecorder recorder;
    private transient long count;

    CountEvents(String runId) {
      this.runId = runId;
    }

    @Setup
    public void setup() {
      recorder = RunRecorder.of(runId);
    }

    @ProcessElement
    public void process() {
      count++;
    }

    @FinishBundle
    public void finishBundle() {
      recorder.counted(count);
      count = 0;
    }
  }
}
