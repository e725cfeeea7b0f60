package dev.windowpane.bench.flink;

import dev.windowpane.bench.Contender;
import dev.windowpane.bench.Ranked;
import dev.windowpane.bench.Reference;
import dev.windowpane.bench.RunRecorder;
import dev.windowpane.bench.RunSpec;
import dev.windowpane.bench.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.DiscardingSink;
import org.apache.flink.streaming.api.functions.source.RichParallelSourceFunction;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.SlidingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.api.windowing.time.Time;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Contender {@code flink-native}: the task written directly against Flink's DataStream API, the way
 * a Flink user would: event time with a bounded-out-of-orderness watermark, per-key sums in
 * {@code SlidingEventTimeWindows} with an incremental {@code AggregateFunction}, then the top N of
 * each window from a tumbling window of one slide over the (window end, key, total) results.
 */
public final class FlinkNativeContender implements Contender {

  @Override
  public Job start(RunSpec spec) throws Exception {
    StreamExecutionEnvironment env = FlinkEnvironments.local(spec);
    Workload workload = spec.workload();
    DataStream<Tuple2<String, Long>> keyed =
        env.addSource(new WorkloadSourceFunction(workload, spec.runId()), "ReadWorkload")
            .returns(Types.TUPLE(Types.STRING, Types.LONG, Types.LONG))
            .assignTimestampsAndWatermarks(
                WatermarkStrategy.<Tuple3<String, Long, Long>>forBoundedOutOfOrderness(
                        Duration.ofMillis(workload.maxDisorderMillis()))
                    .withTimestampAssigner((event, previous) -> event.f2))
            .map(event -> Tuple2.of(event.f0, event.f1))
            .returns(Types.TUPLE(Types.STRING, Types.LONG))
            .name("Parse");

    keyed
        .keyBy(kv -> kv.f0)
        .window(
            SlidingEventTimeWindows.of(
                Time.milliseconds(spec.sizeMillis()), Time.milliseconds(spec.periodMillis())))
        .aggregate(new SumValues(), new WithWindowEnd())
        .name("SumPerKeyAndWindow")
        .keyBy(result -> result.f0)
        .window(TumblingEventTimeWindows.of(Time.milliseconds(spec.periodMillis())))
        .aggregate(new TopN(spec.topN()), new RecordRanking(spec.runId()))
        .name("TopPerWindow")
        .addSink(new DiscardingSink<>())
        .name("Discard");

    return new LocalFlinkJob(env.executeAsync("flink-native"));
  }

  /**
   * Parallel source: subtask i of n emits the events whose index is i modulo n, in order, each no
   * earlier than its due time when the run is paced.
   */
  static final class WorkloadSourceFunction
      extends RichParallelSourceFunction<Tuple3<String, Long, Long>> {
    private final Workload workload;
    private final String runId;
    private volatile boolean running = true;

    WorkloadSourceFunction(Workload workload, String runId) {
      this.workload = workload;
      this.runId = runId;
    }

    @Override
    public void run(SourceContext<Tuple3<String, Long, Long>> ctx) {
      RunRecorder recorder = RunRecorder.of(runId);
      int subtask = getRuntimeContext().getIndexOfThisSubtask();
      int subtasks = getRuntimeContext().getNumberOfParallelSubtasks();
      int unreported = 0;
      for (long i = subtask; i < workload.events() && running; i += subtasks) {
        long due = recorder.dueNanos(i);
        if (due != 0) {
          long wait = due - System.nanoTime();
          // Sleeps of under a millisecond oversleep: the schedule is kept over a millisecond.
          if (wait > 1_000_000) {
            try {
              Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            }
          }
          if (unreported == 0) {
            recorder.emittedAt(i, System.nanoTime());
          }
        }
        Tuple3<String, Long, Long> event =
            Tuple3.of(workload.key(i), workload.value(i), workload.timestampMillis(i));
        synchronized (ctx.getCheckpointLock()) {
          ctx.collect(event);
        }
        if (++unreported == 128) {
          recorder.emitted(unreported);
          unreported = 0;
        }
      }
      recorder.emitted(unreported);
    }

    @Override
    public void cancel() {
      running = false;
    }
  }

  /** Incremental per-key sum. */
  static final class SumValues implements AggregateFunction<Tuple2<String, Long>, Long, Long> {
    @Override
    public Long createAccumulator() {
      return 0L;
    }

    @Override
    public Long add(Tuple2<String, Long> kv, Long sum) {
      return sum + kv.f1;
    }

    @Override
    public Long getResult(Long sum) {
      return sum;
    }

    @Override
    public Long merge(Long a, Long b) {
      return a + b;
    }
  }

  /** (window end, key, total) for each key's window total. */
  static final class WithWindowEnd
      extends ProcessWindowFunction<Long, Tuple3<Long, String, Long>, String, TimeWindow> {
    @Override
    public void process(
        String key, Context ctx, Iterable<Long> sums, Collector<Tuple3<Long, String, Long>> out) {
      out.collect(Tuple3.of(ctx.window().getEnd(), key, sums.iterator().next()));
    }
  }

  /** Bounded top N of one window's (window end, key, total) results; rank order total desc, key asc. */
  static final class TopN
      implements AggregateFunction<Tuple3<Long, String, Long>, TopN.Best, List<Ranked>> {
    private final int n;

    TopN(int n) {
      this.n = n;
    }

    /** The best totals so far, best first (a Flink POJO, so no Kryo). */
    public static final class Best {
      public String[] keys;
      public long[] totals;
      public int size;

      public Best() {}

      Best(int n) {
        keys = new String[n];
        totals = new long[n];
      }

      void offer(String key, long total) {
        int pos = size;
        while (pos > 0 && better(key, total, keys[pos - 1], totals[pos - 1])) {
          pos--;
        }
        if (pos >= keys.length) {
          return;
        }
        int last = Math.min(size, keys.length - 1);
        System.arraycopy(keys, pos, keys, pos + 1, last - pos);
        System.arraycopy(totals, pos, totals, pos + 1, last - pos);
        keys[pos] = key;
        totals[pos] = total;
        size = Math.min(size + 1, keys.length);
      }

      private static boolean better(String k1, long t1, String k2, long t2) {
        return t1 > t2 || (t1 == t2 && k1.compareTo(k2) < 0);
      }
    }

    @Override
    public Best createAccumulator() {
      return new Best(n);
    }

    @Override
    public Best add(Tuple3<Long, String, Long> result, Best best) {
      best.offer(result.f1, result.f2);
      return best;
    }

    @Override
    public List<Ranked> getResult(Best best) {
      List<Ranked> ranking = new ArrayList<>(best.size);
      for (int i = 0; i < best.size; i++) {
        ranking.add(new Ranked(best.keys[i], best.totals[i]));
      }
      ranking.sort(Reference.ORDER);
      return ranking;
    }

    @Override
    public Best merge(Best a, Best b) {
      for (int i = 0; i < b.size; i++) {
        a.offer(b.keys[i], b.totals[i]);
      }
      return a;
    }
  }

  /** Reports the ranking of the window ending at the key (its window end) to the recorder. */
  static final class RecordRanking
      extends ProcessWindowFunction<List<Ranked>, Long, Long, TimeWindow> {
    private final String runId;

    RecordRanking(String runId) {
      this.runId = runId;
    }

    @Override
    public void process(Long windowEnd, Context ctx, Iterable<List<Ranked>> rankings, Collector<Long> out) {
      RunRecorder.of(runId).window(windowEnd, rankings.iterator().next());
      out.collect(windowEnd);
    }
  }
}
