package dev.windowpane.pipelines.dashboard;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windowpane.transforms.json.Json;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dashboard's state: what it keeps of the output lines, and the JSON snapshot it serves. */
class DashboardStateTest {
  private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
  private final DashboardState state = new DashboardState("test lines", Clock.fixed(NOW, ZoneOffset.UTC));

  static String ranking(String start, String end, int rank, String item, long quantity) {
    return "{\"windowStart\":\"2025-01-01T" + start + ":00Z\",\"windowEnd\":\"2025-01-01T" + end
        + ":00Z\",\"rank\":" + rank + ",\"item\":\"" + item + "\",\"quantity\":" + quantity + "}";
  }

  static String refinement(String start, String end, int pane, int rank, String item, long quantity) {
    return "{\"windowStart\":\"2025-01-01T" + start + ":00Z\",\"windowEnd\":\"2025-01-01T" + end
        + ":00Z\",\"pane\":" + pane + ",\"rank\":" + rank + ",\"item\":\"" + item + "\",\"quantity\":" + quantity + "}";
  }

  /** {@code actual} written as JSON is {@code expected}, with single quotes for double ones. */
  static void assertJson(JsonNode actual, String expected) {
    assertThat(Json.write(actual), equalTo(expected.replace('\'', '"')));
  }

  static JsonNode json(String text) {
    try {
      return Json.mapper().readTree(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void theSnapshotShowsTheNewestWindowWithRankChangesAndTheHistoryOfItsNames() {
    state.acceptAll(
        List.of(
            ranking("00:00", "00:10", 1, "sku-a", 5),
            ranking("00:00", "00:10", 2, "sku-b", 3),
            ranking("00:00", "00:10", 3, "sku-c", 1)));
    // Out of order: rank 2 before rank 1, as Kafka partitions may deliver them.
    state.accept(ranking("00:05", "00:15", 2, "sku-a", 4));
    state.accept(ranking("00:05", "00:15", 1, "sku-b", 6));
    state.accept(ranking("00:05", "00:15", 3, "sku-c", 1));
    state.accept(ranking("00:05", "00:15", 4, "sku-d", 1));

    assertJson(
        state.snapshot(),
                "{'generatedAt':'2026-12-02T12:00:00Z','source':'test lines','finished':null,"
                    + "'rankings':[{'pipeline':'top-sellers','title':'Top sellers','nameField':'item','totalField':'quantity',"
                    + "'windowStart':'2025-01-01T00:05:00Z','windowEnd':'2025-01-01T00:15:00Z','pane':0,"
                    + "'arrivedAt':'2026-12-02T12:00:00Z','windowsKept':2,'rows':["
                    + "{'rank':1,'name':'sku-b','total':6,'change':'up','places':1},"
                    + "{'rank':2,'name':'sku-a','total':4,'change':'down','places':1},"
                    + "{'rank':3,'name':'sku-c','total':1,'change':'same','places':0},"
                    + "{'rank':4,'name':'sku-d','total':1,'change':'new','places':0}],"
                    + "'history':{'windowEnds':['2025-01-01T00:10:00Z','2025-01-01T00:15:00Z'],'series':["
                    + "{'name':'sku-b','totals':[3,6]},{'name':'sku-a','totals':[5,4]},"
                    + "{'name':'sku-c','totals':[1,1]},{'name':'sku-d','totals':[null,1]}]}}],"
                    + "'sessions':null,"
                    + "'health':{'countedBy':'lines','eventsRead':null,'deadLetters':0,'lateEventsDropped':null,"
                    + "'windowsEmitted':2,'sessionsEmitted':0,'unknownLines':0,"
                    + "'newestWindowEnd':'2025-01-01T00:15:00Z','eventTimeLagMillis':"
                    + (NOW.toEpochMilli() - Instant.parse("2025-01-01T00:15:00Z").toEpochMilli()) + "}}");
  }

  @Test
  void aLateFiringReplacesTheWindowsRankingAndAnEarlierFiringAfterItIsIgnored() {
    state.accept(ranking("00:00", "00:10", 1, "sku-a", 5));
    state.accept(ranking("00:00", "00:10", 2, "sku-b", 3));
    state.accept(refinement("00:00", "00:10", 1, 1, "sku-b", 7));
    // A stale line of the first firing, read after the refinement (another file, another partition).
    state.accept(ranking("00:00", "00:10", 2, "sku-c", 2));

    JsonNode ranking = state.snapshot().get("rankings").get(0);
    assertThat(ranking.get("pane").asInt(), is(1));
    assertJson(ranking.get("rows"), "[{'rank':1,'name':'sku-b','total':7,'change':'new','places':0}]");
    assertThat(ranking.get("windowsKept").asInt(), is(1));
    assertThat(state.snapshot().get("health").get("windowsEmitted").asLong(), is(2L));
  }

  @Test
  void theNewestSixtyWindowsAreKeptAndOlderLinesAreNoLongerShown() {
    for (int minute = 0; minute < DashboardState.HISTORY_WINDOWS + 5; minute++) {
      state.accept(window(minute, "sku-" + minute, minute + 1));
    }
    state.accept(window(2, "sku-late", 99));

    JsonNode ranking = state.snapshot().get("rankings").get(0);
    JsonNode ends = ranking.get("history").get("windowEnds");
    assertThat(ends.size(), is(DashboardState.HISTORY_WINDOWS));
    assertThat(ends.get(0).asText(), is(Instant.parse("2025-01-01T00:00:00Z").plusSeconds(60 * 6).toString()));
    assertThat(ranking.get("windowEnd").asText(), is(Instant.parse("2025-01-01T00:00:00Z").plusSeconds(60 * 65).toString()));
    assertJson(ranking.get("rows"), "[{'rank':1,'name':'sku-64','total':65,'change':'new','places':0}]");
    assertJson(ranking.get("history").get("series"), "[{'name':'sku-64','totals':[" + "null,".repeat(59) + "65]}]");
  }

  private static String window(int minute, String item, long quantity) {
    Instant start = Instant.parse("2025-01-01T00:00:00Z").plusSeconds(60L * minute);
    return "{\"windowStart\":\"" + start + "\",\"windowEnd\":\"" + start.plusSeconds(60) + "\",\"rank\":1,\"item\":\""
        + item + "\",\"quantity\":" + quantity + "}";
  }

  @Test
  void hashtagsAndSellersAreTwoPipelinesOfOnePage() {
    state.accept(ranking("00:00", "00:10", 1, "sku-a", 5));
    state.accept(
        "{\"windowStart\":\"2025-01-01T00:00:00Z\",\"windowEnd\":\"2025-01-01T00:10:00Z\",\"rank\":1,\"hashtag\":\"beam\",\"count\":17}");

    JsonNode rankings = state.snapshot().get("rankings");
    assertThat(rankings.size(), is(2));
    assertThat(rankings.get(0).get("pipeline").asText(), is("top-sellers"));
    assertThat(rankings.get(1).get("pipeline").asText(), is("trending-hashtags"));
    assertThat(rankings.get(1).get("totalField").asText(), is("count"));
    assertThat(rankings.get(1).get("rows").get(0).get("name").asText(), is("beam"));
  }

  @Test
  void sessionsShowTheNewestFinishedOnesAndRunningAveragesWithRefinementsReplacingTheirSession() {
    state.accept("{\"session\":\"s-1\",\"first\":\"2025-01-01T00:00:00Z\",\"last\":\"2025-01-01T00:01:00Z\",\"events\":2,\"total\":10.0,\"average\":5.0}");
    state.accept("{\"session\":\"s-2\",\"first\":\"2025-01-01T00:00:00Z\",\"last\":\"2025-01-01T00:03:00Z\",\"events\":4,\"total\":2.0,\"average\":0.5}");
    // A running update is not a finished session.
    assertThat(
        state.accept("{\"session\":\"s-3\",\"first\":\"2025-01-01T00:00:00Z\",\"last\":\"2025-01-01T00:00:00Z\",\"events\":1,\"total\":1.0,\"average\":1.0,\"update\":true}"),
        is(DashboardState.LineKind.SESSION_UPDATE));
    // A late refinement of s-1: it replaces the earlier summary.
    state.accept("{\"session\":\"s-1\",\"first\":\"2025-01-01T00:00:00Z\",\"last\":\"2025-01-01T00:02:00Z\",\"events\":3,\"total\":12.0,\"average\":4.0}");

    assertJson(
        state.snapshot().get("sessions"),
                "{'recent':["
                    + "{'session':'s-1','first':'2025-01-01T00:00:00Z','last':'2025-01-01T00:02:00Z','events':3,'total':12,'average':4,'arrivedAt':'2026-12-02T12:00:00Z'},"
                    + "{'session':'s-2','first':'2025-01-01T00:00:00Z','last':'2025-01-01T00:03:00Z','events':4,'total':2,'average':0.5,'arrivedAt':'2026-12-02T12:00:00Z'}],"
                    + "'pipeline':'session-stats','count':2,'averageEvents':3.5,'averageValue':2.0,'averageSeconds':150.0}");
  }

  @Test
  void deadLettersAndLinesThatAreNotOursAreCountedAndTheRunsCountersReplaceTheLineCounts() {
    assertThat(state.accept("{\"input\":\"not json\",\"error\":\"not JSON\"}"), is(DashboardState.LineKind.DEAD_LETTER));
    assertThat(state.accept("not json"), is(DashboardState.LineKind.UNKNOWN));
    assertThat(state.accept("{\"windowStart\":\"yesterday\",\"windowEnd\":\"x\",\"rank\":1,\"item\":\"a\",\"quantity\":1}"), is(DashboardState.LineKind.UNKNOWN));
    assertThat(state.accept(ranking("00:00", "00:10", 0, "sku-a", 5)), is(DashboardState.LineKind.UNKNOWN));
    JsonNode health = state.snapshot().get("health");
    assertThat(health.get("deadLetters").asLong(), is(1L));
    assertThat(health.get("unknownLines").asLong(), is(3L));
    assertThat(state.snapshot().get("rankings").size(), is(0));

    state.counters(Map.of("eventsRead", 17L, "deadLetters", 10L, "lateEventsDropped", 2L, "windowsEmitted", 4L));
    health = state.snapshot().get("health");
    assertThat(health.get("countedBy").asText(), is("pipeline"));
    assertThat(health.get("eventsRead").asLong(), is(17L));
    assertThat(health.get("deadLetters").asLong(), is(10L));
    assertThat(health.get("lateEventsDropped").asLong(), is(2L));
    assertThat(health.get("windowsEmitted").asLong(), is(4L));
    assertThat(health.get("eventTimeLagMillis").isNull(), is(true));
  }

  @Test
  void aChangeWakesAWaiterAndLinesThatChangeNothingDoNot() throws Exception {
    long seen = state.version();
    List<Long> woken = new ArrayList<>();
    Thread waiter = new Thread(() -> {
      try {
        woken.add(state.awaitChange(seen, 30_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    waiter.start();
    state.accept("not ours");
    state.accept(ranking("00:00", "00:10", 1, "sku-a", 5));
    waiter.join(30_000);

    assertThat(woken, equalTo(List.of(seen + 1)));
    assertThat(state.awaitChange(seen + 1, 10), is(seen + 1));
  }
}
