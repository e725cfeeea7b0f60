package dev.windowpane.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Ctrl-C on a running demo: the command line, in its own JVM, reading the unbounded generator, gets
 * SIGINT once it has printed a ranking; it says "Stopped.", prints the run's metrics and exits
 * with 130, as an interrupted program does. Only standard output is read: the runner's own log
 * lines on standard error may come in between.
 */
class InterruptTest {
  @Test
  void anInterruptedRunSaysStoppedAndPrintsItsMetrics() throws Exception {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                List.of(
                    java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "top-sellers", "--window=1m", "--slide=1m", "--top=3",
                    "--eventsPerSecond=1000"))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    // A run that hangs is killed, so the test fails instead of waiting forever.
    Thread watchdog =
        new Thread(
            () -> {
              try {
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                  process.destroyForcibly();
                }
              } catch (InterruptedException e) {
                process.destroyForcibly();
              }
            });
    watchdog.setDaemon(true);
    watchdog.start();
    StringBuilder output = new StringBuilder();
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      boolean interrupted = false;
      int tables = 0;
      while ((line = lines.readLine()) != null) {
        output.append(line).append('\n');
        if (line.startsWith("Top sellers, window")) {
          tables++;
        }
        if (!interrupted && tables == 5) {
          new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
          interrupted = true;
        }
      }
      assertThat(output.toString(), process.waitFor(60, TimeUnit.SECONDS), is(true));
    } finally {
      process.destroyForcibly();
    }

    assertThat(output.toString(), process.exitValue(), is(130));
    assertThat(output.toString(), containsString("\nStopped.\nMetrics:\n"));
    Matcher windows = Pattern.compile("windows emitted +(\\d+)").matcher(output);
    assertThat(output.toString(), windows.find(), is(true));
    assertThat(Long.parseLong(windows.group(1)), greaterThan(0L));
    // At 1000 events per second the watermark passes several window ends at once: still in order.
    List<String> starts =
        output.toString().lines()
            .filter(line -> line.startsWith("Top sellers, window "))
            .collect(Collectors.toList());
    List<String> inOrder = new ArrayList<>(starts);
    Collections.sort(inOrder);
    assertThat(starts, equalTo(inOrder));
  }
}
