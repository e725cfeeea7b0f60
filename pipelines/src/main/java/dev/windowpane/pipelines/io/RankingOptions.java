package dev.windowpane.pipelines.io;

import dev.windowpane.pipelines.cli.CommandLine;
import dev.windowpane.pipelines.cli.Range;
import dev.windowpane.pipelines.cli.UsageException;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.StreamingOptions;
import org.joda.time.Duration;

/** Options of the sliding top-N pipelines: the windows, N, lateness and where rankings go. */
@Description("Windows and rankings")
public interface RankingOptions extends SourceOptions {
  /** The largest N: a ranking is one element, and its table or lines are written at once. */
  int MAX_TOP = 100_000;

  @Description("Window interval: how far back each ranking looks (500ms, 90s, 1m, 1h, 1d, 1h30m ...).")
  @Default.String("1h")
  String getWindow();

  void setWindow(String value);

  @Description("Slide interval: how often a ranking is computed; at most the window.")
  @Default.String("1m")
  String getSlide();

  void setSlide(String value);

  @Description(
      "Where window starts fall: at this offset plus a multiple of the slide, shorter than the"
          + " slide (Flink's offset, Spark's startTime); e.g. 1d windows every 1d starting at"
          + " midnight in UTC+2: --windowOffset=22h.")
  @Default.String("0s")
  String getWindowOffset();

  void setWindowOffset(String value);

  @Description("N: how many names each ranking lists, 1 to 100000.")
  @Default.Integer(10)
  @Range(min = 1, max = MAX_TOP)
  Integer getTop();

  void setTop(Integer value);

  @Description(
      "How late (in event time, behind the watermark) an event may arrive and still update its"
          + " windows; later events are counted as dropped.")
  @Default.String("0s")
  String getAllowedLateness();

  void setAllowedLateness(String value);

  @Description(
      "Write rankings as JSON lines under this directory (rankings-*.jsonl);"
          + " without it, print a table per window.")
  String getOutput();

  void setOutput(String value);

  /** Checks the windows and the lateness: what {@link CommandLine} cannot check alone. */
  static void validate(RankingOptions options) {
    if (KafkaOptions.writesKafka(options) && options.getOutput() != null) {
      throw new UsageException("Options --output and --sink=kafka are two sinks; give one.");
    }
    String runner = options.getRunner() == null ? "" : options.getRunner().getSimpleName();
    if (runner.equals("PortableRunner")
        && (options.getInput() == null || options.as(StreamingOptions.class).isStreaming())) {
      throw new UsageException(
          "On the PortableRunner the sliding rankings read files only (--input, batch mode): on a stream"
              + " they need their input watermark in a DoFn, which Beam 2.62's portable SDK harness does not"
              + " provide; run streams with --runner=FlinkRunner.");
    }
    Duration window = CommandLine.positiveDuration("window", options.getWindow());
    Duration slide = CommandLine.positiveDuration("slide", options.getSlide());
    if (slide.isLongerThan(window)) {
      throw new UsageException(
          "Option --slide=" + options.getSlide() + " must not be longer than --window=" + options.getWindow() + ".");
    }
    Duration offset = CommandLine.duration("windowOffset", options.getWindowOffset());
    if (!offset.isShorterThan(slide)) {
      throw new UsageException(
          "Option --windowOffset=" + options.getWindowOffset() + " must be shorter than --slide="
              + options.getSlide() + ": window starts repeat every slide.");
    }
    CommandLine.duration("allowedLateness", options.getAllowedLateness());
  }
}
