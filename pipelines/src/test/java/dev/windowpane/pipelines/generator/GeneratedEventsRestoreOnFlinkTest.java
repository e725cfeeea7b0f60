package dev.windowpane.pipelines.generator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import dev.windowpane.pipelines.events.Order;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The generator on embedded Flink (streaming, parallelism 2, retained checkpoints every 3 s),
 * cancelled after a completed checkpoint and started again from it (Beam issue 31313: on restore,
 * Beam 2.62's FLIP-27 source enumerator assigns every split again, so an {@code UnboundedSource}
 * replays from the start beside its restored state).
 *
 * <p>The assertion is on exactly-once state, not on the at-least-once file sink: a stateful step
 * (one key) keeps a bit per event index seen and reports "DUP i" when an index comes again, and
 * "COUNT distinct total" when the watermark reaches the end of time after the last event. Its state
 * is checkpointed with the source's position, so the events of the first run after its last
 * checkpoint, which the restored run legitimately reads again, are not in the restored state: any
 * "DUP" is a replay the checkpoint does not account for. The restored run must report no "DUP", no
 * wrong event (an event that differs from {@link Generator#event} for its index, or whose timestamp
 * is not {@link Generator#eventTime}), and "COUNT N N". The raw lines of both runs are also
 * counted: the union holds every index, and the restored run reads none twice.
 *
 * <p>The event index is recovered from the element timestamp: lateBy is not a multiple of the
 * spacing, so a late event's timestamp is never another event's place.
 */
class GeneratedEventsRestoreOnFlinkTest {
  private static final long MAX_EVENTS = 3000;
  private static final long EVENTS_PER_SECOND = 250;
  private static final Instant ORIGIN = Instant.parse("2025-01-01T00:00:00Z");
  private static final Duration SPACING = Duration.millis(300);
  private static final Duration LATE_BY = Duration.millis(60_150);

  @TempDir Path dir;

  @ParameterizedTest(name = "latePercent={0}")
  @ValueSource(ints = {0, 10})
  void aRestoredGeneratorReadsEveryEventExactlyOnce(int latePercent) throws Exception {
    Generator generator = Generator.of(3, ORIGIN, SPACING).withMaxEvents(MAX_EVENTS);
    if (latePercent > 0) {
      generator = generator.withLateEvents(latePercent, LATE_BY);
    }
    Path out = Files.createDirectories(dir.resolve("out"));

    // Run 1: until a checkpoint completed with a few hundred events read, then cancel.
    Path checkpoints1 = dir.resolve("checkpoints1");
    PipelineResult first = pipeline(generator, out, "run1", checkpoints1, null).run();
    Path checkpoint;
    try {
      checkpoint = awaitCheckpoint(checkpoints1, out, "run1", Duration.standardSeconds(40));
    } finally {
      first.cancel();
    }
    Thread.sleep(1000);

    // Run 2: restored from that checkpoint, until the stateful step reports its count.
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Files.writeString(
        conf.resolve("flink-conf.yaml"),
        "execution.savepoint.path: " + checkpoint.toUri() + "\n",
        StandardCharsets.UTF_8);
    PipelineResult second =
        pipeline(generator, out, "run2", dir.resolve("checkpoints2"), conf.toString()).run();
    Optional<String> count;
    try {
      count = awaitLine(out, "state-run2", "COUNT", Duration.standardSeconds(40));
    } finally {
      second.cancel();
    }
    Thread.sleep(500);

    List<String> run1 = lines(out, "raw-run1");
    List<String> run2 = lines(out, "raw-run2");
    List<String> state = new ArrayList<>(lines(out, "state-run1"));
    state.addAll(lines(out, "state-run2"));
    Map<Long, Integer> inRun1 = counts(run1);
    Map<Long, Integer> inRun2 = counts(run2);
    long replayedInRun2 = inRun2.keySet().stream().filter(inRun1::containsKey).count();
    long twiceInRun2 = inRun2.values().stream().filter(c -> c > 1).count();
    long missing = 0;
    for (long i = 0; i < MAX_EVENTS; i++) {
      if (!inRun1.containsKey(i) && !inRun2.containsKey(i)) {
        missing++;
      }
    }
    List<String> wrong =
        Stream.concat(run1.stream(), run2.stream()).filter(l -> l.startsWith("WRONG")).collect(Collectors.toList());
    List<String> duplicates = state.stream().filter(l -> l.startsWith("DUP")).collect(Collectors.toList());
    System.out.printf(
        "latePercent=%d checkpoint=%s: run1 %d lines (%d indexes, max %d), run2 %d lines (%d indexes, min %s),"
            + " read again in run2 %d, twice within run2 %d, missing %d, wrong %d, state DUP %d, %s;"
            + " subtasks that read: run1 %d, run2 %d%n",
        latePercent, dir.relativize(checkpoint), run1.size(), inRun1.size(), max(inRun1), run2.size(),
        inRun2.size(), inRun2.isEmpty() ? "-" : ((TreeMap<Long, Integer>) inRun2).firstKey(),
        replayedInRun2, twiceInRun2, missing, wrong.size(), duplicates.size(), count.orElse("no COUNT"),
        filesWithLines(out, "raw-run1"), filesWithLines(out, "raw-run2"));

    assertThat(wrong.stream().limit(5).collect(Collectors.toList()), is(empty()));
    assertThat(duplicates.stream().limit(5).collect(Collectors.toList()), is(empty()));
    assertThat(count.orElse("no COUNT"), equalTo("COUNT " + MAX_EVENTS + " " + MAX_EVENTS));
    assertThat(inRun1.size(), greaterThan(0));
    assertThat(missing, is(0L));
    assertThat(twiceInRun2, is(0L));
  }

  private static long max(Map<Long, Integer> counts) {
    return counts.isEmpty() ? -1 : ((TreeMap<Long, Integer>) counts).lastKey();
  }

  private static Pipeline pipeline(
      Generator generator, Path out, String run, Path checkpoints, String flinkConfDir) {
    FlinkPipelineOptions options = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    options.setRunner(FlinkRunner.class);
    options.setFlinkMaster("[local]");
    options.setStreaming(true);
    options.setParallelism(2);
    options.setCheckpointingInterval(3000L);
    options.setStateBackend("filesystem");
    options.setStateBackendStoragePath(checkpoints.toUri().toString());
    options.setExternalizedCheckpointsEnabled(true);
    options.setRetainExternalizedCheckpointsOnCancellation(true);
    options.setAttachedMode(false);
    if (flinkConfDir != null) {
      options.setFlinkConfDir(flinkConfDir);
    }
    Pipeline p = Pipeline.create(options);
    PCollection<String> indexes =
        p.apply("Generate", GeneratedEvents.of(EventKind.ORDERS, generator, EVENTS_PER_SECOND))
            .apply("Index", ParDo.of(new IndexFn(generator)));
    indexes.apply("WriteRaw", ParDo.of(new AppendFn(out.toString(), "raw-" + run)));
    indexes
        .apply("Key", WithKeys.<String, String>of("all"))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
        .apply("Seen", ParDo.of(new SeenFn()))
        .apply("WriteState", ParDo.of(new AppendFn(out.toString(), "state-" + run)));
    return p;
  }

  /** "i" for event i, or "WRONG ..." when the event or its timestamp is not event i's. */
  private static final class IndexFn extends DoFn<Order, String> {
    private final Generator generator;

    IndexFn(Generator generator) {
      this.generator = generator;
    }

    @ProcessElement
    public void processElement(@Element Order order, @Timestamp Instant timestamp, OutputReceiver<String> out) {
      long sinceOrigin = timestamp.getMillis() - ORIGIN.getMillis();
      long spacing = SPACING.getMillis();
      long index =
          Math.floorMod(sinceOrigin, spacing) == 0
              ? sinceOrigin / spacing
              : (sinceOrigin + LATE_BY.getMillis()) / spacing;
      boolean right =
          index >= 0
              && index < MAX_EVENTS
              && generator.eventTime(index).equals(timestamp)
              && EventKind.ORDERS.toJson(generator.event(EventKind.ORDERS, index)).equals(EventKind.ORDERS.toJson(order));
      out.output(right ? Long.toString(index) : "WRONG " + index + " @ " + timestamp + " " + EventKind.ORDERS.toJson(order));
    }
  }

  /** Exactly-once bookkeeping in Beam state: "DUP i" for an index seen before; "COUNT distinct total" at the end. */
  private static final class SeenFn extends DoFn<KV<String, String>, String> {
    @StateId("seen")
    private final StateSpec<ValueState<BitSet>> seenSpec = StateSpecs.value(SerializableCoder.of(BitSet.class));

    @StateId("total")
    private final StateSpec<ValueState<Long>> totalSpec = StateSpecs.value(VarLongCoder.of());

    @TimerId("end")
    private final TimerSpec endSpec = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @ProcessElement
    public void processElement(
        @Element KV<String, String> element,
        @StateId("seen") ValueState<BitSet> seenState,
        @StateId("total") ValueState<Long> totalState,
        @TimerId("end") Timer end,
        OutputReceiver<String> out) {
      String line = element.getValue();
      if (line.startsWith("WRONG")) {
        return;
      }
      int index = Integer.parseInt(line);
      BitSet seen = seenState.read();
      Long total = totalState.read();
      if (seen == null) {
        seen = new BitSet();
        end.set(GlobalWindow.INSTANCE.maxTimestamp());
      }
      if (seen.get(index)) {
        out.output("DUP " + index);
      }
      seen.set(index);
      seenState.write(seen);
      totalState.write(total == null ? 1 : total + 1);
    }

    @OnTimer("end")
    public void onEnd(
        @StateId("seen") ValueState<BitSet> seenState,
        @StateId("total") ValueState<Long> totalState,
        OutputReceiver<String> out) {
      BitSet seen = seenState.read();
      Long total = totalState.read();
      out.output("COUNT " + (seen == null ? 0 : seen.cardinality()) + " " + (total == null ? 0 : total));
    }
  }

  /** Appends every line to a file of its own under dir, flushed per line, so it survives a cancel. */
  private static final class AppendFn extends DoFn<String, Void> {
    private final String dir;
    private final String prefix;
    private transient Writer writer;

    AppendFn(String dir, String prefix) {
      this.dir = dir;
      this.prefix = prefix;
    }

    @Setup
    public void setup() throws IOException {
      writer =
          Files.newBufferedWriter(
              Path.of(dir, prefix + "-" + UUID.randomUUID() + ".txt"),
              StandardCharsets.UTF_8,
              StandardOpenOption.CREATE_NEW);
    }

    @ProcessElement
    public void processElement(@Element String line) throws IOException {
      writer.write(line);
      writer.write('\n');
      writer.flush();
    }

    @Teardown
    public void teardown() throws IOException {
      if (writer != null) {
        writer.close();
      }
    }
  }

  private static Path awaitCheckpoint(Path checkpoints, Path out, String run, Duration timeout) throws Exception {
    long deadline = System.currentTimeMillis() + timeout.getMillis();
    while (System.currentTimeMillis() < deadline) {
      Optional<Path> latest = latestCheckpoint(checkpoints);
      if (latest.isPresent() && checkpointNumber(latest.get()) >= 2 && lines(out, "raw-" + run).size() >= 300) {
        return latest.get();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("No completed checkpoint under " + checkpoints + " within " + timeout);
  }

  /** The newest chk-N with a _metadata file under dir/<jobId>/. */
  private static Optional<Path> latestCheckpoint(Path checkpoints) throws IOException {
    if (!Files.isDirectory(checkpoints)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.walk(checkpoints, 3)) {
      return files
          .filter(f -> f.getFileName().toString().equals("_metadata"))
          .map(Path::getParent)
          .filter(d -> d.getFileName().toString().startsWith("chk-"))
          .max((a, b) -> Long.compare(checkpointNumber(a), checkpointNumber(b)));
    }
  }

  private static long checkpointNumber(Path chk) {
    return Long.parseLong(chk.getFileName().toString().substring("chk-".length()));
  }

  private static Optional<String> awaitLine(Path out, String prefix, String start, Duration timeout)
      throws Exception {
    long deadline = System.currentTimeMillis() + timeout.getMillis();
    while (System.currentTimeMillis() < deadline) {
      Optional<String> line = lines(out, prefix).stream().filter(l -> l.startsWith(start)).findFirst();
      if (line.isPresent()) {
        return line;
      }
      Thread.sleep(200);
    }
    return Optional.empty();
  }

  private static List<String> lines(Path out, String prefix) throws IOException {
    List<String> result = new ArrayList<>();
    try (Stream<Path> files = Files.list(out)) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith(prefix + "-")).collect(Collectors.toList())) {
        for (String l : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          if (!l.isEmpty()) {
            result.add(l);
          }
        }
      }
    }
    return result;
  }

  /** How many writers (one per subtask the raw sink ran on, chained to the read) wrote a line. */
  private static long filesWithLines(Path out, String prefix) throws IOException {
    try (Stream<Path> files = Files.list(out)) {
      return files
          .filter(f -> f.getFileName().toString().startsWith(prefix + "-"))
          .filter(f -> f.toFile().length() > 0)
          .count();
    }
  }

  private static Map<Long, Integer> counts(List<String> lines) {
    Map<Long, Integer> counts = new TreeMap<>();
    for (String l : lines) {
      if (!l.startsWith("WRONG")) {
        counts.merge(Long.parseLong(l), 1, Integer::sum);
      }
    }
    return counts;
  }
}
