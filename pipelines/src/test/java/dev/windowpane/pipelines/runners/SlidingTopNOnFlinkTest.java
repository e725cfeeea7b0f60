package dev.windowpane.pipelines.runners;

import dev.windowpane.transforms.testing.SlidingReference;
import dev.windowpane.transforms.windows.SlidingTopN;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** SlidingTopN on the embedded Flink runner in streaming mode, parallelism 2, against the definition. */
class SlidingTopNOnFlinkTest {

  @Test
  void equalsTheDefinitionOnFlinkInStreamingMode() {
    Random random = new Random(7);
    Instant origin = Instant.parse("2025-11-25T10:00:00Z");
    List<TimestampedValue<KV<String, Long>>> events = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      String key = "sku-" + (int) Math.floor(Math.pow(random.nextDouble(), 3) * 200);
      long offset = random.nextInt(60 * 60 * 1000);
      events.add(TimestampedValue.of(KV.of(key, 1L + random.nextInt(5)), origin.plus(offset)));
    }

    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setRunner(FlinkRunner.class);
    options.setFlinkMaster("[local]");
    options.setStreaming(true);
    options.setParallelism(2);
    Pipeline p = Pipeline.create(options);
    PCollection<String> actual =
        p.apply(Create.timestamped(events).withCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())))
            .apply(SlidingTopN.<String>of(5, Duration.standardMinutes(10), Duration.standardMinutes(1)))
            .rankings()
            .apply(ParDo.of(new SlidingReference.FormatRankingWithWindow()));
    PAssert.that(actual)
        .containsInAnyOrder(SlidingReference.topN(events, 10 * 60_000L, 60_000L, 5));
    p.run().waitUntilFinish();
  }
}
