package dev.windowpane.bench.beam;

import dev.windowpane.bench.RunSpec;
import dev.windowpane.transforms.windows.InvertibleSlidingReduce;
import dev.windowpane.transforms.windows.SlidingCombine;
import dev.windowpane.transforms.windows.SlidingTopN;
import dev.windowpane.transforms.windows.TopPerWindow;
import java.util.List;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/**
 * The contenders built from windowpane's transforms, each used as documented with its defaults:
 * {@code windowpane-topn} is {@link SlidingTopN}; {@code windowpane-sliding-combine} is {@link
 * SlidingCombine} with {@code Sum.ofLongs()} then {@link TopPerWindow}; {@code
 * windowpane-invertible} is {@link InvertibleSlidingReduce#sumLongs} then {@link TopPerWindow}.
 */
public final class WindowpaneContenders {
  private WindowpaneContenders() {}

  /** Whether {@code name} is a windowpane contender (all are in this build). */
  public static boolean available(String name) {
    return name.equals("windowpane-topn")
        || name.equals("windowpane-sliding-combine")
        || name.equals("windowpane-invertible");
  }

  static PCollection<List<KV<String, Long>>> expand(
      String name, PCollection<KV<String, Long>> keyed, RunSpec spec, Duration size, Duration period) {
    switch (name) {
      case "windowpane-topn":
        {
          SlidingTopN<String> topN = SlidingTopN.<String>of(spec.topN(), size, period);
          String shards = spec.setting("shards", "");
          if (!shards.isEmpty()) {
            topN = topN.withShards(Integer.parseInt(shards));
          }
          if (spec.workload().allowedLatenessMillis() > 0) {
            topN = topN.withAllowedLateness(Duration.millis(spec.workload().allowedLatenessMillis()));
          }
          return keyed.apply("SlidingTopN", topN).rankings();
        }
      case "windowpane-sliding-combine":
        return keyed
            .apply(
                "SlidingCombine",
                SlidingCombine.<String, Long, long[], Long>perKey(Sum.ofLongs(), size, period))
            .apply("TopPerWindow", TopPerWindow.<String>of(spec.topN()));
      case "windowpane-invertible":
        return keyed
            .apply("InvertibleSlidingReduce", InvertibleSlidingReduce.<String>sumLongs(size, period))
            .apply("TopPerWindow", TopPerWindow.<String>of(spec.topN()));
      default:
        throw new IllegalArgumentException("Unknown Beam contender " + name + ".");
    }
  }
}
