package dev.windowpane.bench.beam;

import dev.windowpane.bench.RunSpec;
import java.util.List;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;

/** The contenders built from windowpane's transforms: per-key sums over sliding windows, top N per window. */
final class WindowpaneContenders {
  private WindowpaneContenders() {}

  static PCollection<List<KV<String, Long>>> expand(
      String name, PCollection<KV<String, Long>> keyed, RunSpec spec, Duration size, Duration period) {
    throw new IllegalArgumentException("Unknown Beam contender " + name + ".");
  }
}
