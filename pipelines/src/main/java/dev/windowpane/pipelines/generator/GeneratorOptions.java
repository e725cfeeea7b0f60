package dev.windowpane.pipelines.generator;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Options of the built-in generator shared by the pipelines and {@code generate}. */
public interface GeneratorOptions extends PipelineOptions {
  @Description("Generator: the seed; the same seed gives the same events with the same event times.")
  @Default.Long(1)
  Long getSeed();

  void setSeed(Long value);

  @Description("Generator: stop after this many events (the stream is then bounded).")
  Long getMaxEvents();

  void setMaxEvents(Long value);

  @Description("Generator: event time between consecutive events: event i is at origin + i * spacing.")
  @Default.String("300ms")
  String getEventSpacing();

  void setEventSpacing(String value);

  @Description("Generator: the event time of the first event, an ISO-8601 instant.")
  @Default.String("2025-01-01T00:00:00Z")
  String getEventTimeOrigin();

  void setEventTimeOrigin(String value);

  @Description(
      "Generator: the percentage (a whole number, 0 to 100) of events that arrive late: their event"
          + " time is lateBy earlier than their place in the sequence, while the watermark follows"
          + " the sequence. 0: no late events.")
  @Default.Integer(0)
  Integer getLatePercent();

  void setLatePercent(Integer value);

  @Description("Generator: how far behind its place in the sequence a late event's event time is (with latePercent above 0).")
  @Default.String("1m")
  String getLateBy();

  void setLateBy(String value);
}
