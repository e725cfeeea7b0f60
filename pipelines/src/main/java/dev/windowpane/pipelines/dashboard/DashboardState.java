package dev.windowpane.pipelines.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windowpane.pipelines.SessionStatsPipeline;
import dev.windowpane.pipelines.TopSellers;
import dev.windowpane.pipelines.TrendingHashtags;
import dev.windowpane.pipelines.io.RankingFormat;
import dev.windowpane.transforms.json.InvalidEventException;
import dev.windowpane.transforms.json.Json;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What the dashboard shows, built from the pipelines' output lines (the JSON lines of {@code
 * WriteRankings} and {@code WriteSessionStats}, and dead letters) in whatever order they arrive, and
 * from a run's counters. Thread-safe: the pipeline (or a follower of files or a topic) hands lines
 * in, the server's threads read {@link #snapshotJson()}; a change wakes {@link #awaitChange}.
 *
 * <p>Per ranking pipeline it keeps the latest firing of each of the newest {@value
 * #HISTORY_WINDOWS} windows: a line of a higher {@code pane} than the window's ranking so far
 * replaces it (a late refinement), one of a lower pane is stale and ignored, so each window is
 * shown once with its latest ranking. Of session-stats it keeps the newest {@value
 * #RECENT_SESSIONS} finished sessions and running averages over every finished session seen (a
 * refinement of one of the last {@value #REMEMBERED_SESSIONS} replaces it in them). O(log windows)
 * per ranking line, O(1) per session line; memory bounded by those numbers times N.
 */
public final class DashboardState {
  /** How many windows of each ranking pipeline are kept: the history chart's reach. */
  public static final int HISTORY_WINDOWS = 60;
  /** How many of the newest window's names the history chart follows. */
  public static final int HISTORY_NAMES = 10;
  /** How many of the newest finished sessions are listed. */
  public static final int RECENT_SESSIONS = 20;
  /** How many sessions are remembered so that a late refinement replaces the earlier summary. */
  static final int REMEMBERED_SESSIONS = 1000;

  /** The ranking pipelines, by the name field their lines carry. */
  private static final Map<String, RankingPipeline> PIPELINES_BY_NAME_FIELD = new LinkedHashMap<>();

  static {
    for (RankingPipeline pipeline :
        List.of(
            new RankingPipeline(TopSellers.NAME, TopSellers.FORMAT),
            new RankingPipeline(TrendingHashtags.NAME, TrendingHashtags.FORMAT))) {
      PIPELINES_BY_NAME_FIELD.put(pipeline.format.nameField(), pipeline);
    }
  }

  /** What kind of line {@link #accept} was given. */
  public enum LineKind {
    RANKING,
    SESSION,
    /** A running update of a session ({@code "update":true}): the dashboard lists finished ones. */
    SESSION_UPDATE,
    DEAD_LETTER,
    /** Not a line of windowpane's outputs. */
    UNKNOWN
  }

  private final String source;
  private final Clock clock;
  private final Map<String, Rankings> rankings = new TreeMap<>();
  private final Sessions sessions = new Sessions();
  private @Nullable Map<String, Long> counters;
  private long firingsSeen;
  private long deadLettersSeen;
  private long unknownLines;
  private @Nullable String finished;
  private long version;

  /** An empty state of data from {@code source} (words a person reads, e.g. "directory out/"). */
  public DashboardState(String source) {
    this(source, Clock.systemUTC());
  }

  DashboardState(String source, Clock clock) {
    this.source = source;
    this.clock = clock;
  }

  /** Takes in one output line; returns what it was. A line that is no output of ours changes nothing. */
  public LineKind accept(String line) {
    LineKind kind;
    synchronized (this) {
      kind = take(line);
      if (kind != LineKind.UNKNOWN && kind != LineKind.SESSION_UPDATE) {
        changed();
      }
    }
    return kind;
  }

  /** Takes in {@code lines} (one firing's, say) as one change. */
  public void acceptAll(Collection<String> lines) {
    synchronized (this) {
      boolean any = false;
      for (String line : lines) {
        LineKind kind = take(line);
        any |= kind != LineKind.UNKNOWN && kind != LineKind.SESSION_UPDATE;
      }
      if (any) {
        changed();
      }
    }
  }

  /** The run's counters (windowpane's Beam counters by name), replacing those counted from lines. */
  public synchronized void counters(Map<String, Long> newest) {
    if (!newest.equals(counters)) {
      counters = new LinkedHashMap<>(newest);
      changed();
    }
  }

  /** Marks the data as complete: nothing more will come, for {@code why} (e.g. "the run finished"). */
  public synchronized void finished(String why) {
    finished = why;
    changed();
  }

  /** A number that grows with every change. */
  public synchronized long version() {
    return version;
  }

  /**
   * Waits until the version is other than {@code seen}, at most {@code timeoutMillis}; returns the
   * version then (still {@code seen} after a timeout).
   */
  public synchronized long awaitChange(long seen, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    while (version == seen) {
      long left = (deadline - System.nanoTime()) / 1_000_000L;
      if (left <= 0) {
        break;
      }
      wait(left);
    }
    return version;
  }

  /** Wakes every waiter of {@link #awaitChange}, e.g. when the server stops. */
  synchronized void wakeAll() {
    notifyAll();
  }

  private void changed() {
    version++;
    notifyAll();
  }

  private LineKind take(String line) {
    ObjectNode json;
    try {
      json = Json.readObject(line);
    } catch (InvalidEventException e) {
      unknownLines++;
      return LineKind.UNKNOWN;
    }
    try {
      if (json.has("windowStart")) {
        return takeRanking(json);
      }
      if (json.has("session")) {
        return takeSession(json);
      }
      if (json.path("input").isTextual() && json.path("error").isTextual() && json.size() == 2) {
        deadLettersSeen++;
        return LineKind.DEAD_LETTER;
      }
    } catch (DateTimeParseException | IllegalArgumentException e) {
      // A line of our shape with a value that is not ours: counted below like any other.
    }
    unknownLines++;
    return LineKind.UNKNOWN;
  }

  private LineKind takeRanking(ObjectNode json) {
    RankingPipeline pipeline = null;
    for (RankingPipeline candidate : PIPELINES_BY_NAME_FIELD.values()) {
      if (json.path(candidate.format.nameField()).isTextual() && json.path(candidate.format.totalField()).canConvertToExactIntegral()) {
        pipeline = candidate;
      }
    }
    JsonNode rank = json.path("rank");
    if (pipeline == null || !json.path("windowEnd").isTextual() || !json.path("windowStart").isTextual()
        || !rank.canConvertToExactIntegral() || rank.asLong() < 1 || rank.asLong() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("not a ranking line");
    }
    String start = json.get("windowStart").asText();
    String end = json.get("windowEnd").asText();
    long pane = json.path("pane").canConvertToExactIntegral() ? json.get("pane").asLong() : 0;
    WindowKey key = new WindowKey(Instant.parse(start), Instant.parse(end));
    Rankings ofPipeline = rankings.computeIfAbsent(pipeline.name, name -> new Rankings());
    WindowRanking window = ofPipeline.windows.get(key);
    if (window == null) {
      if (ofPipeline.windows.size() >= HISTORY_WINDOWS && key.compareTo(ofPipeline.windows.firstKey()) < 0) {
        return LineKind.RANKING; // older than every window kept: no longer shown
      }
      window = new WindowRanking(start, end, pane, clock.instant());
      ofPipeline.windows.put(key, window);
      firingsSeen++;
      while (ofPipeline.windows.size() > HISTORY_WINDOWS) {
        ofPipeline.windows.pollFirstEntry();
      }
    } else if (pane > window.pane) {
      window.replaceWith(pane, clock.instant());
      firingsSeen++;
    } else if (pane < window.pane) {
      return LineKind.RANKING; // an earlier firing of a window already refined
    }
    window.rows.put(
        (int) rank.asLong(),
        new Row(json.get(pipeline.format.nameField()).asText(), json.get(pipeline.format.totalField()).asLong()));
    return LineKind.RANKING;
  }

  private LineKind takeSession(ObjectNode json) {
    if (!json.path("session").isTextual() || !json.path("first").isTextual() || !json.path("last").isTextual()
        || !json.path("events").canConvertToExactIntegral() || !json.path("total").isNumber()
        || !json.path("average").isNumber()) {
      throw new IllegalArgumentException("not a session line");
    }
    if (json.path("update").asBoolean(false)) {
      return LineKind.SESSION_UPDATE;
    }
    sessions.take(
        new SessionRow(
            json.get("session").asText(),
            json.get("first").asText(),
            json.get("last").asText(),
            json.get("events").asLong(),
            json.get("total"),
            json.get("average"),
            clock.instant()));
    return LineKind.SESSION;
  }

  /** {@link #snapshot()} as one line of JSON. */
  public String snapshotJson() {
    return Json.write(snapshot());
  }

  /**
   * Everything the page shows, as of now:
   *
   * <pre>{@code
   * {"generatedAt":T, "source":"...", "finished":null|"why",
   *  "rankings":[{"pipeline":"top-sellers","title":"Top sellers","nameField":"item","totalField":"quantity",
   *     "windowStart":T,"windowEnd":T,"pane":0,"arrivedAt":T,"windowsKept":12,
   *     "rows":[{"rank":1,"name":"sku-1","total":42,"change":"up|down|same|new","places":2}],
   *     "history":{"windowEnds":[T,...],"series":[{"name":"sku-1","totals":[40,null,42]}]}}],
   *  "sessions":null|{"recent":[{"session":"s-1","first":T,"last":T,"events":3,"total":37.5,"average":12.5,"arrivedAt":T}],
   *     "count":10,"averageEvents":3.5,"averageValue":12.1,"averageSeconds":840.0},
   *  "health":{"countedBy":"pipeline|lines","eventsRead":n|null,"deadLetters":n|null,"lateEventsDropped":n|null,
   *     "windowsEmitted":n|null,"sessionsEmitted":n|null,"newestWindowEnd":T|null,"eventTimeLagMillis":n|null}}
   * }</pre>
   *
   * <p>{@code change} compares a name's rank with its rank in the window before (the one with the
   * next earlier end): {@code places} is how many ranks it moved; {@code new} when it was not
   * ranked there (or there is no earlier window). A history total is null where the name was not
   * in that window's top N. Times are the lines' own text; {@code arrivedAt} and {@code
   * generatedAt} are this machine's clock.
   */
  public synchronized ObjectNode snapshot() {
    Instant now = clock.instant();
    ObjectNode snapshot = Json.object();
    snapshot.put("generatedAt", now.toString());
    snapshot.put("source", source);
    snapshot.put("finished", finished);
    ArrayNode rankingsJson = snapshot.putArray("rankings");
    Instant newestEnd = null;
    for (Map.Entry<String, Rankings> entry : rankings.entrySet()) {
      Rankings ofPipeline = entry.getValue();
      if (ofPipeline.windows.isEmpty()) {
        continue;
      }
      RankingPipeline pipeline = pipelineNamed(entry.getKey());
      Map.Entry<WindowKey, WindowRanking> newest = ofPipeline.windows.lastEntry();
      Map.Entry<WindowKey, WindowRanking> previous = ofPipeline.windows.lowerEntry(newest.getKey());
      if (newestEnd == null || newest.getKey().end.isAfter(newestEnd)) {
        newestEnd = newest.getKey().end;
      }
      rankingsJson.add(rankingJson(pipeline, newest.getValue(), previous == null ? null : previous.getValue(), ofPipeline));
    }
    snapshot.set("sessions", sessions.isEmpty() ? null : sessions.json());
    ObjectNode health = snapshot.putObject("health");
    health.put("countedBy", counters == null ? "lines" : "pipeline");
    if (counters != null) {
      health.put("eventsRead", counters.get("eventsRead"));
      health.put("deadLetters", counters.get("deadLetters"));
      health.put("lateEventsDropped", counters.get("lateEventsDropped"));
      health.put("windowsEmitted", counters.get("windowsEmitted"));
      health.put("sessionsEmitted", counters.get("sessionsEmitted"));
    } else {
      health.putNull("eventsRead");
      health.put("deadLetters", deadLettersSeen);
      health.putNull("lateEventsDropped");
      health.put("windowsEmitted", firingsSeen);
      health.put("sessionsEmitted", sessions.finishedSeen);
    }
    health.put("unknownLines", unknownLines);
    health.put("newestWindowEnd", newestEnd == null ? null : newestEnd.toString());
    if (newestEnd == null) {
      health.putNull("eventTimeLagMillis");
    } else {
      health.put("eventTimeLagMillis", now.toEpochMilli() - newestEnd.toEpochMilli());
    }
    return snapshot;
  }

  private static RankingPipeline pipelineNamed(String name) {
    for (RankingPipeline pipeline : PIPELINES_BY_NAME_FIELD.values()) {
      if (pipeline.name.equals(name)) {
        return pipeline;
      }
    }
    throw new IllegalStateException("No ranking pipeline " + name);
  }

  private static ObjectNode rankingJson(
      RankingPipeline pipeline, WindowRanking newest, @Nullable WindowRanking previous, Rankings ofPipeline) {
    ObjectNode json = Json.object();
    json.put("pipeline", pipeline.name);
    json.put("title", pipeline.format.title());
    json.put("nameField", pipeline.format.nameField());
    json.put("totalField", pipeline.format.totalField());
    json.put("windowStart", newest.start);
    json.put("windowEnd", newest.end);
    json.put("pane", newest.pane);
    json.put("arrivedAt", newest.arrivedAt.toString());
    json.put("windowsKept", ofPipeline.windows.size());
    Map<String, Integer> previousRanks = new HashMap<>();
    if (previous != null) {
      previous.rows.forEach((rank, row) -> previousRanks.putIfAbsent(row.name, rank));
    }
    ArrayNode rows = json.putArray("rows");
    List<String> followed = new ArrayList<>();
    for (Map.Entry<Integer, Row> entry : newest.rows.entrySet()) {
      int rank = entry.getKey();
      Row row = entry.getValue();
      ObjectNode rowJson = rows.addObject();
      rowJson.put("rank", rank);
      rowJson.put("name", row.name);
      rowJson.put("total", row.total);
      Integer before = previousRanks.get(row.name);
      if (before == null) {
        rowJson.put("change", "new");
        rowJson.put("places", 0);
      } else {
        rowJson.put("change", before > rank ? "up" : before < rank ? "down" : "same");
        rowJson.put("places", Math.abs(before - rank));
      }
      if (followed.size() < HISTORY_NAMES) {
        followed.add(row.name);
      }
    }
    ObjectNode history = json.putObject("history");
    ArrayNode ends = history.putArray("windowEnds");
    ofPipeline.windows.values().forEach(window -> ends.add(window.end));
    ArrayNode series = history.putArray("series");
    for (String name : followed) {
      ObjectNode one = series.addObject();
      one.put("name", name);
      ArrayNode totals = one.putArray("totals");
      for (WindowRanking window : ofPipeline.windows.values()) {
        Long total = window.totalOf(name);
        if (total == null) {
          totals.addNull();
        } else {
          totals.add(total);
        }
      }
    }
    return json;
  }

  /** A ranking pipeline the dashboard knows: its command name and its lines' field names. */
  private static final class RankingPipeline {
    final String name;
    final RankingFormat format;

    RankingPipeline(String name, RankingFormat format) {
      this.name = name;
      this.format = format;
    }
  }

  /** The windows of one ranking pipeline, by end then start. */
  private static final class Rankings {
    final TreeMap<WindowKey, WindowRanking> windows = new TreeMap<>();
  }

  /** A window, ordered by its end, then its start. */
  private static final class WindowKey implements Comparable<WindowKey> {
    final Instant start;
    final Instant end;

    WindowKey(Instant start, Instant end) {
      this.start = start;
      this.end = end;
    }

    @Override
    public int compareTo(WindowKey other) {
      int byEnd = end.compareTo(other.end);
      return byEnd != 0 ? byEnd : start.compareTo(other.start);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof WindowKey && compareTo((WindowKey) other) == 0;
    }

    @Override
    public int hashCode() {
      return 31 * start.hashCode() + end.hashCode();
    }
  }

  /** The latest firing seen of one window: its ranks so far. */
  private static final class WindowRanking {
    final String start;
    final String end;
    long pane;
    Instant arrivedAt;
    final TreeMap<Integer, Row> rows = new TreeMap<>();

    WindowRanking(String start, String end, long pane, Instant arrivedAt) {
      this.start = start;
      this.end = end;
      this.pane = pane;
      this.arrivedAt = arrivedAt;
    }

    void replaceWith(long newPane, Instant now) {
      pane = newPane;
      arrivedAt = now;
      rows.clear();
    }

    @Nullable Long totalOf(String name) {
      for (Row row : rows.values()) {
        if (row.name.equals(name)) {
          return row.total;
        }
      }
      return null;
    }
  }

  /** One rank of a window. */
  private static final class Row {
    final String name;
    final long total;

    Row(String name, long total) {
      this.name = name;
      this.total = total;
    }
  }

  /** One finished session's summary, as its line says. */
  private static final class SessionRow {
    final String session;
    final String first;
    final String last;
    final long events;
    final JsonNode total;
    final JsonNode average;
    final Instant arrivedAt;
    final long millis;

    SessionRow(String session, String first, String last, long events, JsonNode total, JsonNode average, Instant arrivedAt) {
      this.session = session;
      this.first = first;
      this.last = last;
      this.events = events;
      this.total = total;
      this.average = average;
      this.arrivedAt = arrivedAt;
      this.millis = Instant.parse(last).toEpochMilli() - Instant.parse(first).toEpochMilli();
    }

    String key() {
      return session + "/" + first;
    }
  }

  /** The newest finished sessions and the running sums behind the averages. */
  private static final class Sessions {
    /** The last {@value #REMEMBERED_SESSIONS} sessions by key, oldest arrival first. */
    final LinkedHashMap<String, SessionRow> remembered = new LinkedHashMap<>();
    long count;
    long events;
    double total;
    double millis;
    long finishedSeen;

    boolean isEmpty() {
      return finishedSeen == 0;
    }

    void take(SessionRow row) {
      finishedSeen++;
      SessionRow earlier = remembered.remove(row.key());
      if (earlier != null) {
        count--;
        events -= earlier.events;
        total -= earlier.total.asDouble();
        millis -= earlier.millis;
      }
      remembered.put(row.key(), row);
      count++;
      events += row.events;
      total += row.total.asDouble();
      millis += row.millis;
      Iterator<String> oldest = remembered.keySet().iterator();
      while (remembered.size() > REMEMBERED_SESSIONS) {
        oldest.next();
        oldest.remove();
      }
    }

    ObjectNode json() {
      ObjectNode json = Json.object();
      ArrayNode recent = json.putArray("recent");
      List<SessionRow> rows = new ArrayList<>(remembered.values());
      for (int i = rows.size() - 1; i >= 0 && recent.size() < RECENT_SESSIONS; i--) {
        SessionRow row = rows.get(i);
        ObjectNode one = recent.addObject();
        one.put("session", row.session);
        one.put("first", row.first);
        one.put("last", row.last);
        one.put("events", row.events);
        one.set("total", row.total);
        one.set("average", row.average);
        one.put("arrivedAt", row.arrivedAt.toString());
      }
      json.put("pipeline", SessionStatsPipeline.NAME);
      json.put("count", count);
      putFinite(json, "averageEvents", count == 0 ? Double.NaN : (double) events / count);
      putFinite(json, "averageValue", events == 0 ? Double.NaN : total / events);
      putFinite(json, "averageSeconds", count == 0 ? Double.NaN : millis / count / 1000.0);
      return json;
    }

    private static void putFinite(ObjectNode json, String field, double value) {
      if (Double.isFinite(value)) {
        json.put(field, value);
      } else {
        json.putNull(field);
      }
    }
  }
}
