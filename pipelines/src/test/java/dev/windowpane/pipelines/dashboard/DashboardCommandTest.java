package dev.windowpane.pipelines.dashboard;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windowpane.pipelines.Main;
import dev.windowpane.transforms.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code dashboard} command on an output directory, the {@code --ui} options of the pipelines,
 * and a pipeline that serves its own dashboard while it runs (checked over HTTP, no browser).
 */
class DashboardCommandTest {
  @TempDir Path dir;

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  static JsonNode snapshot(URI url) throws Exception {
    HttpResponse<String> response =
        HTTP.send(HttpRequest.newBuilder(url.resolve("/api/snapshot")).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode(), is(200));
    return Json.mapper().readTree(response.body());
  }

  /** The first snapshot that {@code until} accepts, polled for up to {@code seconds}. */
  static JsonNode awaitSnapshot(URI url, long seconds, Predicate<JsonNode> until) throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = snapshot(url);
      if (until.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("No such snapshot within " + seconds + " s; the last: " + last);
  }

  private static String ranking(String end, int rank, String item, long quantity) {
    return "{\"windowStart\":\"2025-01-01T00:00:00Z\",\"windowEnd\":\"2025-01-01T" + end + "Z\",\"rank\":" + rank
        + ",\"item\":\"" + item + "\",\"quantity\":" + quantity + "}";
  }

  @Test
  void itFollowsAnOutputDirectoryAsFilesAppearAndGrowUntilStopped() throws Exception {
    Path out = dir.resolve("out");
    try (RunningCommand dashboard = RunningCommand.start("dashboard", "--from=" + out, "--ui=0")) {
      URI url = dashboard.dashboardUrl(30);
      assertThat(dashboard.out(), containsString("Waiting for " + out + " to appear."));
      assertThat(snapshot(url).get("rankings").size(), is(0));

      Files.createDirectories(out.resolve(".temp-beam-1"));
      Files.write(out.resolve(".temp-beam-1/rankings-b.jsonl"), List.of(ranking("00:20:00", 1, "not-yet", 9)));
      Files.write(out.resolve("rankings-a.jsonl"), List.of(ranking("00:10:00", 1, "sku-a", 5), ranking("00:10:00", 2, "sku-b", 3)));
      JsonNode first = awaitSnapshot(url, 30, s -> s.get("rankings").size() == 1);
      assertThat(first.get("source").asText(), is("directory " + out));
      assertThat(first.get("rankings").get(0).get("windowEnd").asText(), is("2025-01-01T00:10:00Z"));
      assertThat(first.get("rankings").get(0).get("rows").size(), is(2));

      // A line written in two steps is taken once it is complete.
      Path grows = out.resolve("rankings-c.jsonl");
      String next = ranking("00:15:00", 1, "sku-b", 8);
      Files.writeString(grows, next.substring(0, 20));
      Thread.sleep(3 * DashboardCommand.DIRECTORY_POLL_MILLIS);
      Files.writeString(grows, next.substring(20) + "\n", StandardOpenOption.APPEND);
      JsonNode second =
          awaitSnapshot(url, 30, s -> s.get("rankings").get(0).get("windowEnd").asText().equals("2025-01-01T00:15:00Z"));
      assertThat(
          Json.write(second.get("rankings").get(0).get("rows")),
          is("[{\"rank\":1,\"name\":\"sku-b\",\"total\":8,\"change\":\"up\",\"places\":1}]"));
      assertThat(second.get("health").get("windowsEmitted").asLong(), is(2L));
      assertThat(second.get("health").get("unknownLines").asLong(), is(0L));
      assertThat(second.get("finished").isNull(), is(true));

      Files.createFile(out.resolve("_SUCCESS"));
      JsonNode finished = awaitSnapshot(url, 30, s -> !s.get("finished").isNull());
      assertThat(finished.get("finished").asText(), is("the run that wrote the directory finished (_SUCCESS)"));

      assertThat(dashboard.stop(30), is(0));
      assertThrows(ConnectException.class, () -> new Socket(url.getHost(), url.getPort()).close());
    }
  }

  @Test
  void aPipelineWithUiServesItsRankingsAndCountersWhileItRunsAndStopsServingAtItsEnd() throws Exception {
    Path out = dir.resolve("out");
    try (RunningCommand run =
        RunningCommand.start(
            "top-sellers", "--ui=0", "--eventsPerSecond=40", "--maxEvents=240", "--latePercent=5", "--lateBy=20s",
            "--window=30s", "--slide=10s", "--top=3", "--output=" + out)) {
      URI url = run.dashboardUrl(60);
      assertThat(url.getHost(), is("127.0.0.1"));
      JsonNode live = awaitSnapshot(url, 60, s -> s.get("rankings").size() == 1 && s.get("health").get("countedBy").asText().equals("pipeline"));
      assertThat(live.get("source").asText(), is("top-sellers, running in this JVM"));
      assertThat(live.get("rankings").get(0).get("rows").size(), is(3));
      assertThat(run.awaitExit(120), is(0));
      assertThrows(ConnectException.class, () -> new Socket(url.getHost(), url.getPort()).close());
      assertThat(run.out(), containsString("late events dropped"));
    }
  }

  @Test
  void sessionStatsWithUiServesItsFinishedSessions() throws Exception {
    try (RunningCommand run =
        RunningCommand.start(
            "session-stats", "--ui=0", "--eventsPerSecond=100", "--maxEvents=1500", "--latePercent=5", "--lateBy=10s",
            "--gap=30s", "--output=" + dir.resolve("out"))) {
      URI url = run.dashboardUrl(60);
      JsonNode live = awaitSnapshot(url, 60, s -> !s.get("sessions").isNull());
      JsonNode sessions = live.get("sessions");
      assertThat(sessions.get("pipeline").asText(), is("session-stats"));
      assertThat(sessions.get("recent").size() > 0, is(true));
      assertThat(sessions.get("count").asLong() >= sessions.get("recent").size(), is(true));
      assertThat(live.get("rankings").size(), is(0));
      assertThat(run.err(), run.awaitExit(120), is(0));
    }
  }

  private static String usageError(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exitCode =
        Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(err.toString(StandardCharsets.UTF_8), exitCode, is(2));
    assertThat(out.toString(StandardCharsets.UTF_8), is(""));
    return err.toString(StandardCharsets.UTF_8).strip();
  }

  @Test
  void helpListsTheDashboardCommandsOptionsInGroups() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exitCode =
        Main.run(new String[] {"dashboard", "--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

    assertThat(exitCode, is(0));
    List<String> lines =
        out.toString(StandardCharsets.UTF_8).lines()
            .filter(line -> line.startsWith("  --") || (!line.startsWith(" ") && line.endsWith(":")))
            .collect(java.util.stream.Collectors.toList());
    assertThat(
        lines,
        equalTo(
            List.of(
                "Results:", "  --bootstrapServers", "  --from", "  --kafkaProperty", "  --topic",
                "Dashboard:", "  --ui", "  --uiHost",
                "Logging:", "  --logLevel")));
  }

  @Test
  void badDashboardOptionsAreOneSentence() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file.jsonl"), "{}\n");
    assertThat(
        usageError("dashboard"),
        is("Option --from is required: where the results are: an output directory of top-sellers, trending-hashtags"
            + " or session-stats (followed as files appear), or kafka (with --bootstrapServers and --topic)."));
    assertThat(
        usageError("dashboard", "--from=" + file),
        is("Option --from=" + file + " is a file; give the output directory of a run (or kafka)."));
    assertThat(
        usageError("dashboard", "--from=kafka", "--topic=rankings"),
        is("Option --from=kafka needs --bootstrapServers=HOST:PORT, the Kafka cluster."));
    assertThat(
        usageError("dashboard", "--from=kafka", "--bootstrapServers=127.0.0.1:9092"),
        is("Option --from=kafka needs one --topic=NAME, the topic of the results."));
    assertThat(
        usageError("dashboard", "--from=" + dir, "--topic=rankings"),
        is("Option --topic does nothing without --from=kafka."));
    assertThat(
        usageError("dashboard", "--from=" + dir, "--ui=false"),
        is("Option --ui=false leaves the dashboard command nothing to do; give a port."));
    assertThat(
        usageError("dashboard", "--from=" + dir, "--ui=70000"),
        is("Option --ui must be a port from 0 to 65535 or false, got '70000'."));
    assertThat(
        usageError("dashboard", "--from=" + dir, "--uiHost=no-such-host.invalid"),
        is("Option --uiHost=no-such-host.invalid is not an address this machine knows."));
  }

  @Test
  void badUiOptionsOfAPipelineAreOneSentence() {
    assertThat(usageError("top-sellers", "--uiHost=0.0.0.0"), is("Option --uiHost does nothing without --ui=PORT."));
    assertThat(usageError("top-sellers", "--ui=on"), is("Option --ui must be a port from 0 to 65535 or false, got 'on'."));
    assertThat(usageError("session-stats", "--ui=-1"), is("Option --ui must be a port from 0 to 65535 or false, got '-1'."));
    assertThat(
        usageError("top-sellers", "--ui=8080", "--runner=FlinkRunner", "--flinkMaster=10.0.0.1:8081"),
        is("Option --ui serves what this JVM computes, and on the Flink cluster at --flinkMaster=10.0.0.1:8081 the"
            + " pipeline runs elsewhere: write the results with --output=DIR (or --sink=kafka) and run"
            + " 'dashboard --from=DIR' (or --from=kafka)."));
    assertThat(
        usageError("top-sellers", "--dashboardRunId=x"),
        equalTo("Unknown option --dashboardRunId for top-sellers; 'top-sellers --help' lists the options."));
  }
}
