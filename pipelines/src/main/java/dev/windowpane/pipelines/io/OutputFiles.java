package dev.windowpane.pipelines.io;

import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.joda.time.Duration;

/**
 * Writes lines as {@code .jsonl} files named {@code <name>-...} under a directory: one file for a
 * bounded collection; for an unbounded one, one file per fixed window of event time per firing
 * (windowed writes, one shard), so results become readable while the stream runs.
 */
final class OutputFiles extends PTransform<PCollection<String>, PDone> {
  static final String SUFFIX = ".jsonl";

  private final String directory;
  private final String name;
  private final Duration fileWindow;
  private final Duration allowedLateness;
  private final boolean alwaysWindowed;

  private OutputFiles(
      String directory, String name, Duration fileWindow, Duration allowedLateness, boolean alwaysWindowed) {
    this.directory = directory;
    this.name = name;
    this.fileWindow = fileWindow;
    this.allowedLateness = allowedLateness;
    this.alwaysWindowed = alwaysWindowed;
  }

  /** One file per {@code fileWindow} of event time (and per late firing), bounded or not. */
  static OutputFiles windowed(String directory, String name, Duration fileWindow, Duration allowedLateness) {
    return new OutputFiles(directory, name, fileWindow, allowedLateness, true);
  }

  /** One file when bounded; one per {@code fileWindow} of event time when unbounded. */
  static OutputFiles windowedIfUnbounded(String directory, String name, Duration fileWindow) {
    return new OutputFiles(directory, name, fileWindow, Duration.ZERO, false);
  }

  @Override
  public PDone expand(PCollection<String> lines) {
    String prefix = directory.endsWith("/") ? directory + name : directory + "/" + name;
    if (!alwaysWindowed && lines.isBounded() == PCollection.IsBounded.BOUNDED) {
      return lines.apply("WriteFile", TextIO.write().to(prefix).withSuffix(SUFFIX).withNumShards(1));
    }
    return lines
        .apply(
            "FileWindows",
            Window.<String>into(FixedWindows.of(fileWindow))
                .triggering(
                    AfterWatermark.pastEndOfWindow().withLateFirings(AfterPane.elementCountAtLeast(1)))
                .withAllowedLateness(allowedLateness)
                .discardingFiredPanes())
        .apply(
            "WriteFiles",
            TextIO.write()
                .to(prefix + "-")
                .withSuffix(SUFFIX)
                .withNumShards(1)
                .withWindowedWrites());
  }
}
