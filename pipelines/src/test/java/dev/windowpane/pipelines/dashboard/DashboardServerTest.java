package dev.windowpane.pipelines.dashboard;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windowpane.pipelines.cli.CommandFailure;
import dev.windowpane.transforms.json.Json;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dashboard server's endpoints: the page, the JSON snapshot and the event stream. */
class DashboardServerTest {
  private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
  private final DashboardState state = new DashboardState("test lines", Clock.fixed(NOW, ZoneOffset.UTC));
  private final DashboardServer server = DashboardServer.start(state, DashboardOptions.LOOPBACK, 0);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(server.url().resolve(path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void thePageIsServedWithAPolicyThatForbidsInlineScriptAndOtherOrigins() throws Exception {
    HttpResponse<String> page = get("/");

    assertThat(page.statusCode(), is(200));
    assertThat(page.headers().firstValue("Content-Type").orElse(""), is("text/html; charset=utf-8"));
    assertThat(
        page.headers().firstValue("Content-Security-Policy").orElse(""),
        is("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self';"
            + " object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'"));
    assertThat(page.headers().firstValue("X-Content-Type-Options").orElse(""), is("nosniff"));
    assertThat(page.body(), containsString("<script src=\"/app.js\" defer></script>"));
    // The only script element is the one that loads /app.js; no handler attribute, no style attribute.
    assertThat(page.body().split("<script", -1).length, is(2));
    assertThat(java.util.regex.Pattern.compile("\\son[a-z]+\\s*=").matcher(page.body()).find(), is(false));
    assertThat(page.body(), not(containsString("style=")));
    assertThat(page.body(), not(containsString("http://")));
    assertThat(page.body(), not(containsString("https://")));

    HttpResponse<String> script = get("/app.js");
    assertThat(script.statusCode(), is(200));
    assertThat(script.headers().firstValue("Content-Type").orElse(""), is("text/javascript; charset=utf-8"));
    assertThat(script.body(), not(containsString("innerHTML")));
    assertThat(script.body(), not(containsString("insertAdjacentHTML")));
    assertThat(script.body(), not(containsString("eval(")));
    assertThat(get("/style.css").headers().firstValue("Content-Type").orElse(""), is("text/css; charset=utf-8"));
  }

  @Test
  void theSnapshotIsTheStatesJson() throws Exception {
    state.accept(DashboardStateTest.ranking("00:00", "00:10", 1, "<img src=x onerror=alert(1)>", 5));
    state.accept(DashboardStateTest.ranking("00:00", "00:10", 2, "\\\"</script>", 3));

    HttpResponse<String> snapshot = get("/api/snapshot");

    assertThat(snapshot.statusCode(), is(200));
    assertThat(snapshot.headers().firstValue("Content-Type").orElse(""), is("application/json; charset=utf-8"));
    assertThat(snapshot.headers().firstValue("Cache-Control").orElse(""), is("no-store"));
    assertThat(snapshot.body(), is(state.snapshotJson() + "\n"));
    JsonNode rows = Json.mapper().readTree(snapshot.body()).get("rankings").get(0).get("rows");
    assertThat(rows.get(0).get("name").asText(), is("<img src=x onerror=alert(1)>"));
    assertThat(rows.get(1).get("name").asText(), is("\"</script>"));
  }

  @Test
  void otherPathsAndMethodsAreRefused() throws Exception {
    assertThat(get("/nothing-here").statusCode(), is(404));
    assertThat(get("/dashboard/app.js").statusCode(), is(404));
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(server.url().resolve("/api/snapshot"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode(), is(405));
    assertThat(post.headers().firstValue("Allow").orElse(""), is("GET, HEAD"));
  }

  @Test
  void theEventStreamSendsTheStateAtOnceAndAgainAfterEveryChange() throws Exception {
    HttpResponse<InputStream> stream =
        http.send(HttpRequest.newBuilder(server.url().resolve("/api/events")).build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.statusCode(), is(200));
    assertThat(stream.headers().firstValue("Content-Type").orElse(""), is("text/event-stream; charset=utf-8"));
    try (BufferedReader events = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      assertTimeoutPreemptively(
          Duration.ofSeconds(30),
          () -> {
            assertThat(events.readLine(), is("retry: 2000"));
            assertThat(events.readLine(), is(""));
            assertThat(nextSnapshot(events).get("rankings").size(), is(0));

            state.accept(DashboardStateTest.ranking("00:00", "00:10", 1, "sku-a", 5));
            JsonNode changed = nextSnapshot(events);
            assertThat(changed.get("rankings").get(0).get("windowEnd").asText(), is("2025-01-01T00:10:00Z"));
            assertThat(Json.write(changed), is(state.snapshotJson()));
          });
    }
  }

  private static JsonNode nextSnapshot(BufferedReader events) throws Exception {
    assertThat(events.readLine(), is("event: snapshot"));
    String data = events.readLine();
    assertThat(data, data.startsWith("data: "), is(true));
    assertThat(events.readLine(), is(""));
    return Json.mapper().readTree(data.substring("data: ".length()));
  }

  @Test
  void aClientThatReadsNothingNeverHoldsUpTheLinesAndANewClientGetsTheNewestState() throws Exception {
    try (Socket stalled = new Socket(server.address().getAddress(), server.address().getPort())) {
      stalled.setReceiveBufferSize(1024);
      stalled.getOutputStream().write("GET /api/events HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      stalled.getOutputStream().flush();
      // Thousands of changes, each a snapshot of ten ranks in up to sixty windows (kilobytes each):
      // far more than the stalled client's socket buffers hold.
      assertTimeoutPreemptively(
          Duration.ofSeconds(60),
          () -> {
            for (int window = 0; window < 3000; window++) {
              List<String> lines = new ArrayList<>();
              for (int rank = 1; rank <= 10; rank++) {
                lines.add(line(window, rank));
              }
              state.acceptAll(lines);
            }
          });
      JsonNode newest = Json.mapper().readTree(get("/api/snapshot").body()).get("rankings").get(0);
      assertThat(newest.get("windowEnd").asText(), is(Instant.parse("2025-01-01T00:00:00Z").plusSeconds(60L * 3000).toString()));
      assertThat(server.openEventStreams(), is(1));
    }
  }

  private static String line(int window, int rank) {
    Instant start = Instant.parse("2025-01-01T00:00:00Z").plusSeconds(60L * window);
    return "{\"windowStart\":\"" + start + "\",\"windowEnd\":\"" + start.plusSeconds(60) + "\",\"rank\":" + rank
        + ",\"item\":\"sku-" + (window + rank) % 50 + "\",\"quantity\":" + (1000 - rank) + "}";
  }

  @Test
  void moreEventStreamsThanTheLimitAreRefused() throws Exception {
    List<HttpResponse<InputStream>> open = new ArrayList<>();
    try {
      for (int i = 0; i < DashboardServer.MAX_EVENT_STREAMS; i++) {
        open.add(http.send(HttpRequest.newBuilder(server.url().resolve("/api/events")).build(), HttpResponse.BodyHandlers.ofInputStream()));
        assertThat(open.get(i).statusCode(), is(200));
      }
      HttpResponse<String> refused = get("/api/events");
      assertThat(refused.statusCode(), is(503));
      assertThat(refused.body(), is("Too many live views of this dashboard; try again later.\n"));
      assertThat(get("/api/snapshot").statusCode(), is(200));
    } finally {
      for (HttpResponse<InputStream> stream : open) {
        stream.body().close();
      }
    }
  }

  @Test
  void itListensOnTheLoopbackInterfaceAndSaysSoAndItsPortIsFreeOnceClosed() throws Exception {
    assertThat(server.loopbackOnly(), is(true));
    int port = server.address().getPort();
    assertThat(server.url(), equalTo(URI.create("http://127.0.0.1:" + port + "/")));
    assertThat(
        server.announcement(),
        is("Dashboard: http://127.0.0.1:" + port + "/ (listening on 127.0.0.1:" + port
            + ", this machine only; --uiHost=0.0.0.0 serves other machines too)"));

    server.close();
    assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
  }

  @Test
  void aPortInUseIsOneSentence() {
    CommandFailure failure =
        assertThrows(
            CommandFailure.class,
            () -> DashboardServer.start(state, DashboardOptions.LOOPBACK, server.address().getPort()));
    assertThat(failure.getMessage(), containsString("Cannot serve the dashboard on 127.0.0.1:" + server.address().getPort()));
    assertThat(failure.getMessage(), containsString("give another --ui=PORT"));
  }
}
