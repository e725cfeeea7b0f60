package dev.windowpane.pipelines.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The JSON lines and the console table of one firing; a later firing says which (its pane) in
 * the lines, and is marked as an update in the table.
 */
class WriteRankingsTest {
  private static final RankingFormat FORMAT = RankingFormat.of("Trending hashtags", "hashtag", "count");
  private static final IntervalWindow WINDOW =
      new IntervalWindow(Instant.parse("2025-11-25T09:00:00Z"), Instant.parse("2025-11-25T10:00:00Z"));
  private static final List<KV<String, Long>> RANKING = List.of(KV.of("beam", 120L), KV.of("flink", 7L));

  @Test
  void anOnTimeFiringIsAPlainTable() {
    String table =
        WriteRankings.table(FORMAT, WINDOW, PaneInfo.createPane(true, false, PaneInfo.Timing.ON_TIME), RANKING);

    assertThat(
        table,
        equalTo(
            String.format(
                "%nTrending hashtags, window 2025-11-25T09:00:00Z .. 2025-11-25T10:00:00Z%n"
                    + "  rank  hashtag     count%n"
                    + "     1  beam          120%n"
                    + "     2  flink           7%n")));
  }

  @Test
  void aWindowsFirstFiringWritesTheContractsLines() {
    assertThat(
        WriteRankings.lines(FORMAT, WINDOW, PaneInfo.createPane(true, false, PaneInfo.Timing.ON_TIME), RANKING),
        equalTo(
            List.of(
                "{\"windowStart\":\"2025-11-25T09:00:00Z\",\"windowEnd\":\"2025-11-25T10:00:00Z\","
                    + "\"rank\":1,\"hashtag\":\"beam\",\"count\":120}",
                "{\"windowStart\":\"2025-11-25T09:00:00Z\",\"windowEnd\":\"2025-11-25T10:00:00Z\","
                    + "\"rank\":2,\"hashtag\":\"flink\",\"count\":7}")));
  }

  @Test
  void aLaterFiringsLinesCarryItsPaneSoTheLatestRankingOfAWindowCanBeTold() {
    // The third firing of the window: its second late refinement.
    assertThat(
        WriteRankings.lines(FORMAT, WINDOW, PaneInfo.createPane(false, false, PaneInfo.Timing.LATE, 2, 2), RANKING),
        equalTo(
            List.of(
                "{\"windowStart\":\"2025-11-25T09:00:00Z\",\"windowEnd\":\"2025-11-25T10:00:00Z\","
                    + "\"pane\":2,\"rank\":1,\"hashtag\":\"beam\",\"count\":120}",
                "{\"windowStart\":\"2025-11-25T09:00:00Z\",\"windowEnd\":\"2025-11-25T10:00:00Z\","
                    + "\"pane\":2,\"rank\":2,\"hashtag\":\"flink\",\"count\":7}")));
  }

  @Test
  void aLateFiringIsMarkedAsAnUpdate() {
    String table =
        WriteRankings.table(FORMAT, WINDOW, PaneInfo.createPane(false, false, PaneInfo.Timing.LATE, 1, 1), RANKING);

    assertThat(
        table.lines().skip(1).findFirst().get(),
        equalTo("Trending hashtags, window 2025-11-25T09:00:00Z .. 2025-11-25T10:00:00Z (update)"));
  }

  @Test
  void wideNumbersKeepTheColumnsAligned() {
    List<KV<String, Long>> ranking =
        List.of(KV.of("beam", 123_456_789_012_345L), KV.of("flink", 7L));

    String table =
        WriteRankings.table(FORMAT, WINDOW, PaneInfo.createPane(true, false, PaneInfo.Timing.ON_TIME), ranking);

    assertThat(
        table,
        equalTo(
            String.format(
                "%nTrending hashtags, window 2025-11-25T09:00:00Z .. 2025-11-25T10:00:00Z%n"
                    + "  rank  hashtag            count%n"
                    + "     1  beam     123456789012345%n"
                    + "     2  flink                  7%n")));
  }

  @Test
  void manyRanksKeepTheRankColumnAligned() {
    List<KV<String, Long>> ranking = new java.util.ArrayList<>();
    for (int i = 0; i < 12_345; i++) {
      ranking.add(KV.of("h" + i, 1L));
    }

    String table =
        WriteRankings.table(FORMAT, WINDOW, PaneInfo.createPane(true, false, PaneInfo.Timing.ON_TIME), ranking);

    List<String> lines = table.lines().skip(2).collect(java.util.stream.Collectors.toList());
    assertThat(lines.get(0), equalTo("   rank  hashtag     count"));
    assertThat(lines.get(1), equalTo("      1  h0              1"));
    assertThat(lines.get(lines.size() - 1), equalTo("  12345  h12344          1"));
  }

  @Test
  void anEmptyNameIsShownAsTwoQuotes() {
    List<KV<String, Long>> ranking = List.of(KV.of("", 3L), KV.of("beam", 2L));

    String table =
        WriteRankings.table(FORMAT, WINDOW, PaneInfo.createPane(true, false, PaneInfo.Timing.ON_TIME), ranking);

    assertThat(
        table,
        equalTo(
            String.format(
                "%nTrending hashtags, window 2025-11-25T09:00:00Z .. 2025-11-25T10:00:00Z%n"
                    + "  rank  hashtag     count%n"
                    + "     1  \"\"              3%n"
                    + "     2  beam            2%n")));
  }

  @Test
  void aNameThatWouldBreakTheTableOrLookEmptyIsShownAsAJsonString() {
    List<KV<String, Long>> ranking =
        List.of(KV.of("two\nlines", 4L), KV.of("\"\"", 3L), KV.of(" pad", 2L), KV.of("plain", 1L));

    String table =
        WriteRankings.table(FORMAT, WINDOW, PaneInfo.createPane(true, false, PaneInfo.Timing.ON_TIME), ranking);

    assertThat(
        table,
        equalTo(
            String.format(
                "%nTrending hashtags, window 2025-11-25T09:00:00Z .. 2025-11-25T10:00:00Z%n"
                    + "  rank  hashtag          count%n"
                    + "     1  \"two\\nlines\"         4%n"
                    + "     2  \"\\\"\\\"\"               3%n"
                    + "     3  \" pad\"               2%n"
                    + "     4  plain                1%n")));
  }

  @Test
  void wideCharactersKeepTheColumnsAligned() {
    List<KV<String, Long>> ranking = List.of(KV.of("\u6771\u4eac", 5L), KV.of("tokyo", 4L));

    String table =
        WriteRankings.table(FORMAT, WINDOW, PaneInfo.createPane(true, false, PaneInfo.Timing.ON_TIME), ranking);

    List<String> lines = table.lines().skip(3).collect(java.util.stream.Collectors.toList());
    assertThat(lines.get(0), equalTo("     1  \u6771\u4eac            5"));
    assertThat(lines.get(1), equalTo("     2  tokyo           4"));
    assertThat(WriteRankings.columns(lines.get(0)), equalTo(WriteRankings.columns(lines.get(1))));
  }
}
