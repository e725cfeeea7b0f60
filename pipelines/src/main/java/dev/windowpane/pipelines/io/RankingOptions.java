package dev.windowpane.pipelines.io;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Options of the sliding top-N pipelines: the windows, N, lateness and where rankings go. */
public interface RankingOptions extends SourceOptions {
  @Description("Window interval: how far back each ranking looks (500ms, 90s, 1m, 1h, 1d, 1h30m ...).")
  @Default.String("1h")
  String getWindow();

  void setWindow(String value);

  @Description("Slide interval: how often a ranking is computed; at most the window.")
  @Default.String("1m")
  String getSlide();

  void setSlide(String value);

  @Description("N: how many names each ranking lists.")
  @Default.Integer(10)
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
}
