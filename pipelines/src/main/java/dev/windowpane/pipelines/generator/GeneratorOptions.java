package dev.windowpane.pipelines.generator;

import dev.windowpane.pipelines.cli.CommandLine;
import dev.windowpane.pipelines.cli.Range;
import dev.windowpane.pipelines.cli.UsageException;
import java.util.Set;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.joda.time.Duration;

/** Options of the built-in generator, shared by the pipelines and {@code generate}. */
@Description("The built-in generator")
public interface GeneratorOptions extends PipelineOptions {
  @Description("The seed; the same seed gives the same events with the same event times.")
  @Default.Long(1)
  Long getSeed();

  void setSeed(Long value);

  @Description("Stop after this many events (the stream is then bounded).")
  @Range(min = 1)
  Long getMaxEvents();

  void setMaxEvents(Long value);

  @Description("Event time between consecutive events: event i is at origin + i * spacing.")
  @Default.String("300ms")
  String getEventSpacing();

  void setEventSpacing(String value);

  @Description("The event time of the first event, an ISO-8601 instant.")
  @Default.String("2025-01-01T00:00:00Z")
  String getEventTimeOrigin();

  void setEventTimeOrigin(String value);

  @Description(
      "The percentage of events that arrive late: their event time is lateBy earlier than their"
          + " place in the sequence, while the watermark follows the sequence. 0: no late events.")
  @Default.Integer(0)
  @Range(min = 0, max = 100)
  Integer getLatePercent();

  void setLatePercent(Integer value);

  @Description("How far behind its place in the sequence a late event's event time is (with latePercent above 0).")
  @Default.String("1m")
  String getLateBy();

  void setLateBy(String value);

  /** Checks the values {@link CommandLine} cannot check alone; {@code given}: the options named. */
  static void validate(GeneratorOptions options, Set<String> given) {
    Duration spacing = CommandLine.duration("eventSpacing", options.getEventSpacing());
    if (spacing.getMillis() < 1) {
      throw new UsageException(
          "Option --eventSpacing must be at least 1ms, got " + options.getEventSpacing() + ".");
    }
    CommandLine.instant("eventTimeOrigin", options.getEventTimeOrigin());
    Duration lateBy = CommandLine.duration("lateBy", options.getLateBy());
    if (options.getLatePercent() > 0 && lateBy.getMillis() == 0) {
      throw new UsageException(
          "Option --lateBy must be longer than 0 when --latePercent is above 0, got "
              + options.getLateBy() + ".");
    }
    if (given.contains("lateBy") && !given.contains("latePercent")) {
      throw new UsageException("Option --lateBy does nothing without --latePercent.");
    }
  }
}
