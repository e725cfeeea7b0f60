package dev.windowpane.pipelines;

import dev.windowpane.pipelines.events.Order;
import dev.windowpane.pipelines.generator.EventKind;
import dev.windowpane.pipelines.io.RankingFormat;
import dev.windowpane.pipelines.io.RankingOptions;
import dev.windowpane.pipelines.io.ReadEvents;
import dev.windowpane.pipelines.io.SourceOptions;
import dev.windowpane.pipelines.io.WriteKafkaLines;
import dev.windowpane.pipelines.io.WriteRankings;
import dev.windowpane.transforms.time.Durations;
import dev.windowpane.transforms.windows.SlidingTopN;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Top sellers: for every sliding window ("the last hour, updated every minute") the N items sold
 * most, by total quantity. Orders, keyed by item with their quantity, go through {@code
 * SlidingTopN}: O(1) work per order, only the top N of each window is ever materialised.
 */
public final class TopSellers {
  public static final String NAME = "top-sellers";
  public static final String DESCRIPTION =
      "The items sold most (total quantity) in every sliding window: orders in, rankings out.";
  /** The table title and JSON field names of its rankings. */
  public static final RankingFormat FORMAT = RankingFormat.of("Top sellers", "item", "quantity");

  private TopSellers() {}

  /** Options of top-sellers: the shared source, window and sink options. */
  public interface Options extends RankingOptions {}

  /** Checks {@code options} once, before the pipeline is built; {@code given}: the options named. */
  public static void validate(Options options, Set<String> given) {
    SourceOptions.validate(options, given);
    RankingOptions.validate(options);
  }

  public static void buildPipeline(Pipeline pipeline, Options options) {
    Duration window = Durations.parse(options.getWindow());
    Duration slide = Durations.parse(options.getSlide());
    Duration offset = Durations.parse(options.getWindowOffset());
    Duration allowedLateness = Durations.parse(options.getAllowedLateness());
    pipeline
        .apply("ReadOrders", ReadEvents.of(EventKind.ORDERS, options))
        .apply(
            "QuantityPerItem",
            MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                .via((Order order) -> KV.of(order.item(), order.quantity())))
        .apply(
            "TopSellers",
            SlidingTopN.<String>of(options.getTop(), window, slide)
                .withOffset(offset)
                .withAllowedLateness(allowedLateness))
        .rankings()
        .apply(
            "WriteRankings",
            WriteRankings.of(FORMAT, options.getOutput(), window, slide, offset, allowedLateness)
                .toKafka(WriteKafkaLines.forResults(options))
                .toDashboard(options.getDashboardRunId()));
  }

  public static void main(String[] args) {
    Main.runAndExit(NAME, args);
  }
}
