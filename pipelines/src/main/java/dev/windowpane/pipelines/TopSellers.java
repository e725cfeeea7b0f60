package dev.windowpane.pipelines;

import dev.windowpane.pipelines.events.Order;
import dev.windowpane.pipelines.generator.EventKind;
import dev.windowpane.pipelines.io.RankingFormat;
import dev.windowpane.pipelines.io.RankingOptions;
import dev.windowpane.pipelines.io.RankingSettings;
import dev.windowpane.pipelines.io.ReadEvents;
import dev.windowpane.pipelines.io.SourceSettings;
import dev.windowpane.pipelines.io.WriteRankings;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Top sellers: for every sliding window ("the last hour, updated every minute") the N items sold
 * most, by total quantity. Orders, keyed by item with their quantity, go through {@code
 * SlidingTopN}: O(1) work per order, only the top N of each window is ever materialised.
 */
public final class TopSellers {
  public static final String NAME = "top-sellers";
  public static final String DESCRIPTION =
      "The items sold most (total quantity) in every sliding window: orders in, rankings out.";
  static final RankingFormat FORMAT = RankingFormat.of("Top sellers", "item", "quantity");

  private TopSellers() {}

  /** Options of top-sellers: the shared source, window and sink options. */
  public interface Options extends RankingOptions {}

  public static void buildPipeline(Pipeline pipeline, Options options) {
    SourceSettings source = SourceSettings.from(options);
    RankingSettings ranking = RankingSettings.from(options);
    pipeline
        .apply("ReadOrders", ReadEvents.of(EventKind.ORDERS, source))
        .apply(
            "QuantityPerItem",
            MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                .via((Order order) -> KV.of(order.item(), order.quantity())))
        .apply("TopSellers", ranking.<String>slidingTopN())
        .rankings()
        .apply("WriteRankings", WriteRankings.of(FORMAT, ranking));
  }

  public static void main(String[] args) {
    Main.runAndExit(NAME, args);
  }
}
