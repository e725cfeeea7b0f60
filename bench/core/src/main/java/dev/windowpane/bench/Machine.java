package dev.windowpane.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;

/** One line describing the machine a run was measured on: CPU, cores, memory, Java, OS. */
final class Machine {
  private Machine() {}

  /** The 1-minute load average (Linux), or "unknown". */
  static String loadAverage() {
    try {
      return Files.readString(Paths.get("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  static String describe() {
    String cpu = "unknown CPU";
    long memoryKb = 0;
    try {
      List<String> cpuinfo = Files.readAllLines(Paths.get("/proc/cpuinfo"));
      cpu = cpuinfo.stream().filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
      memoryKb = Files.readAllLines(Paths.get("/proc/meminfo")).stream()
          .filter(l -> l.startsWith("MemTotal")).findFirst()
          .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(0L);
    } catch (IOException | RuntimeException e) {
      // Not Linux: keep what is known.
    }
    return String.format(Locale.ROOT, "%s, %d cores, %.0f GiB, Java %s (%s), %s %s",
        cpu, Runtime.getRuntime().availableProcessors(), memoryKb / 1024.0 / 1024.0,
        System.getProperty("java.version"), System.getProperty("java.vm.name"),
        System.getProperty("os.name"), System.getProperty("os.arch"));
  }
}
