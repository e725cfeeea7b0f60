package dev.windowpane.pipelines.cli;

import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * How much the command and its runner log on standard error (slf4j-simple's level, set before any
 * logger exists: see {@link #applyBeforeLogging(String[])}).
 */
@Description("Logging")
public interface LoggingOptions extends PipelineOptions {
  List<String> LEVELS = List.of("error", "warn", "info", "debug", "trace");

  @Description(
      "How much the runners log on standard error: error, warn (warnings that matter; notices that"
          + " need no action are kept out), info, debug or trace.")
  @Default.String("warn")
  String getLogLevel();

  void setLogLevel(String value);

  /** Checks the level. */
  static void validate(LoggingOptions options) {
    if (!LEVELS.contains(options.getLogLevel())) {
      throw new UsageException(
          "Option --logLevel must be one of " + String.join(", ", LEVELS) + ", got '" + options.getLogLevel() + "'.");
    }
  }

  /**
   * Sets slf4j-simple's default level from a {@code --logLevel} among {@code args}, when the JVM
   * starts: loggers read it once, when the first of them is made.
   */
  static void applyBeforeLogging(String[] args) {
    for (String arg : args) {
      if (arg.startsWith("--logLevel=") && LEVELS.contains(arg.substring("--logLevel=".length()))) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", arg.substring("--logLevel=".length()));
      }
    }
  }
}
