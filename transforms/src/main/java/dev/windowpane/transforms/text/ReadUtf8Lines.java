package dev.windowpane.transforms.text;

import dev.windowpane.transforms.json.DeadLetter;
import dev.windowpane.transforms.json.ParseJsonLines;
import dev.windowpane.transforms.json.WithDeadLetters;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.Channels;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads the lines of the files matching a file pattern (a glob works; compressed files are read
 * by their extension, as {@code FileIO} does), decoding each line strictly as UTF-8. A line that
 * is not valid UTF-8 (a Latin-1 {@code é}, a truncated or overlong sequence, an encoded surrogate)
 * is not decoded with replacement characters, as {@code TextIO} does, but becomes a {@link
 * DeadLetter} saying so ("the line is not valid UTF-8 (byte 0xE9 at offset 12)", the offset
 * counted in bytes from the start of the line) that keeps its exact bytes ({@link
 * DeadLetter#ofBytes}).
 *
 * <p>Lines are split as {@code TextIO} splits them: at {@code \n}, {@code \r\n} or a lone {@code
 * \r}; the terminator is not part of the line; a last line without one is read; a file that ends
 * with a terminator has no empty line after it; an empty file has no lines. A UTF-8 byte order
 * mark at the start of a file is dropped. Lines and dead letters carry the timestamp of the
 * matched file, the minimum timestamp, so that {@link ParseJsonLines#withEventTime} moves each
 * event forward to its event time.
 *
 * <p>Cost: one pass over the bytes, one line in memory at a time (a line may be as long as the
 * heap allows). A file is read by one {@code DoFn} call, so one file is not split across workers
 * as {@code TextIO} splits it: the files of a glob are read in parallel, a single large file by
 * one worker. Counters (namespace {@code windowpane}): a line that is not valid UTF-8 counts in
 * {@code eventsRead} and {@code deadLetters} as {@link ParseJsonLines} counts the others.
 */
public final class ReadUtf8Lines extends PTransform<PBegin, ReadUtf8Lines.Result> {
  private final String filepattern;

  private ReadUtf8Lines(String filepattern) {
    this.filepattern = Objects.requireNonNull(filepattern, "filepattern");
  }

  /** The lines of every file matching {@code filepattern}; no match is an error, as in TextIO. */
  public static ReadUtf8Lines from(String filepattern) {
    return new ReadUtf8Lines(filepattern);
  }

  @Override
  public Result expand(PBegin begin) {
    TupleTag<String> linesTag = new TupleTag<>("lines");
    TupleTag<DeadLetter> deadLetterTag = new TupleTag<>("deadLetters");
    PCollectionTuple outputs =
        begin
            .apply(
                "MatchFiles",
                FileIO.match()
                    .filepattern(filepattern)
                    .withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
            .apply("OpenFiles", FileIO.readMatches())
            .apply(
                "SplitLines",
                ParDo.of(new SplitLinesFn(linesTag, deadLetterTag))
                    .withOutputTags(linesTag, TupleTagList.of(deadLetterTag)));
    return new Result(
        begin.getPipeline(),
        linesTag,
        outputs.get(linesTag).setCoder(StringUtf8Coder.of()),
        deadLetterTag,
        outputs.get(deadLetterTag).setCoder(DeadLetter.coder()));
  }

  /** The two outputs of {@link ReadUtf8Lines}: the decoded lines and the undecodable ones. */
  public static final class Result extends WithDeadLetters<String> {
    private Result(
        Pipeline pipeline,
        TupleTag<String> valuesTag,
        PCollection<String> values,
        TupleTag<DeadLetter> deadLetterTag,
        PCollection<DeadLetter> deadLetters) {
      super(pipeline, valuesTag, values, deadLetterTag, deadLetters);
    }

    /** Every line that is valid UTF-8, decoded. */
    public PCollection<String> lines() {
      return values();
    }
  }

  /** Splits one file into lines and decodes each strictly. */
  private static final class SplitLinesFn extends DoFn<FileIO.ReadableFile, String> {
    private static final int BUFFER_BYTES = 64 * 1024;

    private final TupleTag<String> linesTag;
    private final TupleTag<DeadLetter> deadLetterTag;
    private final Counter eventsRead =
        Metrics.counter(ParseJsonLines.METRICS_NAMESPACE, ParseJsonLines.EVENTS_READ);
    private final Counter deadLetters =
        Metrics.counter(ParseJsonLines.METRICS_NAMESPACE, ParseJsonLines.DEAD_LETTERS);
    private transient CharsetDecoder decoder;

    SplitLinesFn(TupleTag<String> linesTag, TupleTag<DeadLetter> deadLetterTag) {
      this.linesTag = linesTag;
      this.deadLetterTag = deadLetterTag;
    }

    @Setup
    public void setup() {
      decoder =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    @ProcessElement
    public void processElement(@Element FileIO.ReadableFile file, MultiOutputReceiver out)
        throws IOException {
      LineBytes line = new LineBytes();
      byte[] buffer = new byte[BUFFER_BYTES];
      boolean afterCr = false;
      try (InputStream in = Channels.newInputStream(file.open())) {
        int read;
        while ((read = in.read(buffer)) != -1) {
          int start = 0;
          for (int i = 0; i < read; i++) {
            byte b = buffer[i];
            if (afterCr && b == '\n') {
              // The \n of a \r\n: the line ended at the \r.
              afterCr = false;
              start = i + 1;
              continue;
            }
            afterCr = b == '\r';
            if (b == '\n' || b == '\r') {
              line.append(buffer, start, i - start);
              emit(line, out);
              start = i + 1;
            }
          }
          line.append(buffer, start, read - start);
        }
      }
      if (line.length > 0) {
        emit(line, out);
      }
    }

    /** Outputs the line (or its dead letter) and starts the next one. */
    private void emit(LineBytes line, MultiOutputReceiver out) {
      int from = 0;
      if (line.first) {
        line.first = false;
        if (line.startsWithByteOrderMark()) {
          from = 3;
        }
      }
      int length = line.length - from;
      ByteBuffer bytes = ByteBuffer.wrap(line.bytes, from, length);
      CharBuffer chars = CharBuffer.allocate(length);
      decoder.reset();
      CoderResult result = decoder.decode(bytes, chars, true);
      if (!result.isError()) {
        result = decoder.flush(chars);
      }
      if (result.isError()) {
        int offset = bytes.position() - from;
        String error =
            String.format(
                "the line is not valid UTF-8 (byte 0x%02X at offset %d)",
                line.bytes[bytes.position()] & 0xFF, offset);
        eventsRead.inc();
        deadLetters.inc();
        out.get(deadLetterTag)
            .output(DeadLetter.ofBytes(Arrays.copyOfRange(line.bytes, from, line.length), error));
      } else {
        chars.flip();
        out.get(linesTag).output(chars.toString());
      }
      line.length = 0;
    }
  }

  /** The bytes of the line being read: a growable array, reused from line to line of a file. */
  private static final class LineBytes {
    byte[] bytes = new byte[1024];
    int length;
    boolean first = true;

    void append(byte[] from, int offset, int count) {
      if (length + count > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + count));
      }
      System.arraycopy(from, offset, bytes, length, count);
      length += count;
    }

    boolean startsWithByteOrderMark() {
      return length >= 3
          && bytes[0] == (byte) 0xEF
          && bytes[1] == (byte) 0xBB
          && bytes[2] == (byte) 0xBF;
    }
  }
}
