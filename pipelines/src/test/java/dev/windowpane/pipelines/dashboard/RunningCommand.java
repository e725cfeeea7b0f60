package dev.windowpane.pipelines.dashboard;

import dev.windowpane.pipelines.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A command line run in-process on a thread of its own, as a user would run it, with its stdout and
 * stderr readable while it runs: for commands that serve the dashboard until they end or are stopped.
 */
final class RunningCommand implements AutoCloseable {
  private static final Pattern DASHBOARD_URL = Pattern.compile("Dashboard: (http://\\S+/) ");

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final Thread thread;
  private volatile Integer exitCode;

  private RunningCommand(String... args) {
    PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
    thread = new Thread(() -> exitCode = Main.run(args, outStream, errStream), "command-" + args[0]);
    thread.setDaemon(true);
  }

  static RunningCommand start(String... args) {
    RunningCommand command = new RunningCommand(args);
    command.thread.start();
    return command;
  }

  String out() {
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  String err() {
    synchronized (err) {
      return err.toString(StandardCharsets.UTF_8);
    }
  }

  /** The URL the command printed for its dashboard, waiting up to {@code seconds} for it. */
  URI dashboardUrl(long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      Matcher url = DASHBOARD_URL.matcher(out());
      if (url.find()) {
        return URI.create(url.group(1));
      }
      if (!thread.isAlive()) {
        break;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("No dashboard URL printed; out: " + out() + "\nerr: " + err());
  }

  /** Waits for the command to end by itself; returns its exit code. */
  int awaitExit(long seconds) throws InterruptedException {
    thread.join(TimeUnit.SECONDS.toMillis(seconds));
    if (thread.isAlive()) {
      throw new AssertionError("Still running after " + seconds + " s; out: " + out() + "\nerr: " + err());
    }
    return exitCode;
  }

  /** Stops the command as Ctrl-C would stop the dashboard command (its thread interrupted). */
  int stop(long seconds) throws InterruptedException {
    thread.interrupt();
    return awaitExit(seconds);
  }

  boolean running() {
    return thread.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    if (thread.isAlive()) {
      thread.interrupt();
      thread.join(TimeUnit.SECONDS.toMillis(30));
    }
  }
}
