package dev.windowpane.bench.flink;

import dev.windowpane.bench.Contender;
import dev.windowpane.bench.Ranked;
import dev.windowpane.bench.Reference;
import dev.windowpane.bench.RunRecorder;
import dev.windowpane.bench.RunSpec;
import dev.windowpane.bench.Workload;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.DiscardingSink;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.Collector;

/**
 * Contender {@code flink-sql}: the task as a Flink SQL user writes it today, on Flink 1.19's Table
 * API in the contender JVM. The workload is a table with an event-time attribute and the same
 * bounded-disorder watermark as the other contenders; a {@code HOP} window table function with
 * {@code SUM} grouped by window and key (the planner slices: each row is added once, to a slice of
 * gcd(size, slide), and slices are merged when a window fires), then Window Top-N ({@code
 * ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY total DESC, k ASC) <= N}),
 * which gives the same ties as the exact answer. The ranked rows of a window are gathered by its
 * end and reported once the watermark passes the window's time attribute, after the rows.
 */
public final class FlinkSqlContender implements Contender {

  @Override
  public Job start(RunSpec spec) throws Exception {
    StreamExecutionEnvironment env = FlinkEnvironments.local(spec);
    StreamTableEnvironment tables = StreamTableEnvironment.create(env);
    tables.getConfig().setLocalTimeZone(ZoneOffset.UTC);
    Workload workload = spec.workload();
    DataStream<Tuple3<String, Long, Long>> events =
        env.addSource(new FlinkNativeContender.WorkloadSourceFunction(workload, spec.runId()), "ReadWorkload")
            .returns(Types.TUPLE(Types.STRING, Types.LONG, Types.LONG));
    long disorder = workload.maxDisorderMillis();
    tables.createTemporaryView(
        "events",
        events,
        Schema.newBuilder()
            .column("f0", DataTypes.STRING())
            .column("f1", DataTypes.BIGINT())
            .column("f2", DataTypes.BIGINT())
            .columnByExpression("ts", "TO_TIMESTAMP_LTZ(f2, 3)")
            .watermark("ts", String.format(Locale.ROOT, "ts - INTERVAL '%d.%03d' SECOND", disorder / 1000, disorder % 1000))
            .build());
    String query =
        String.format(
            Locale.ROOT,
            "SELECT window_end, window_time, k, total FROM ("
                + " SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end"
                + " ORDER BY total DESC, k ASC) AS rn FROM ("
                + " SELECT window_start, window_end, window_time, f0 AS k, SUM(f1) AS total"
                + " FROM TABLE(HOP(TABLE events, DESCRIPTOR(ts), INTERVAL '%d' SECOND(9), INTERVAL '%d' SECOND(9)))"
                + " GROUP BY window_start, window_end, window_time, f0))"
                + " WHERE rn <= %d",
            spec.periodMillis() / 1000,
            spec.sizeMillis() / 1000,
            spec.topN());
    Table ranked = tables.sqlQuery(query);
    tables
        .toDataStream(ranked)
        // window_end is a TIMESTAMP(3) in the session's time zone, UTC here.
        .keyBy(row -> ((LocalDateTime) row.getFieldAs("window_end")).toInstant(ZoneOffset.UTC).toEpochMilli(), Types.LONG)
        .process(new RecordRankings(spec.runId()))
        .name("RecordRankings")
        .addSink(new DiscardingSink<>())
        .name("Discard");
    return new LocalFlinkJob(env.executeAsync("flink-sql"));
  }

  /**
   * Gathers a window's ranked rows (keyed by window end) and reports its ranking when the
   * watermark passes the rows' time (the window's time attribute, its end minus 1 ms): Window
   * Top-N emits a window's rows before it forwards that watermark.
   */
  static final class RecordRankings extends KeyedProcessFunction<Long, Row, Long> {
    private final String runId;
    private transient ListState<Tuple2<String, Long>> rows;

    RecordRankings(String runId) {
      this.runId = runId;
    }

    @Override
    public void open(Configuration parameters) {
      rows = getRuntimeContext().getListState(
          new ListStateDescriptor<>("rows", Types.TUPLE(Types.STRING, Types.LONG)));
    }

    @Override
    public void processElement(Row row, Context ctx, Collector<Long> out) throws Exception {
      rows.add(Tuple2.of(row.getFieldAs("k"), row.getFieldAs("total")));
      ctx.timerService().registerEventTimeTimer(ctx.timestamp());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Long> out) throws Exception {
      List<Ranked> ranking = new ArrayList<>();
      for (Tuple2<String, Long> r : rows.get()) {
        ranking.add(new Ranked(r.f0, r.f1));
      }
      rows.clear();
      ranking.sort(Reference.ORDER);
      RunRecorder.of(runId).window(ctx.getCurrentKey(), ranking);
      out.collect(ctx.getCurrentKey());
    }
  }
}
