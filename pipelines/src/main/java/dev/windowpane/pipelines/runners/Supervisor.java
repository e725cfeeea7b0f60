package dev.windowpane.pipelines.runners;

import dev.windowpane.transforms.time.Durations;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code --supervise}, what {@code spark-submit --supervise} is to a Spark driver: the pipeline runs
 * in a child JVM (this JVM's Java, jar or classpath and JVM options, plus {@code
 * -XX:+ExitOnOutOfMemoryError}) with the same arguments but the supervisor's own; when the child
 * dies (an exit code other than 0 and 2, or a signal), it is started again after a delay that
 * doubles with each restart within {@code --restartWindow} (up to 1 minute), and it resumes from
 * the newest checkpoint in {@code --checkpointDir}. More than {@code --maxRestarts} restarts
 * within the window and the supervisor gives up. A clean finish (0) or a bad command line (2) ends
 * the supervisor with the child's exit code. SIGINT or SIGTERM to the supervisor is passed on to
 * the child (SIGTERM), whose own hook stops the pipeline; the supervisor then waits for it and ends
 * without a restart.
 */
public final class Supervisor {
  /** The longest wait between two restarts. */
  static final long MAX_DELAY_MILLIS = 60_000;

  private final List<String> command;
  private final SupervisorOptions options;
  private final CheckpointDirectory checkpoints;
  private final PrintStream out;
  private final Deque<Long> restarts = new ArrayDeque<>();
  private volatile boolean stopping;
  private volatile @Nullable Process child;

  private Supervisor(List<String> command, SupervisorOptions options, PrintStream out) {
    this.command = command;
    this.options = options;
    this.checkpoints = CheckpointDirectory.at(options.as(CheckpointOptions.class).getCheckpointDirectory());
    this.out = out;
  }

  /**
   * Supervises {@code commandName} run with {@code args} (the command line after the name); the
   * supervisor's own options are taken out of the child's. Returns the exit code.
   */
  public static int supervise(String commandName, List<String> args, SupervisorOptions options, PrintStream out)
      throws IOException, InterruptedException {
    return new Supervisor(childCommand(commandName, args), options, out).run();
  }

  /** The child JVM's command line: this JVM's java, options and classpath, then Main and the arguments. */
  static List<String> childCommand(String commandName, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    for (String jvmOption : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      // A debugger's agent would bind its port twice.
      if (!jvmOption.startsWith("-agentlib:jdwp") && !jvmOption.equals("-XX:+ExitOnOutOfMemoryError")) {
        command.add(jvmOption);
      }
    }
    command.add("-XX:+ExitOnOutOfMemoryError");
    String classpath = System.getProperty("java.class.path");
    if (classpath.endsWith(".jar") && !classpath.contains(java.io.File.pathSeparator)) {
      // Started with -jar: so is the child, with the manifest's Add-Opens for Flink on Java 17.
      command.add("-jar");
      command.add(classpath);
    } else {
      command.add("-cp");
      command.add(classpath);
      command.add("dev.windowpane.pipelines.Main");
    }
    command.add(commandName);
    for (String arg : args) {
      if (!isSupervisorOption(arg)) {
        command.add(arg);
      }
    }
    return command;
  }

  private static boolean isSupervisorOption(String arg) {
    for (String name : SupervisorOptions.NAMES) {
      if (arg.equals("--" + name) || arg.startsWith("--" + name + "=")) {
        return true;
      }
    }
    return false;
  }

  private int run() throws IOException, InterruptedException {
    Thread stopChild = new Thread(this::stopChild, "stop-supervised-pipeline");
    Runtime.getRuntime().addShutdownHook(stopChild);
    long windowMillis = Durations.parse(options.getRestartWindow()).getMillis();
    long firstDelay = Durations.parse(options.getRestartDelay()).getMillis();
    while (true) {
      Process started = new ProcessBuilder(command).inheritIO().start();
      child = started;
      out.println("Supervising: the pipeline runs in JVM pid " + started.pid() + ".");
      out.flush();
      int code = started.waitFor();
      if (stopping) {
        return code;
      }
      if (code == 0 || code == 2) {
        Runtime.getRuntime().removeShutdownHook(stopChild);
        return code;
      }
      long now = System.currentTimeMillis();
      while (!restarts.isEmpty() && restarts.peekFirst() <= now - windowMillis) {
        restarts.removeFirst();
      }
      String cause = cause(code);
      if (restarts.size() >= options.getMaxRestarts()) {
        out.println(
            "The pipeline's JVM (pid " + started.pid() + ") " + cause + ", its " + (restarts.size() + 1)
                + "th death within " + options.getRestartWindow() + "; giving up (--maxRestarts="
                + options.getMaxRestarts() + ").");
        Runtime.getRuntime().removeShutdownHook(stopChild);
        return 1;
      }
      restarts.addLast(now);
      long delay = Math.min(MAX_DELAY_MILLIS, firstDelay << Math.min(20, restarts.size() - 1));
      Optional<Path> checkpoint = checkpoints.newestCheckpoint();
      out.println(
          "The pipeline's JVM (pid " + started.pid() + ") " + cause + "; restart " + restarts.size() + " of at most "
              + options.getMaxRestarts() + " within " + options.getRestartWindow() + " in " + delay + " ms, "
              + checkpoint.map(c -> "resuming from " + c).orElse("from the start (no checkpoint yet)") + ".");
      out.flush();
      Thread.sleep(delay);
      if (stopping) {
        return code;
      }
    }
  }

  /** What an exit code says about how a JVM ended. */
  static String cause(int code) {
    if (code > 128 && code < 160) {
      int signal = code - 128;
      String name = signal == 9 ? " (SIGKILL)" : signal == 15 ? " (SIGTERM)" : signal == 2 ? " (SIGINT)" : signal == 6 ? " (SIGABRT)" : "";
      return "was ended by signal " + signal + name;
    }
    if (code == 3) {
      return "ran out of memory (exit code 3)";
    }
    return "failed with exit code " + code;
  }

  /** The shutdown hook: SIGTERM to the child, whose hook stops the pipeline; then wait for it. */
  private void stopChild() {
    stopping = true;
    Process running = child;
    if (running == null || !running.isAlive()) {
      return;
    }
    running.destroy();
    try {
      if (!running.waitFor(60, TimeUnit.SECONDS)) {
        running.destroyForcibly();
      }
    } catch (InterruptedException e) {
      running.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
