package dev.windowpane.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import dev.windowpane.pipelines.events.Order;
import dev.windowpane.pipelines.generator.EventKind;
import dev.windowpane.pipelines.io.ReadEvents;
import dev.windowpane.pipelines.io.WriteRankings;
import dev.windowpane.transforms.windows.SlidingTopN;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Task failure: top-sellers' steps on embedded Flink (parallelism 2, checkpoints every 2 s, in the
 * RocksDB state backend, which the bundled jar carries; ProcessRestartTest covers the filesystem
 * one) with a failure injected once, after 3000 of the 9000 generated orders; Flink restarts the job from its
 * last checkpoint, and the rankings written equal, window for window, a failure-free DirectRunner
 * run of the command line on the same events.
 */
class TaskFailureOnFlinkTest {
  private static final long EVENTS = 9_000;
  private static final AtomicLong SEEN = new AtomicLong();
  private static final AtomicBoolean FAILED = new AtomicBoolean();

  @TempDir Path dir;

  @Test
  void aTaskThatFailsOnceIsRestartedFromTheLastCheckpointAndTheResultsAreExact() {
    String[] generator = {"--seed=5", "--maxEvents=" + EVENTS, "--eventsPerSecond=300"};
    TopSellers.Options options =
        PipelineOptionsFactory.fromArgs(generator).as(TopSellers.Options.class);
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    flink.setRunner(FlinkRunner.class);
    flink.setFlinkMaster("[local]");
    flink.setParallelism(2);
    flink.setStreaming(true);
    flink.setCheckpointingInterval(2_000L);
    flink.setStateBackend("rocksdb");
    flink.setStateBackendStoragePath(dir.resolve("checkpoints").toUri().toString());
    flink.setNumberOfExecutionRetries(2);
    flink.setExecutionRetryDelay(1_000L);
    // A finished source task stops checkpoints: keep Impulse running while the orders last.
    flink.setShutdownSourcesAfterIdleMs(20_000L);
    Path output = dir.resolve("flink");
    Duration window = Duration.standardMinutes(10);
    Duration slide = Duration.standardMinutes(1);
    Pipeline pipeline = Pipeline.create(options);
    pipeline
        .apply("ReadOrders", ReadEvents.of(EventKind.ORDERS, options))
        .apply("FailOnce", ParDo.of(new FailOnceFn(EVENTS / 3)))
        .apply(
            "QuantityPerItem",
            MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                .via((Order order) -> KV.of(order.item(), order.quantity())))
        .apply("TopSellers", SlidingTopN.<String>of(5, window, slide))
        .rankings()
        .apply("WriteRankings", WriteRankings.of(TopSellers.FORMAT, output.toString(), window, slide, Duration.ZERO, Duration.ZERO));

    PipelineResult.State state = pipeline.run().waitUntilFinish();

    assertThat(state, is(PipelineResult.State.DONE));
    assertThat("the failure was injected", FAILED.get(), is(true));
    Path reference = dir.resolve("direct");
    Cli direct =
        Cli.run(
            "top-sellers", generator[0], generator[1], generator[2], "--window=10m", "--slide=1m",
            "--top=5", "--output=" + reference);
    assertThat(direct.err, direct.exitCode, is(0));
    assertThat(Cli.jsonLines(output), equalTo(Cli.jsonLines(reference)));
  }

  /** Passes orders through, and throws once, at the {@code failAt}-th order of the run. */
  private static final class FailOnceFn extends DoFn<Order, Order> {
    private final long failAt;

    FailOnceFn(long failAt) {
      this.failAt = failAt;
    }

    @ProcessElement
    public void processElement(@Element Order order, OutputReceiver<Order> out) {
      if (SEEN.incrementAndGet() >= failAt && FAILED.compareAndSet(false, true)) {
        throw new IllegalStateException("Injected failure after " + failAt + " orders.");
      }
      out.output(order);
    }
  }
}
