package dev.windowpane.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windowpane.transforms.json.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end: the top-sellers command line on real JSON-lines files. */
class TopSellersTest {
  @TempDir Path dir;

  private static final String[] MALFORMED = {
    "not json",
    "[1,2,3]",
    "{\"timestamp\":\"2025-11-25T10:02:00Z\",\"item\":\"sku-a\"}",
    "{\"timestamp\":\"2025-11-25T10:02:00Z\",\"item\":\"sku-a\",\"quantity\":0}",
    "{\"timestamp\":\"2025-11-25T10:02:00Z\",\"item\":\"sku-a\",\"quantity\":1.5}",
    "{\"timestamp\":\"2025-11-25T10:02:00Z\",\"item\":\"sku-a\",\"quantity\":\"2\"}",
    "{\"timestamp\":\"2025-11-25T10:02:00Z\",\"item\":7,\"quantity\":1}",
    "{\"timestamp\":\"yesterday\",\"item\":\"sku-a\",\"quantity\":1}",
    "{\"item\":\"sku-a\",\"quantity\":1}",
    // Beyond 10^12: summed with the other sku-a orders it would overflow a long.
    "{\"timestamp\":\"2025-11-25T10:02:00Z\",\"item\":\"sku-a\",\"quantity\":9223372036854775807}",
  };

  @Test
  void ranksEveryWindowExactlyAndWritesEveryMalformedLineAsADeadLetter() {
    // Out of order across and within two files; timestamps in every accepted form.
    Cli.write(
        dir.resolve("orders-1.jsonl"),
        "{\"timestamp\":\"2025-11-25T10:07:00Z\",\"item\":\"sku-b\",\"quantity\":1}",
        MALFORMED[0],
        "{\"timestamp\":\"2025-11-25T10:01:00Z\",\"item\":\"sku-a\",\"quantity\":2}",
        MALFORMED[1],
        "{\"timestamp\":\"2025-11-25T10:03:30Z\",\"item\":\"sku-b\",\"quantity\":3}",
        MALFORMED[2],
        "{\"timestamp\":1764065520000,\"item\":\"sku-c\",\"quantity\":4}",
        MALFORMED[3],
        MALFORMED[4]);
    Cli.write(
        dir.resolve("orders-2.jsonl"),
        MALFORMED[5],
        "{\"timestamp\":\"2025-11-25T10:04:59.999Z\",\"item\":\"sku-a\",\"quantity\":1}",
        MALFORMED[6],
        "{\"timestamp\":\"2025-11-25T11:05:00+01:00\",\"item\":\"sku-c\",\"quantity\":1}",
        MALFORMED[7],
        "{\"timestamp\":\"1764065640000\",\"item\":\"sku-a\",\"quantity\":2}",
        MALFORMED[8],
        MALFORMED[9]);

    Cli run =
        Cli.run(
            "top-sellers",
            "--input=" + dir.resolve("orders-*.jsonl"),
            "--output=" + dir.resolve("out"),
            "--deadLetters=" + dir.resolve("dead"),
            "--window=10m",
            "--slide=5m",
            "--top=2");

    assertThat(run.err, run.exitCode, is(0));
    // [09:55,10:05): a 2+1, b 3 (tie: a first); [10:00,10:10): b 3+1, a 3, c 1;
    // [10:05,10:15): c 1+4, a 2, b 1; [10:10,10:20): c 4, a 2.
    assertThat(
        Cli.jsonLines(dir.resolve("out")),
        equalTo(
            Cli.sorted(
                line("09:55", "10:05", 1, "sku-a", 3),
                line("09:55", "10:05", 2, "sku-b", 3),
                line("10:00", "10:10", 1, "sku-b", 4),
                line("10:00", "10:10", 2, "sku-a", 3),
                line("10:05", "10:15", 1, "sku-c", 5),
                line("10:05", "10:15", 2, "sku-a", 2),
                line("10:10", "10:20", 1, "sku-c", 4),
                line("10:10", "10:20", 2, "sku-a", 2))));
    assertThat(Cli.deadLetterInputs(dir.resolve("dead")), containsInAnyOrder(MALFORMED));
    assertThat(run.out, containsString("events read          17"));
    assertThat(run.out, containsString("dead letters         10"));
    assertThat(run.out, containsString("windows emitted      4"));
  }

  @Test
  void aWindowOffsetMovesEveryWindowStart() {
    Cli.write(
        dir.resolve("orders.jsonl"),
        "{\"timestamp\":\"2025-11-25T10:01:00Z\",\"item\":\"sku-a\",\"quantity\":2}",
        "{\"timestamp\":\"2025-11-25T10:02:00Z\",\"item\":\"sku-b\",\"quantity\":1}",
        "{\"timestamp\":\"2025-11-25T10:03:00Z\",\"item\":\"sku-b\",\"quantity\":5}");

    Cli run =
        Cli.run(
            "top-sellers",
            "--input=" + dir.resolve("orders.jsonl"),
            "--output=" + dir.resolve("out"),
            "--window=4m",
            "--slide=2m",
            "--windowOffset=90s",
            "--top=1");

    assertThat(run.err, run.exitCode, is(0));
    // Windows start at 1m30s past an even minute: [09:57:30,10:01:30) holds only sku-a's 10:01.
    assertThat(
        Cli.jsonLines(dir.resolve("out")),
        equalTo(
            Cli.sorted(
                "{\"windowStart\":\"2025-11-25T09:57:30Z\",\"windowEnd\":\"2025-11-25T10:01:30Z\",\"rank\":1,\"item\":\"sku-a\",\"quantity\":2}",
                "{\"windowStart\":\"2025-11-25T09:59:30Z\",\"windowEnd\":\"2025-11-25T10:03:30Z\",\"rank\":1,\"item\":\"sku-b\",\"quantity\":6}",
                "{\"windowStart\":\"2025-11-25T10:01:30Z\",\"windowEnd\":\"2025-11-25T10:05:30Z\",\"rank\":1,\"item\":\"sku-b\",\"quantity\":6}")));
    // Each file is named by the slide its windows end with.
    assertThat(
        Cli.fileNames(dir.resolve("out")),
        equalTo(List.of(
            "_SUCCESS",
            "rankings-2025-11-25T09:59:30.000Z-2025-11-25T10:01:30.000Z-pane-0-last-00000-of-00001.jsonl",
            "rankings-2025-11-25T10:01:30.000Z-2025-11-25T10:03:30.000Z-pane-0-last-00000-of-00001.jsonl",
            "rankings-2025-11-25T10:03:30.000Z-2025-11-25T10:05:30.000Z-pane-0-last-00000-of-00001.jsonl")));
  }

  @Test
  void anEmptyInputGivesNoRankingsAndSucceeds() {
    Cli.write(dir.resolve("empty.jsonl"));

    Cli run =
        Cli.run(
            "top-sellers",
            "--input=" + dir.resolve("empty.jsonl"),
            "--output=" + dir.resolve("out"),
            "--deadLetters=" + dir.resolve("dead"));

    assertThat(run.err, run.exitCode, is(0));
    assertThat(Cli.jsonLines(dir.resolve("out")), is(empty()));
    assertThat(Cli.jsonLines(dir.resolve("dead")), is(empty()));
    assertThat(run.out, containsString("events read          0"));
  }

  @Test
  void withoutOutputPrintsATablePerWindow() {
    Cli.write(
        dir.resolve("orders.jsonl"),
        "{\"timestamp\":\"2025-11-25T10:01:00Z\",\"item\":\"sku-a\",\"quantity\":2}",
        "{\"timestamp\":\"2025-11-25T10:02:00Z\",\"item\":\"sku-bb\",\"quantity\":5}");

    Cli run =
        Cli.runCapturingConsole(
            "top-sellers", "--input=" + dir.resolve("orders.jsonl"), "--window=5m", "--slide=5m");

    assertThat(run.err, run.exitCode, is(0));
    assertThat(
        run.console,
        equalTo(
            String.join(
                System.lineSeparator(),
                "",
                "Top sellers, window 2025-11-25T10:00:00Z .. 2025-11-25T10:05:00Z",
                "  rank  item    quantity",
                "     1  sku-bb         5",
                "     2  sku-a          2",
                "")));
    assertThat(run.out, containsString("windows emitted      1"));
  }

  @Test
  void onABoundedInputTheConsolePrintsTheWindowsInTimeOrder() {
    // Twelve windows of one minute, the orders of the later windows first in the file.
    List<String> orders = new ArrayList<>();
    for (int minute = 11; minute >= 0; minute--) {
      orders.add(
          String.format(
              "{\"timestamp\":\"2025-11-25T10:%02d:30Z\",\"item\":\"sku-%d\",\"quantity\":%d}",
              minute, minute, minute + 1));
    }
    Cli.write(dir.resolve("orders.jsonl"), orders.toArray(new String[0]));

    Cli run =
        Cli.runCapturingConsole(
            "top-sellers", "--input=" + dir.resolve("orders.jsonl"), "--window=1m", "--slide=1m");

    assertThat(run.err, run.exitCode, is(0));
    List<String> titles = new ArrayList<>();
    run.console.lines().filter(l -> l.startsWith("Top sellers, window ")).forEach(titles::add);
    List<String> expected = new ArrayList<>();
    for (int minute = 0; minute < 12; minute++) {
      expected.add(
          String.format(
              "Top sellers, window 2025-11-25T10:%02d:00Z .. 2025-11-25T10:%02d:00Z",
              minute, minute + 1));
    }
    assertThat(titles, equalTo(expected));
    assertThat(run.out, containsString("windows emitted      12"));
  }

  @Test
  void aLineThatIsNotValidUtf8IsADeadLetterKeepingItsBytesNotAnItemOfItsOwn() throws Exception {
    // Latin-1 "café" and "cafè" would both decode to "caf\uFFFD" and be summed as one item.
    String prefix = "{\"timestamp\":\"2025-11-25T10:01:00Z\",\"item\":\"caf";
    byte[] latin1E9 = latin1(prefix + "\u00e9\",\"quantity\":2}");
    byte[] latin1E8 = latin1(prefix + "\u00e8\",\"quantity\":3}");
    String valid = prefix + "\u00e9\",\"quantity\":1}";
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    file.writeBytes(latin1E9);
    file.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    file.writeBytes(valid.getBytes(StandardCharsets.UTF_8));
    file.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    file.writeBytes(latin1E8);
    Files.write(dir.resolve("orders.jsonl"), file.toByteArray());

    Cli run =
        Cli.run(
            "top-sellers",
            "--input=" + dir.resolve("orders.jsonl"),
            "--output=" + dir.resolve("out"),
            "--deadLetters=" + dir.resolve("dead"),
            "--window=5m",
            "--slide=5m");

    assertThat(run.err, run.exitCode, is(0));
    assertThat(
        Cli.jsonLines(dir.resolve("out")),
        equalTo(List.of(line("10:00", "10:05", 1, "caf\u00e9", 1))));
    List<JsonNode> deadLetters = new ArrayList<>();
    for (String line : Cli.jsonLines(dir.resolve("dead"))) {
      deadLetters.add(Cli.readTree(line));
    }
    assertThat(deadLetters.size(), is(2));
    List<String> inputs = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    List<byte[]> bytes = new ArrayList<>();
    for (JsonNode letter : deadLetters) {
      inputs.add(letter.get("input").asText());
      errors.add(letter.get("error").asText());
      bytes.add(Base64.getDecoder().decode(letter.get("inputBase64").asText()));
    }
    assertThat(
        inputs,
        containsInAnyOrder(
            prefix + "\uFFFD\",\"quantity\":2}", prefix + "\uFFFD\",\"quantity\":3}"));
    assertThat(
        errors,
        containsInAnyOrder(
            "the line is not valid UTF-8 (byte 0xE9 at offset 47)",
            "the line is not valid UTF-8 (byte 0xE8 at offset 47)"));
    assertThat(bytes, containsInAnyOrder(latin1E9, latin1E8));
  }

  private static byte[] latin1(String line) {
    return line.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String line(String start, String end, int rank, String item, long quantity) {
    return "{\"windowStart\":\"2025-11-25T" + start + ":00Z\",\"windowEnd\":\"2025-11-25T" + end
        + ":00Z\",\"rank\":" + rank + ",\"item\":\"" + item + "\",\"quantity\":" + quantity + "}";
  }
}
