package dev.windowpane.pipelines.io;

/**
 * Where the console sinks print, on standard output: once {@link #close} is called (a run stopped
 * with Ctrl-C) nothing more is printed, so the tables a worker was still producing cannot come
 * after the run's "Stopped." and metrics. One lock orders the two.
 */
public final class ConsoleOutput {
  private static final Object LOCK = new Object();
  private static boolean closed;

  private ConsoleOutput() {}

  /** Prints {@code text} and flushes, unless the console is closed. */
  public static void print(String text) {
    synchronized (LOCK) {
      if (!closed) {
        System.out.print(text);
        System.out.flush();
      }
    }
  }

  /** Prints nothing more for the sinks; what was printed stays. */
  public static void close() {
    synchronized (LOCK) {
      closed = true;
    }
  }
}
