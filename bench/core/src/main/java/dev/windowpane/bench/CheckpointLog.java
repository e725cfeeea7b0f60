package dev.windowpane.bench;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checkpoints a contender JVM's embedded Flink completed, read from the line Flink's {@code
 * CheckpointCoordinator} logs for each one ("Completed checkpoint N for job J (B bytes,
 * checkpointDuration=D ms, ...)"): the same source for every contender on Flink, Beam's or not.
 * {@link #install} tees standard error (where slf4j-simple writes) through a line matcher; the
 * orchestrator turns on that logger at INFO. Counts since the last {@link #reset}.
 */
public final class CheckpointLog {
  static final Pattern COMPLETED =
      Pattern.compile("Completed checkpoint \\d+ for job \\S+ \\((\\d+) bytes, checkpointDuration=(\\d+) ms");

  private static final AtomicLong COUNT = new AtomicLong();
  private static final AtomicLong TOTAL_MILLIS = new AtomicLong();
  private static final AtomicLong TOTAL_BYTES = new AtomicLong();
  private static final AtomicLong MAX_BYTES = new AtomicLong();

  private CheckpointLog() {}

  /** Routes standard error through the matcher (its text still reaches the log unchanged). */
  public static void install() {
    PrintStream original = System.err;
    System.setErr(new PrintStream(new LineTee(original), true, StandardCharsets.UTF_8));
  }

  public static void reset() {
    COUNT.set(0);
    TOTAL_MILLIS.set(0);
    TOTAL_BYTES.set(0);
    MAX_BYTES.set(0);
  }

  /** Checkpoints completed since the last reset. */
  public static long count() {
    return COUNT.get();
  }

  /** Their mean duration (trigger to completion) in ms, or -1 when none completed. */
  public static double meanMillis() {
    long n = COUNT.get();
    return n == 0 ? -1 : (double) TOTAL_MILLIS.get() / n;
  }

  /** Their mean size in bytes (Flink's full size of the checkpoint), or -1 when none completed. */
  public static double meanBytes() {
    long n = COUNT.get();
    return n == 0 ? -1 : (double) TOTAL_BYTES.get() / n;
  }

  /** The size in bytes of the largest of them (Flink's full size), or -1 when none completed. */
  public static long maxBytes() {
    return COUNT.get() == 0 ? -1 : MAX_BYTES.get();
  }

  static void line(CharSequence line) {
    Matcher m = COMPLETED.matcher(line);
    if (m.find()) {
      long bytes = Long.parseLong(m.group(1));
      TOTAL_BYTES.addAndGet(bytes);
      MAX_BYTES.accumulateAndGet(bytes, Math::max);
      TOTAL_MILLIS.addAndGet(Long.parseLong(m.group(2)));
      COUNT.incrementAndGet();
    }
  }

  /** Writes through to {@code out} and hands every complete line to {@link #line}. */
  private static final class LineTee extends OutputStream {
    private final OutputStream out;
    private final StringBuilder current = new StringBuilder();

    LineTee(OutputStream out) {
      this.out = out;
    }

    @Override
    public synchronized void write(int b) throws java.io.IOException {
      out.write(b);
      take(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
      out.write(b, off, len);
      for (int i = off; i < off + len; i++) {
        take(b[i]);
      }
    }

    @Override
    public synchronized void flush() throws java.io.IOException {
      out.flush();
    }

    private void take(int b) {
      if (b == '\n') {
        line(current);
        current.setLength(0);
      } else if (current.length() < 4096) {
        current.append((char) (b & 0xff));
      }
    }
  }
}
