package dev.windowpane.bench.spark;

import dev.windowpane.bench.Contender;
import dev.windowpane.bench.Ranked;
import dev.windowpane.bench.RunRecorder;
import dev.windowpane.bench.RunSpec;
import dev.windowpane.bench.Workload;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.StreamingContext;
import org.apache.spark.streaming.Time;
import org.apache.spark.streaming.api.java.JavaPairDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.dstream.InputDStream;
import scala.Option;
import scala.Tuple2;
import scala.reflect.ClassTag$;

/**
 * Contender {@code spark-dstream}: Spark Streaming's {@code reduceByKeyAndWindow} with the inverse
 * function (each slide adds the batch that enters the window and subtracts the one that leaves),
 * then the top N of each windowed RDD, on local[2].
 *
 * <p>DStreams window by processing time: a window is the last W/P batches. To compute the same
 * event-time windows as the other contenders, the input feeds exactly one slide of event time per
 * batch: batch {@code k} holds the events whose event time lies in slide {@code first + k}
 * (each event goes to its slide, whatever its disorder), so the window of W/P batches ending at
 * batch {@code k} is the event-time window ending at {@code (first + k + 1) * P}. After the last
 * slide the input feeds W/P - 1 empty batches so the last windows (those that hold only the
 * end of the data) are produced too, as the event-time contenders produce them when their
 * watermark reaches the end. The batch interval ({@code spark.batchIntervalMillis}, default 50 ms)
 * is shorter than a batch's processing, so batches queue up and the run measures processing
 * capacity, not the interval.
 */
public final class SparkDStreamContender implements Contender {
  /** Slide of each batch time, per run (driver side). */
  static final Map<String, Map<Long, Long>> SLIDE_OF_BATCH = new ConcurrentHashMap<>();

  @Override
  public Job start(RunSpec spec) {
    int p = spec.parallelism();
    long batchMillis = Long.parseLong(spec.setting("spark.batchIntervalMillis", "50"));
    JavaStreamingContext ssc =
        new JavaStreamingContext(SparkSettings.conf("spark-dstream", p), Durations.milliseconds(batchMillis));
    ssc.checkpoint(spec.setting("checkpointDir", "/tmp/windowpane-bench-dstream"));
    SLIDE_OF_BATCH.put(spec.runId(), new ConcurrentHashMap<>());

    SlideInput input = new SlideInput(ssc.ssc(), spec);
    JavaPairDStream<String, Long> keyed =
        new org.apache.spark.streaming.api.java.JavaDStream<>(
                input, ClassTag$.MODULE$.apply(Tuple2.class))
            .mapToPair(event -> event);
    JavaPairDStream<String, Long> windowed =
        keyed.reduceByKeyAndWindow(
            Long::sum,
            (total, leaving) -> total - leaving,
            Durations.milliseconds(batchMillis * spec.ratio()),
            Durations.milliseconds(batchMillis),
            p,
            kv -> kv._2() != 0);
    // Spark's advice for windowed state: checkpoint every 5 to 10 slides (its default is 10 s).
    windowed.checkpoint(Durations.milliseconds(batchMillis * 10));
    String runId = spec.runId();
    long period = spec.periodMillis();
    int n = spec.topN();
    windowed.foreachRDD(
        (rdd, time) -> {
          Long slide = SLIDE_OF_BATCH.get(runId).get(time.milliseconds());
          List<Tuple2<String, Long>> top = rdd.takeOrdered(n, new RankOrder());
          if (slide == null || top.isEmpty()) {
            return;
          }
          List<Ranked> ranking = new ArrayList<>(top.size());
          for (Tuple2<String, Long> kv : top) {
            ranking.add(new Ranked(kv._1(), kv._2()));
          }
          RunRecorder.of(runId).window((slide + 1) * period, ranking);
        });
    ssc.start();
    return new Job() {
      @Override
      public boolean isFinished() {
        return false;
      }

      @Override
      public void cancel() {
        ssc.stop(true, false);
        SLIDE_OF_BATCH.remove(runId);
      }
    };
  }

  /** Total descending, key ascending, as a Spark comparator (best first for takeOrdered). */
  static final class RankOrder implements Comparator<Tuple2<String, Long>>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(Tuple2<String, Long> a, Tuple2<String, Long> b) {
      int byTotal = Long.compare(b._2(), a._2());
      return byTotal != 0 ? byTotal : a._1().compareTo(b._1());
    }
  }

  /**
   * The input: batch {@code k} is an RDD of the (key, value) events of event-time slide
   * {@code first + k}, generated when the batch runs (partition {@code i} of {@code p} generates
   * the indices that are {@code i} modulo {@code p}); batches past the data are empty.
   */
  static final class SlideInput extends InputDStream<Tuple2<String, Long>> {
    private static final long serialVersionUID = 1L;

    private final String runId;
    private final Workload workload;
    private final long period;
    private final int parallelism;
    private final long firstSlide;
    private final long lastBatchSlide;
    private long nextSlide;

    SlideInput(StreamingContext ssc, RunSpec spec) {
      super(ssc, ClassTag$.MODULE$.apply(Tuple2.class));
      this.runId = spec.runId();
      this.workload = spec.workload();
      this.period = spec.periodMillis();
      this.parallelism = spec.parallelism();
      long[] range = dev.windowpane.bench.Reference.windowEndRange(workload, spec.ratio(), period);
      this.firstSlide = range[0] / period - 1;
      this.lastBatchSlide = range[1] / period - 1;
      this.nextSlide = firstSlide;
    }

    @Override
    public void start() {}

    @Override
    public void stop() {}

    @Override
    public Option<RDD<Tuple2<String, Long>>> compute(Time validTime) {
      long slide = nextSlide++;
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(context().sparkContext());
      if (slide > lastBatchSlide) {
        return Option.apply(jsc.<Tuple2<String, Long>>emptyRDD().rdd());
      }
      SLIDE_OF_BATCH.get(runId).put(validTime.milliseconds(), slide);
      List<Integer> parts = new ArrayList<>();
      for (int i = 0; i < parallelism; i++) {
        parts.add(i);
      }
      Workload w = workload;
      String id = runId;
      long p = period;
      int n = parallelism;
      long from = w.firstIndexAtOrAfter(slide * p - w.maxDisorderMillis() + 1);
      long to = w.firstIndexAtOrAfter((slide + 1) * p);
      RDD<Tuple2<String, Long>> rdd =
          jsc.parallelize(parts, n)
              .flatMap(
                  part -> {
                    List<Tuple2<String, Long>> events = new ArrayList<>();
                    long first = from + Math.floorMod(part - from, (long) n);
                    for (long i = first; i < to; i += n) {
                      if (Math.floorDiv(w.timestampMillis(i), p) == slide) {
                        events.add(new Tuple2<>(w.key(i), w.value(i)));
                      }
                    }
                    RunRecorder.of(id).emitted(events.size());
                    return events.iterator();
                  })
              .rdd();
      return Option.apply(rdd);
    }
  }
}
