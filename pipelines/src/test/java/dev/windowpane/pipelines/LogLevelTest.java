package dev.windowpane.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --logLevel} in a JVM of its own, as a user starts the command: the default keeps the
 * runner's informational logging out of standard error, {@code --logLevel=debug} lets it through.
 */
class LogLevelTest {
  @TempDir Path dir;

  @Test
  void logLevelTurnsTheLoggingUp() throws Exception {
    Path input = Cli.write(dir.resolve("orders.jsonl"), "{\"timestamp\":\"2025-01-01T00:00:00Z\",\"item\":\"a\",\"quantity\":1}");

    String quiet = stderr("top-sellers", "--input=" + input, "--output=" + dir.resolve("quiet"));
    String loud = stderr("top-sellers", "--input=" + input, "--output=" + dir.resolve("loud"), "--logLevel=debug");

    assertThat(quiet, not(containsString(" DEBUG ")));
    assertThat(quiet, not(containsString(" INFO ")));
    assertThat(loud, containsString(" DEBUG "));
  }

  private String stderr(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp",
        System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    Path err = dir.resolve("stderr-" + System.nanoTime());
    Process process = new ProcessBuilder(command).redirectError(err.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS), is(true));
    String text = Files.readString(err, StandardCharsets.UTF_8);
    assertThat(text, process.exitValue(), is(0));
    return text;
  }
}
