package dev.windowpane.pipelines.runners;

import static dev.windowpane.pipelines.runners.RunFiles.read;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import dev.windowpane.pipelines.kafka.LocalKafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Failures around Kafka, each pipeline its own JVM reading a real topic and writing a real topic,
 * compared with a failure-free file run of the same events (top-sellers, 10m windows every 1m,
 * top 5): on a three-node cluster a broker killed with SIGKILL mid-run and started again later
 * (nothing lost); with {@code --exactlyOnce} on Flink the pipeline process killed with SIGKILL
 * mid-stream and started again with its checkpoint directory (every window's ranking in the output
 * topic exactly once for a read_committed consumer, no input record counted twice).
 */
class KafkaFailuresTest {
  private static final List<String> WINDOWS = List.of("--window=10m", "--slide=1m", "--top=5");

  /** Kept after the test (under target/), with the runs' logs. */
  private Path dir;

  @org.junit.jupiter.api.BeforeEach
  void createDirectory(org.junit.jupiter.api.TestInfo test) throws IOException {
    dir = RunFiles.integrationTestDirectory("kafka-" + test.getTestMethod().get().getName());
  }

  @Test
  void aBrokerKilledMidRunAndStartedAgainLosesNothing() throws Exception {
    LocalKafka kafka = LocalKafka.nodes(3);
    kafka.beforeAll(null);
    try {
      List<String> orders = generated(8000, 21);
      kafka.createTopic("orders", 2);
      kafka.write("orders", 2, orders.subList(0, 5000));
      List<String> pipeline = new ArrayList<>(List.of("top-sellers", "--source=kafka",
          "--bootstrapServers=" + kafka.bootstrapServers(), "--topic=orders", "--sink=kafka", "--outputTopic=rankings",
          "--partitionIdleness=20s"));
      pipeline.addAll(WINDOWS);
      Process run = start(pipeline, dir.resolve("run.log"));
      try {
        RunFiles.await(() -> !kafka.readAll("rankings", 1, Duration.ofSeconds(1)).isEmpty(), run, 120, "its first ranking");
        kafka.cluster().kill(2);
        // Written while a node is down: two in-sync replicas of three take every write.
        kafka.write("orders", 2, orders.subList(5000, 8000));
        Thread.sleep(5000);
        kafka.cluster().restart(2);
        List<String> expected = fileRankings(orders, "broker");
        List<String> actual = awaitRankings(kafka, "rankings", expected.size(), run, 240);
        assertThat(read(dir.resolve("run.log")), actual, is(expected));
      } finally {
        run.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    } finally {
      kafka.afterAll(null);
    }
  }

  /**
   * Killed twice: first right after its first commit, so that it resumes from a checkpoint taken
   * before the sink had any state (the committed progress on Kafka is adopted), then after a
   * checkpoint that holds the sink's progress (what it committed since is dropped on replay).
   */
  @Test
  void aKilledExactlyOnceRunStartedAgainWritesEveryRankingOnce() throws Exception {
    LocalKafka kafka = LocalKafka.nodes(1);
    kafka.beforeAll(null);
    try {
      List<String> orders = generated(8000, 22);
      kafka.createTopic("orders", 2);
      Path checkpoints = dir.resolve("checkpoints");
      List<String> pipeline = new ArrayList<>(List.of("top-sellers", "--runner=FlinkRunner", "--parallelism=2",
          "--source=kafka", "--bootstrapServers=" + kafka.bootstrapServers(), "--topic=orders", "--groupId=sellers",
          "--sink=kafka", "--outputTopic=rankings", "--exactlyOnce", "--checkpointDir=" + checkpoints,
          "--checkpointingInterval=10s", "--minPauseBetweenCheckpoints=5000"));
      pipeline.addAll(WINDOWS);
      AtomicInteger written = new AtomicInteger();
      Thread producer = new Thread(() -> produce(kafka, orders, 50, written), "produce-orders");
      Process first = start(pipeline, dir.resolve("first.log"));
      producer.start();
      Optional<Path> beforeTheFirstCommit;
      try {
        RunFiles.await(() -> !kafka.readAll("rankings", 1, Duration.ofSeconds(1)).isEmpty(), first, 120,
            "its first committed ranking");
      } finally {
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        beforeTheFirstCommit = CheckpointDirectory.at(checkpoints.toString()).newestCheckpoint();
      }
      int writtenAtTheKill = written.get();
      int committedBeforeTheKill = kafka.readAll("rankings", Integer.MAX_VALUE, Duration.ofSeconds(2)).size();
      System.out.println("exactly-once: killed the first run after its first commit, at " + beforeTheFirstCommit.get()
          + ", with " + committedBeforeTheKill + " ranking lines committed and " + writtenAtTheKill + " of "
          + orders.size() + " orders written");
      // Mid-stream: orders are still being written.
      assertThat(writtenAtTheKill, lessThan(orders.size()));

      Process second = start(pipeline, dir.resolve("second.log"));
      try {
        RunFiles.await(() -> kafka.readAll("rankings", Integer.MAX_VALUE, Duration.ofSeconds(1)).size() > committedBeforeTheKill,
            second, 120, "a ranking committed after the first kill");
        // And a checkpoint after it, which holds the sink's progress.
        Optional<Path> committedWith = CheckpointDirectory.at(checkpoints.toString()).newestCheckpoint();
        RunFiles.await(() -> !CheckpointDirectory.at(checkpoints.toString()).newestCheckpoint().equals(committedWith),
            second, 120, "a checkpoint after its first commit");
      } finally {
        second.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      String secondLog = read(dir.resolve("second.log"));
      assertThat(secondLog, containsString("Resuming from checkpoint " + beforeTheFirstCommit.get()));
      assertThat(secondLog, containsString("resuming the progress committed on Kafka before the restored checkpoint"));

      Process third = start(pipeline, dir.resolve("third.log"));
      try {
        List<String> expected = fileRankings(orders, "exactly-once");
        List<String> actual = awaitRankings(kafka, "rankings", expected.size(), third, 240);
        String log = read(dir.resolve("third.log"));
        assertThat(log, containsString("Resuming from checkpoint " + checkpoints));
        assertThat(log, actual, is(expected));
      } finally {
        third.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        producer.join(60_000);
      }
    } finally {
      kafka.afterAll(null);
    }
  }

  /**
   * The sorted committed values of {@code topic} once it holds {@code expected} of them and nothing
   * more came for 10 s (a duplicate would come as one more); fails when the run ends or takes too long first.
   */
  private static List<String> awaitRankings(LocalKafka kafka, String topic, int expected, Process run, int seconds)
      throws Exception {
    RunFiles.await(() -> kafka.readAll(topic, expected, Duration.ofSeconds(2)).size() >= expected, run, seconds,
        expected + " ranking lines in " + topic);
    return kafka.sortedValues(topic, Integer.MAX_VALUE, Duration.ofSeconds(10));
  }

  private static void produce(LocalKafka kafka, List<String> lines, int perSecond, AtomicInteger written) {
    try (KafkaProducer<String, String> producer = kafka.producer()) {
      long start = System.nanoTime();
      for (int i = 0; i < lines.size(); i++) {
        long wait = start + i * 1_000_000_000L / perSecond - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000);
        }
        producer.send(new ProducerRecord<>("orders", i % 2, null, lines.get(i))).get();
        written.incrementAndGet();
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private List<String> generated(int count, int seed) throws Exception {
    Path file = dir.resolve("orders-" + seed + ".jsonl");
    Process generate = start(List.of("generate", "--maxEvents=" + count, "--seed=" + seed, "--output=" + file),
        dir.resolve("generate.log"));
    assertThat(read(dir.resolve("generate.log")), generate.waitFor(60, TimeUnit.SECONDS) && generate.exitValue() == 0, is(true));
    return Files.readAllLines(file, StandardCharsets.UTF_8);
  }

  private List<String> fileRankings(List<String> orders, String name) throws Exception {
    Path input = dir.resolve(name + ".jsonl");
    Files.write(input, orders, StandardCharsets.UTF_8);
    List<String> args = new ArrayList<>(List.of("top-sellers", "--input=" + input));
    args.addAll(WINDOWS);
    return RunFiles.directRunnerRankings(args, dir.resolve(name + "-out"));
  }

  private static Process start(List<String> args, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx768m");
    command.add("-Dorg.slf4j.simpleLogger.log.org.apache.beam.sdk.io.kafka.ResumableExactlyOnceSink=info");
    // What the bundled jar's manifest opens for embedded Flink (Kryo, for the exactly-once sink's state).
    command.addAll(dev.windowpane.cluster.FlinkCluster.JAVA_17_OPTS);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.windowpane.pipelines.Main");
    command.addAll(args);
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }
}
