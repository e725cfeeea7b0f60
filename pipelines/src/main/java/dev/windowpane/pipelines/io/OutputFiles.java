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
 *
 * <p>The file windows' allowed lateness must be at least the pipeline's allowed lateness, never
 * {@code Duration.ZERO} for results that late data refines: a refinement of window {@code [end -
 * size, end)} is emitted with timestamp {@code end - 1} while the watermark is at most {@code end -
 * 1 + allowedLateness}, and only a file window that allows that much lateness still writes it.
 */
final class OutputFiles extends PTransform<PCollection<String>, PDone> {
  static final String SUFFIX = ".jsonl";

  private final String directory;
  private final String name;
  private final Duration fileWindow;
  private final Duration fileOffset;
  private final Duration allowedLateness;
  private final boolean alwaysWindowed;

  private OutputFiles(
      String directory,
      String name,
      Duration fileWindow,
      Duration fileOffset,
      Duration allowedLateness,
      boolean alwaysWindowed) {
    this.directory = directory;
    this.name = name;
    this.fileWindow = fileWindow;
    this.fileOffset = fileOffset;
    this.allowedLateness = allowedLateness;
    this.alwaysWindowed = alwaysWindowed;
  }

  /**
   * One file per {@code fileWindow} of event time, starting at {@code fileOffset} plus a multiple of
   * it (and per late firing), bounded or not; lines up to {@code allowedLateness} behind the
   * watermark are still written.
   */
  static OutputFiles windowed(
      String directory, String name, Duration fileWindow, Duration fileOffset, Duration allowedLateness) {
    return new OutputFiles(directory, name, fileWindow, fileOffset, allowedLateness, true);
  }

  /**
   * One file when bounded; one per {@code fileWindow} of event time (and per late firing) when
   * unbounded, lines up to {@code allowedLateness} behind the watermark still written.
   */
  static OutputFiles windowedIfUnbounded(
      String directory, String name, Duration fileWindow, Duration allowedLateness) {
    return new OutputFiles(directory, name, fileWindow, Duration.ZERO, allowedLateness, false);
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
            Window.<String>into(FixedWindows.of(fileWindow).withOffset(fileOffset))
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
