package dev.windowpane.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windowpane.pipelines.events.SessionEvent;
import dev.windowpane.pipelines.generator.EventKind;
import dev.windowpane.transforms.json.EventTimestamps;
import dev.windowpane.transforms.json.Json;
import dev.windowpane.transforms.sessions.SessionReference;
import dev.windowpane.transforms.sessions.SessionSummary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end: the session-stats command line on real JSON-lines files. */
class SessionStatsPipelineTest {
  @TempDir Path dir;

  private static final String[] MALFORMED = {
    "not json",
    "[1,2]",
    "",
    "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"value\":1}",
    "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"session\":7,\"value\":1}",
    "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"session\":\"s-1\",\"value\":\"12.5\"}",
    "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"session\":\"s-1\",\"value\":null}",
    "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"session\":\"s-1\"}",
    "{\"timestamp\":\"later\",\"session\":\"s-1\",\"value\":1}",
    "{\"session\":\"s-1\",\"value\":1}",
  };

  @Test
  void summarisesEverySessionOfEventTimeAndWritesEveryMalformedLineAsADeadLetter() {
    // With the default 30-minute gap. s-1: 10:00 and 10:50 are two sessions until 10:25 (in the
    // other file, arriving in any order) bridges them. s-2: 10:00 and 10:30 are exactly one gap
    // apart, so two sessions. s-3: 10:05:00.250 and 10:30, one session. Every timestamp form.
    Cli.write(
        dir.resolve("sessions-1.jsonl"),
        "{\"timestamp\":\"2025-11-25T10:50:00Z\",\"session\":\"s-1\",\"value\":27.5}",
        MALFORMED[0],
        "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"session\":\"s-1\",\"value\":10}",
        MALFORMED[1],
        "{\"timestamp\":1764064800000,\"session\":\"s-2\",\"value\":1.5}",
        MALFORMED[2],
        MALFORMED[3],
        MALFORMED[4]);
    Cli.write(
        dir.resolve("sessions-2.jsonl"),
        MALFORMED[5],
        "{\"timestamp\":\"2025-11-25T11:25:00+01:00\",\"session\":\"s-1\",\"value\":0}",
        MALFORMED[6],
        "{\"timestamp\":\"2025-11-25T10:30:00Z\",\"session\":\"s-2\",\"value\":2.5}",
        MALFORMED[7],
        "{\"timestamp\":\"2025-11-25T10:05:00.250Z\",\"session\":\"s-3\",\"value\":-2.5}",
        MALFORMED[8],
        "{\"timestamp\":\"1764066600000\",\"session\":\"s-3\",\"value\":4}",
        MALFORMED[9]);

    Cli run =
        Cli.run(
            "session-stats",
            "--input=" + dir.resolve("sessions-*.jsonl"),
            "--output=" + dir.resolve("out"),
            "--deadLetters=" + dir.resolve("dead"));

    assertThat(run.err, run.exitCode, is(0));
    assertThat(
        Cli.jsonLines(dir.resolve("out")),
        equalTo(
            Cli.sorted(
                "{\"session\":\"s-1\",\"first\":\"2025-11-25T10:00:00Z\",\"last\":\"2025-11-25T10:50:00Z\",\"events\":3,\"total\":37.5,\"average\":12.5}",
                "{\"session\":\"s-2\",\"first\":\"2025-11-25T10:00:00Z\",\"last\":\"2025-11-25T10:00:00Z\",\"events\":1,\"total\":1.5,\"average\":1.5}",
                "{\"session\":\"s-2\",\"first\":\"2025-11-25T10:30:00Z\",\"last\":\"2025-11-25T10:30:00Z\",\"events\":1,\"total\":2.5,\"average\":2.5}",
                "{\"session\":\"s-3\",\"first\":\"2025-11-25T10:05:00.250Z\",\"last\":\"2025-11-25T10:30:00Z\",\"events\":2,\"total\":1.5,\"average\":0.75}")));
    assertThat(Cli.deadLetterInputs(dir.resolve("dead")), containsInAnyOrder(MALFORMED));
    assertThat(run.out, containsString("events read          17"));
    assertThat(run.out, containsString("dead letters         10"));
    assertThat(run.out, containsString("sessions emitted     4"));
  }

  @Test
  void emitsTheRunningSummaryOfEveryEventWhenAskedForUpdates() {
    // s-a: three events at one instant, so every arrival order gives the same running lines.
    // s-b: three events within one gap of each other, so each joins the running session.
    Cli.write(
        dir.resolve("sessions.jsonl"),
        "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"session\":\"s-a\",\"value\":2}",
        "{\"timestamp\":\"2025-11-25T10:04:00Z\",\"session\":\"s-b\",\"value\":2}",
        "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"session\":\"s-a\",\"value\":2}",
        "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"session\":\"s-b\",\"value\":1}",
        "{\"timestamp\":\"2025-11-25T10:08:00Z\",\"session\":\"s-b\",\"value\":4}",
        "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"session\":\"s-a\",\"value\":2}");

    Cli run =
        Cli.run(
            "session-stats",
            "--input=" + dir.resolve("sessions.jsonl"),
            "--output=" + dir.resolve("out"),
            "--gap=10m",
            "--emit=updates");

    assertThat(run.err, run.exitCode, is(0));
    String sessionA =
        "{\"session\":\"s-a\",\"first\":\"2025-11-25T10:00:00Z\",\"last\":\"2025-11-25T10:00:00Z\",";
    String sessionB =
        "{\"session\":\"s-b\",\"first\":\"2025-11-25T10:00:00Z\",\"last\":\"2025-11-25T10:08:00Z\",";
    List<String> lines = Cli.jsonLines(dir.resolve("out"));
    List<String> summaries =
        lines.stream().filter(l -> !l.contains("\"update\"")).collect(Collectors.toList());
    List<String> updates =
        lines.stream().filter(l -> l.contains("\"update\":true")).collect(Collectors.toList());
    assertThat(
        summaries,
        equalTo(
            Cli.sorted(
                sessionA + "\"events\":3,\"total\":6.0,\"average\":2.0}",
                sessionB + "\"events\":3,\"total\":7.0,\"average\":2.3333333333333335}")));
    assertThat(updates, hasSize(6));
    assertThat(
        updates.stream().filter(l -> l.contains("\"s-a\"")).collect(Collectors.toList()),
        equalTo(
            Cli.sorted(
                sessionA + "\"events\":1,\"total\":2.0,\"average\":2.0,\"update\":true}",
                sessionA + "\"events\":2,\"total\":4.0,\"average\":2.0,\"update\":true}",
                sessionA + "\"events\":3,\"total\":6.0,\"average\":2.0,\"update\":true}")));
    assertThat(
        updates,
        hasItem(
            sessionB
                + "\"events\":3,\"total\":7.0,\"average\":2.3333333333333335,\"update\":true}"));
    assertThat(
        updates.stream()
            .filter(l -> l.contains("\"s-b\""))
            .map(l -> Cli.readTree(l).get("events").asLong())
            .sorted()
            .collect(Collectors.toList()),
        equalTo(List.of(1L, 2L, 3L)));
    assertThat(run.out, containsString("updates emitted      6"));
  }

  @Test
  void anEmptyInputGivesNoSessionsAndSucceeds() {
    Cli.write(dir.resolve("empty.jsonl"));

    Cli run =
        Cli.run(
            "session-stats",
            "--input=" + dir.resolve("empty.jsonl"),
            "--output=" + dir.resolve("out"),
            "--deadLetters=" + dir.resolve("dead"),
            "--emit=updates");

    assertThat(run.err, run.exitCode, is(0));
    assertThat(Cli.jsonLines(dir.resolve("out")), is(empty()));
    assertThat(Cli.jsonLines(dir.resolve("dead")), is(empty()));
    assertThat(run.out, containsString("events read          0"));
  }

  @Test
  void withoutOutputPrintsALinePerSession() {
    Cli.write(
        dir.resolve("sessions.jsonl"),
        "{\"timestamp\":\"2025-11-25T10:05:00Z\",\"session\":\"s-1\",\"value\":27.5}",
        "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"session\":\"s-1\",\"value\":10}");

    Cli run = Cli.runCapturingConsole("session-stats", "--input=" + dir.resolve("sessions.jsonl"));

    assertThat(run.err, run.exitCode, is(0));
    assertThat(
        run.console,
        equalTo(
            "Session s-1: 2 events, total 37.5, average 18.75,"
                + " 2025-11-25T10:00:00Z .. 2025-11-25T10:05:00Z"
                + System.lineSeparator()));
  }

  @Test
  void printsOneEventInTheSingular() {
    Cli.write(
        dir.resolve("sessions.jsonl"),
        "{\"timestamp\":\"2025-11-25T10:05:00Z\",\"session\":\"s-1\",\"value\":2}");

    Cli run =
        Cli.runCapturingConsole(
            "session-stats", "--input=" + dir.resolve("sessions.jsonl"), "--emit=updates");

    assertThat(run.err, run.exitCode, is(0));
    assertThat(
        run.console.lines().sorted().collect(Collectors.toList()),
        equalTo(
            List.of(
                "Session s-1 (update, so far): 1 event, total 2.0, average 2.0,"
                    + " 2025-11-25T10:05:00Z .. 2025-11-25T10:05:00Z",
                "Session s-1: 1 event, total 2.0, average 2.0,"
                    + " 2025-11-25T10:05:00Z .. 2025-11-25T10:05:00Z")));
  }

  @Test
  void theGeneratorsSessionsMatchTheirDefinition() throws Exception {
    Cli generated = Cli.run("generate", "--kind=sessions", "--seed=5", "--maxEvents=4000");
    assertThat(generated.err, generated.exitCode, is(0));
    List<TimestampedValue<KV<String, Double>>> events = new ArrayList<>();
    for (String line : generated.out.lines().collect(Collectors.toList())) {
      SessionEvent event = EventKind.SESSIONS.parser().parse((ObjectNode) Cli.readTree(line));
      events.add(TimestampedValue.of(KV.of(event.session(), event.value()), event.timestamp()));
    }
    List<KV<String, SessionSummary>> expected =
        SessionReference.sessions(events, Duration.standardMinutes(1));
    expected.sort(Comparator.comparing(s -> key(s.getKey(), s.getValue())));

    Cli run =
        Cli.run(
            "session-stats",
            "--seed=5",
            "--maxEvents=4000",
            "--gap=1m",
            "--output=" + dir.resolve("out"));

    assertThat(run.err, run.exitCode, is(0));
    List<JsonNode> actual =
        Cli.jsonLines(dir.resolve("out")).stream()
            .map(Cli::readTree)
            .sorted(Comparator.comparing(SessionStatsPipelineTest::key))
            .collect(Collectors.toList());
    assertThat(expected.size(), greaterThan(100));
    assertThat(actual, hasSize(expected.size()));
    for (int i = 0; i < expected.size(); i++) {
      SessionSummary want = expected.get(i).getValue();
      JsonNode got = actual.get(i);
      assertThat(key(got), equalTo(key(expected.get(i).getKey(), want)));
      assertThat(got.get("events").asLong(), equalTo(want.events()));
      // Totals are exact and rounded once: the same bits as the reference's, in any order.
      assertThat(got.get("total").asDouble(), equalTo(want.total()));
      assertThat(got.get("average").asDouble(), equalTo(want.average()));
    }
  }

  @Test
  void aGeneratorFedAndAFileFedRunWriteTheSameBytes() {
    Cli generated = Cli.run("generate", "--kind=sessions", "--seed=11", "--maxEvents=3000");
    assertThat(generated.err, generated.exitCode, is(0));
    List<String> events = generated.out.lines().collect(Collectors.toList());
    // The file holds the events backwards, so they arrive in another order than generated.
    Collections.reverse(events);
    Cli.write(dir.resolve("events.jsonl"), events.toArray(new String[0]));

    Cli fromGenerator =
        Cli.run(
            "session-stats",
            "--seed=11",
            "--maxEvents=3000",
            "--gap=1m",
            "--output=" + dir.resolve("generated"));
    Cli fromFile =
        Cli.run(
            "session-stats",
            "--input=" + dir.resolve("events.jsonl"),
            "--gap=1m",
            "--output=" + dir.resolve("file"));

    assertThat(fromGenerator.err, fromGenerator.exitCode, is(0));
    assertThat(fromFile.err, fromFile.exitCode, is(0));
    List<String> lines = Cli.jsonLines(dir.resolve("generated"));
    assertThat(lines.size(), greaterThan(100));
    assertThat(Cli.jsonLines(dir.resolve("file")), equalTo(lines));
  }

  @Test
  void aTotalBeyondTheRangeOfADoubleIsStillAJsonNumber() {
    // s-big: 2 * MAX - 1e308 is beyond the range of a double, its average within it. s-back: the
    // running sum overflows and comes back, the exact one never leaves the range. 1e400 cannot be
    // read as a double: a dead letter.
    String big = "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"session\":\"s-big\",\"value\":";
    String back = "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"session\":\"s-back\",\"value\":";
    String tooBig = "{\"timestamp\":\"2025-11-25T10:00:00Z\",\"session\":\"s-x\",\"value\":1e400}";
    Cli.write(
        dir.resolve("sessions.jsonl"),
        big + "1.7976931348623157E308}",
        big + "1.7976931348623157E308}",
        big + "-1e308}",
        back + "1e308}",
        back + "1e308}",
        back + "-1e308}",
        tooBig);

    Cli run =
        Cli.run(
            "session-stats",
            "--input=" + dir.resolve("sessions.jsonl"),
            "--output=" + dir.resolve("out"),
            "--deadLetters=" + dir.resolve("dead"));

    assertThat(run.err, run.exitCode, is(0));
    String first = "\"first\":\"2025-11-25T10:00:00Z\",\"last\":\"2025-11-25T10:00:00Z\"";
    assertThat(
        Cli.jsonLines(dir.resolve("out")),
        equalTo(
            Cli.sorted(
                "{\"session\":\"s-back\","
                    + first
                    + ",\"events\":3,\"total\":1.0E308,\"average\":3.333333333333333E307}",
                "{\"session\":\"s-big\","
                    + first
                    + ",\"events\":3,\"total\":2.5953862697246314E+308,"
                    + "\"average\":8.651287565748772E307}")));
    for (String line : Cli.jsonLines(dir.resolve("out"))) {
      assertThat(line, Cli.readTree(line).get("total").isNumber(), is(true));
    }
    assertThat(Cli.deadLetterInputs(dir.resolve("dead")), equalTo(List.of(tooBig)));
  }

  @Test
  void aBadOptionFailsBeforeTheRunWithOneSentence() {
    Cli.write(dir.resolve("sessions.jsonl"));
    String input = "--input=" + dir.resolve("sessions.jsonl");

    Cli badGap = Cli.run("session-stats", input, "--gap=soon");
    Cli zeroGap = Cli.run("session-stats", input, "--gap=0s");
    Cli badEmit = Cli.run("session-stats", input, "--emit=everything");
    Cli badLateness = Cli.run("session-stats", "--maxEvents=10", "--allowedLateness=late");
    Cli latenessOfAFile = Cli.run("session-stats", input, "--allowedLateness=1m");

    assertThat(badGap.exitCode, is(2));
    assertThat(badGap.err, containsString("--gap"));
    assertThat(zeroGap.exitCode, is(2));
    assertThat(zeroGap.err, containsString("Option --gap must be longer than 0"));
    assertThat(badEmit.exitCode, is(2));
    assertThat(
        badEmit.err,
        containsString("Option --emit must be sessions or updates, got 'everything'."));
    assertThat(badLateness.exitCode, is(2));
    assertThat(badLateness.err, containsString("Option --allowedLateness: "));
    assertThat(latenessOfAFile.exitCode, is(2));
    assertThat(
        latenessOfAFile.err,
        containsString(
            "Option --allowedLateness does nothing with --input: a file is read whole before the watermark"
                + " passes any window, so none of its events is late."));
  }

  @Test
  void helpListsTheSessionOptions() {
    Cli help = Cli.run("session-stats", "--help");
    Cli names = Cli.run("--help");

    assertThat(help.exitCode, is(0));
    assertThat(help.out, containsString("--gap"));
    assertThat(help.out, containsString("--emit"));
    assertThat(names.out, containsString("session-stats"));
  }

  private static String key(JsonNode line) {
    return line.get("session").asText()
        + " "
        + line.get("first").asText()
        + " "
        + line.get("last").asText();
  }

  private static String key(String session, SessionSummary stats) {
    return session
        + " "
        + EventTimestamps.format(stats.first())
        + " "
        + EventTimestamps.format(stats.last());
  }


}
