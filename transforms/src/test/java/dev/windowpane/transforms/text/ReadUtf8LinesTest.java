package dev.windowpane.transforms.text;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.windowpane.transforms.json.DeadLetter;
import dev.windowpane.transforms.testing.TestPipelines;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Reify;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadUtf8LinesTest {
  /** What TextIO read, collected in this JVM (a PAssert function runs on a copy of itself). */
  private static final List<String> TEXT_IO_LINES = Collections.synchronizedList(new ArrayList<>());

  @TempDir Path dir;

  private static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      if (part instanceof String) {
        out.writeBytes(((String) part).getBytes(StandardCharsets.UTF_8));
      } else if (part instanceof Integer) {
        out.write((Integer) part);
      } else {
        out.writeBytes((byte[]) part);
      }
    }
    return out.toByteArray();
  }

  private void write(String name, byte[] content) throws IOException {
    Files.write(dir.resolve(name), content);
  }

  @Test
  void readsValidFilesExactlyAsTextIoDoes() throws IOException {
    // A BOM, CRLF, a lone CR, blank lines, unicode, no final terminator, an empty file, a file of
    // one terminator, a 1 MB line; the files read through a glob.
    write("a.jsonl", bytes(0xEF, 0xBB, 0xBF, "first\r\nsecond\r\n\r\nthird\rfourth\n"));
    write("b.jsonl", bytes("café ☕ 😀\n\nno terminator"));
    write("c.jsonl", new byte[0]);
    write("d.jsonl", bytes("\n"));
    write("e.jsonl", bytes("x".repeat(1 << 20), "\r\n", "\u2028 inside\r"));
    write("f.jsonl", bytes("mid-file ", 0xEF, 0xBB, 0xBF, " stays\n"));
    String glob = dir.resolve("*.jsonl").toString();

    Pipeline reference = TestPipelines.create();
    TEXT_IO_LINES.clear();
    PAssert.that(reference.apply(TextIO.read().from(glob)))
        .satisfies(
            lines -> {
              lines.forEach(TEXT_IO_LINES::add);
              return null;
            });
    TestPipelines.run(reference);
    List<String> expected = new ArrayList<>(TEXT_IO_LINES);

    Pipeline p = TestPipelines.create();
    ReadUtf8Lines.Result read = p.apply(ReadUtf8Lines.from(glob));
    PAssert.that(read.lines()).containsInAnyOrder(expected);
    PAssert.that(read.deadLetters()).empty();
    TestPipelines.run(p);

    assertThat(expected.size(), equalTo(12));
    assertThat(expected.contains("first"), equalTo(true));
    assertThat(expected.contains("café ☕ 😀"), equalTo(true));
  }

  @Test
  void aLineThatIsNotValidUtf8IsADeadLetterKeepingItsBytes() throws IOException {
    byte[] latin1E9 = bytes("{\"item\":\"caf", 0xE9, "\"}");
    byte[] latin1E8 = bytes("{\"item\":\"caf", 0xE8, "\"}");
    byte[] truncated = bytes("ends in the middle of ☕ ", 0xE2, 0x98);
    byte[] overlong = bytes("/", 0xC0, 0xAF);
    byte[] surrogate = bytes("x", 0xED, 0xA0, 0x80);
    write(
        "in.jsonl",
        bytes(
            0xEF, 0xBB, 0xBF, latin1E9, "\r\n", "{\"item\":\"café\"}\n", latin1E8, "\n", truncated,
            "\n", overlong, "\r", surrogate));

    Pipeline p = TestPipelines.create();
    ReadUtf8Lines.Result read = p.apply(ReadUtf8Lines.from(dir.resolve("in.jsonl").toString()));
    PAssert.that(read.lines()).containsInAnyOrder("{\"item\":\"café\"}");
    PAssert.that(read.deadLetters())
        .containsInAnyOrder(
            DeadLetter.ofBytes(latin1E9, "the line is not valid UTF-8 (byte 0xE9 at offset 12)"),
            DeadLetter.ofBytes(latin1E8, "the line is not valid UTF-8 (byte 0xE8 at offset 12)"),
            DeadLetter.ofBytes(truncated, "the line is not valid UTF-8 (byte 0xE2 at offset 26)"),
            DeadLetter.ofBytes(overlong, "the line is not valid UTF-8 (byte 0xC0 at offset 1)"),
            DeadLetter.ofBytes(surrogate, "the line is not valid UTF-8 (byte 0xED at offset 1)"));
    PCollection<TimestampedValue<String>> stamped =
        read.lines().apply("Stamps", Reify.timestamps());
    PAssert.that(stamped)
        .containsInAnyOrder(
            TimestampedValue.of("{\"item\":\"café\"}", BoundedWindow.TIMESTAMP_MIN_VALUE));
    TestPipelines.run(p);

    DeadLetter letter =
        DeadLetter.ofBytes(latin1E9, "the line is not valid UTF-8 (byte 0xE9 at offset 12)");
    assertThat(letter.input(), equalTo("{\"item\":\"caf\uFFFD\"}"));
    assertThat(Base64.getDecoder().decode(letter.inputBase64().get()), equalTo(latin1E9));
  }
}
