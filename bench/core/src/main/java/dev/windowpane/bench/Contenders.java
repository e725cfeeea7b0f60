package dev.windowpane.bench;

import dev.windowpane.bench.beam.BeamContender;
import java.util.List;

/** The contenders by name, and where each one's implementation lives. */
public final class Contenders {
  public static final String PASSTHROUGH = "passthrough";
  public static final String BEAM_BUILTIN = "beam-builtin";
  public static final String FLINK_NATIVE = "flink-native";
  public static final String FLINK_SQL = "flink-sql";
  public static final String SPARK_DSTREAM = "spark-dstream";
  public static final String WINDOWPANE_TOPN = "windowpane-topn";
  public static final String WINDOWPANE_SLIDING_COMBINE = "windowpane-sliding-combine";
  public static final String WINDOWPANE_INVERTIBLE = "windowpane-invertible";

  /** The windowpane contenders, in report order. */
  public static final List<String> WINDOWPANE =
      List.of(WINDOWPANE_TOPN, WINDOWPANE_SLIDING_COMBINE, WINDOWPANE_INVERTIBLE);

  private Contenders() {}

  /** The implementation of {@code name} on {@code runner}; native ones are loaded by class name. */
  public static Contender create(String name, String runner) throws ReflectiveOperationException {
    switch (name) {
      case FLINK_NATIVE:
        return load("dev.windowpane.bench.flink.FlinkNativeContender");
      case FLINK_SQL:
        return load("dev.windowpane.bench.flink.FlinkSqlContender");
      case SPARK_DSTREAM:
        return load("dev.windowpane.bench.spark.SparkDStreamContender");
      default:
        return new BeamContender(name);
    }
  }

  private static Contender load(String className) throws ReflectiveOperationException {
    return (Contender) Class.forName(className).getDeclaredConstructor().newInstance();
  }

  /** Whether {@code name} computes windows (everything but the pass-through). */
  public static boolean isWindowed(String name) {
    return !PASSTHROUGH.equals(name);
  }
}
