package dev.windowpane.bench.spark;

import org.apache.spark.SparkConf;

/** The Spark configuration every Spark contender shares: local[p], loopback only, Kryo, no UI. */
final class SparkSettings {
  private SparkSettings() {}

  static SparkConf conf(String appName, int parallelism) {
    return new SparkConf()
        .setMaster("local[" + parallelism + "]")
        .setAppName(appName)
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1")
        .set("spark.ui.enabled", "false")
        .set("spark.default.parallelism", Integer.toString(parallelism))
        .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
  }
}
