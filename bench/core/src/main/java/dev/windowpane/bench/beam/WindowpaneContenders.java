package dev.windowpane.bench.beam;

import dev.windowpane.bench.RunSpec;
import java.util.List;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/** The contenders built from windowpane's transforms: per-key sums over sliding windows, top N per window. */
public final class WindowpaneContenders {
  private WindowpaneContenders() {}

  /** Whether the transform {@code name} is built from is in this build of windowpane-transforms. */
  public static boolean available(String name) {
    String transform;
    switch (name) {
      case "windowpane-topn":
        transform = "SlidingTopN";
        break;
      case "windowpane-sliding-combine":
        transform = "SlidingCombine";
        break;
      case "windowpane-invertible":
        transform = "InvertibleSlidingReduce";
        break;
      default:
        return false;
    }
    try {
      Class.forName("dev.windowpane.transforms.windows." + transform);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  static PCollection<List<KV<String, Long>>> expand(
      String name, PCollection<KV<String, Long>> keyed, RunSpec spec, Duration size, Duration period) {
    throw new IllegalArgumentException("Unknown Beam contender " + name + ".");
  }
}
