package dev.windowpane.kafka;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * An Apache Kafka 3.9 cluster in KRaft mode on 127.0.0.1: one node, or several, each its own JVM
 * running both the broker and a controller of the metadata quorum ({@code kafka.Kafka} with {@code
 * process.roles=broker,controller}), on the Kafka classpath Maven resolved for this module (never the
 * pipelines' classpath). With three nodes every topic, the consumer offsets and the transaction state
 * are replicated three times and a write needs two in-sync replicas, so one node may die without a
 * loss. Under its directory: {@code cluster.properties} (what was started), {@code node-N/server.properties},
 * {@code node-N/data}, {@code log/node-N.log} and {@code .out}, {@code cluster.pids}.
 *
 * <p>Only the JDK is used here, so the class runs from any classpath (the Makefile, the tests).
 */
public final class KafkaCluster implements AutoCloseable {
  static final String HOST = "127.0.0.1";
  static final String BROKER_CLASS = "kafka.Kafka";
  static final String STORAGE_TOOL_CLASS = "kafka.tools.StorageTool";
  /** What {@code kafka.Kafka} logs once the node serves clients (after the controller unfenced it). */
  static final String STARTED = "Kafka Server started";
  /** Marks a broker JVM, so a pid in cluster.pids reused by another program is never stopped. */
  private static final String ROLE = "-Dwindowpane.kafka.role=";
  private static final String CLASSPATH_RESOURCE = "kafka-classpath.txt";

  /** What to start; every port on 127.0.0.1. */
  public static final class Settings {
    private final Path dir;
    private List<Integer> brokerPorts = List.of(9092);
    private List<Integer> controllerPorts = null;
    private String heap = "512m";
    private Duration startTimeout = Duration.ofSeconds(90);

    public Settings(Path dir) {
      this.dir = dir.toAbsolutePath();
    }

    /** {@code count} nodes whose client ports are {@code firstPort}, {@code firstPort + 1}, ... */
    public Settings brokers(int count, int firstPort) {
      return brokerPorts(IntStream.range(0, count).mapToObj(i -> firstPort + i).toList());
    }

    /** One node per port, listening for clients on it. */
    public Settings brokerPorts(List<Integer> ports) {
      if (ports.isEmpty()) {
        throw new IllegalArgumentException("A Kafka cluster needs at least one broker.");
      }
      this.brokerPorts = List.copyOf(ports);
      return this;
    }

    /** The controllers' ports, one per node; by default free ports the system picks. */
    public Settings controllerPorts(List<Integer> ports) {
      this.controllerPorts = List.copyOf(ports);
      return this;
    }

    public Settings heap(String heap) {
      this.heap = heap;
      return this;
    }

    public Settings startTimeout(Duration timeout) {
      this.startTimeout = timeout;
      return this;
    }

    public Path dir() {
      return dir;
    }

    /** How many copies of every partition the cluster keeps: 3 with three nodes or more, else 1. */
    public int replicationFactor() {
      return Math.min(3, brokerPorts.size());
    }

    /** How many of those copies a write needs: 2 when there are three, else 1. */
    public int minInSyncReplicas() {
      return replicationFactor() >= 3 ? 2 : 1;
    }
  }

  private final Settings settings;
  private final List<Integer> controllerPorts;
  private final Map<Integer, Process> nodes = new LinkedHashMap<>();
  /** Where each node's log stood when it was last started: its "started" line comes after. */
  private final Map<Integer, Long> logOffsets = new LinkedHashMap<>();

  private KafkaCluster(Settings settings, List<Integer> controllerPorts) {
    this.settings = settings;
    this.controllerPorts = controllerPorts;
  }

  /**
   * Formats each node's storage (once: a directory formatted before keeps its data), starts every
   * node and waits until each serves clients; on failure stops whatever it started and throws,
   * naming the log directory.
   */
  public static KafkaCluster start(Settings settings) throws IOException, InterruptedException {
    Path dir = settings.dir;
    Files.createDirectories(dir.resolve("log"));
    int count = settings.brokerPorts.size();
    List<Integer> controllerPorts =
        settings.controllerPorts != null ? settings.controllerPorts
            : IntStream.range(0, count).mapToObj(i -> freePort()).toList();
    KafkaCluster cluster = new KafkaCluster(settings, controllerPorts);
    try {
      String clusterId = clusterId(dir);
      Files.writeString(dir.resolve("log4j.properties"), LOG4J, StandardCharsets.UTF_8);
      Map<Integer, Process> formats = new LinkedHashMap<>();
      for (int node = 1; node <= count; node++) {
        Path nodeDir = dir.resolve("node-" + node);
        Files.createDirectories(nodeDir.resolve("data"));
        Files.writeString(nodeDir.resolve("server.properties"), cluster.serverProperties(node), StandardCharsets.UTF_8);
        if (!Files.exists(nodeDir.resolve("data").resolve("meta.properties"))) {
          formats.put(node, launch(dir, "format-" + node, STORAGE_TOOL_CLASS,
              List.of("format", "-t", clusterId, "-c", nodeDir.resolve("server.properties").toString(),
                  "--ignore-formatted")));
        }
      }
      for (Map.Entry<Integer, Process> format : formats.entrySet()) {
        if (!format.getValue().waitFor(60, TimeUnit.SECONDS) || format.getValue().exitValue() != 0) {
          Path out = dir.resolve("log").resolve("format-" + format.getKey() + ".out");
          throw new IllegalStateException("Formatting Kafka node " + format.getKey() + "'s storage failed: "
              + lastLines(out, 5) + " (see " + out + ").");
        }
      }
      for (int node = 1; node <= count; node++) {
        cluster.launchNode(node);
      }
      cluster.writePids();
      for (int node = 1; node <= count; node++) {
        cluster.awaitStarted(node);
      }
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** The cluster id the nodes' storage was formatted with; a new one for a new directory. */
  private static String clusterId(Path dir) throws IOException {
    Path file = dir.resolve("cluster.id");
    if (Files.exists(file)) {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    }
    String id = newClusterId(new SecureRandom());
    Files.writeString(file, id, StandardCharsets.UTF_8);
    return id;
  }

  /**
   * A random id in Kafka's {@code Uuid} text form (URL-safe Base64 of 16 bytes, unpadded), drawn
   * again, as {@code Uuid.randomUuid()} does, when it would begin with '-' (the storage tool would
   * read it as an option) or equal one of Kafka's reserved ids (all zero bits, or only the lowest set).
   */
  static String newClusterId(Random random) {
    byte[] uuid = new byte[16];
    while (true) {
      random.nextBytes(uuid);
      String id = Base64.getUrlEncoder().withoutPadding().encodeToString(uuid);
      if (!id.startsWith("-") && !isReserved(uuid)) {
        return id;
      }
    }
  }

  private static boolean isReserved(byte[] uuid) {
    for (int i = 0; i < 15; i++) {
      if (uuid[i] != 0) {
        return false;
      }
    }
    return uuid[15] == 0 || uuid[15] == 1;
  }

  /** The last lines of a tool's output, joined by " / ", or a note that it wrote none. */
  private static String lastLines(Path out, int count) throws IOException {
    if (!Files.exists(out)) {
      return "it wrote no output";
    }
    List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8).stream()
        .map(String::strip).filter(line -> !line.isEmpty()).toList();
    return lines.isEmpty() ? "it wrote no output"
        : String.join(" / ", lines.subList(Math.max(0, lines.size() - count), lines.size()));
  }

  private synchronized void launchNode(int node) throws IOException {
    Path log = logDir().resolve("node-" + node + ".log");
    long from = Files.exists(log) ? Files.size(log) : 0;
    Process process =
        launch("node-" + node, BROKER_CLASS,
            List.of(settings.dir.resolve("node-" + node).resolve("server.properties").toString()));
    nodes.put(node, process);
    logOffsets.put(node, from);
  }

  private void awaitStarted(int node) throws IOException, InterruptedException {
    Process process = nodes.get(node);
    Path log = logDir().resolve("node-" + node + ".log");
    long deadline = System.nanoTime() + settings.startTimeout.toNanos();
    while (true) {
      if (Files.exists(log)) {
        byte[] text = Files.readAllBytes(log);
        int from = (int) Math.min(text.length, logOffsets.getOrDefault(node, 0L));
        if (new String(text, from, text.length - from, StandardCharsets.UTF_8).contains(STARTED)) {
          return;
        }
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("Kafka node " + node + " ended while starting (exit code "
            + process.exitValue() + "); see " + log + ".");
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Kafka node " + node + " did not start within "
            + settings.startTimeout.toSeconds() + " s; see " + log + ".");
      }
      Thread.sleep(100);
    }
  }

  private static Process launch(Path dir, String name, String mainClass, List<String> args) throws IOException {
    return launch(dir, name, mainClass, args, "256m");
  }

  private Process launch(String name, String mainClass, List<String> args) throws IOException {
    return launch(settings.dir, name, mainClass, args, settings.heap);
  }

  private static Process launch(Path dir, String name, String mainClass, List<String> args, String heap)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // First, so that it is within the part of the command line the system reports (about 4 KB).
    command.add(ROLE + name);
    command.add("-Xms" + heap);
    command.add("-Xmx" + heap);
    command.add("-Djava.awt.headless=true");
    Path log = dir.resolve("log");
    command.add("-Dwindowpane.kafka.log=" + log.resolve(name + ".log"));
    command.add("-Dlog4j.configuration=" + dir.resolve("log4j.properties").toUri());
    command.add("-cp");
    command.add(kafkaClasspath());
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.resolve(name + ".out").toFile()));
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    return builder.start();
  }

  String serverProperties(int node) {
    int count = settings.brokerPorts.size();
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", node);
    p.put("controller.quorum.voters",
        IntStream.rangeClosed(1, count)
            .mapToObj(n -> n + "@" + HOST + ":" + controllerPorts.get(n - 1))
            .collect(Collectors.joining(",")));
    p.put("listeners", "PLAINTEXT://" + HOST + ":" + settings.brokerPorts.get(node - 1)
        + ",CONTROLLER://" + HOST + ":" + controllerPorts.get(node - 1));
    p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + settings.brokerPorts.get(node - 1));
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
    p.put("log.dirs", settings.dir.resolve("node-" + node).resolve("data"));
    int replicas = settings.replicationFactor();
    int minInSync = settings.minInSyncReplicas();
    // Topics a producer or a pipeline names are created on first use, one partition per worker of
    // the pipelines' default parallelism (2).
    p.put("auto.create.topics.enable", true);
    p.put("num.partitions", 2);
    p.put("default.replication.factor", replicas);
    p.put("min.insync.replicas", minInSync);
    p.put("offsets.topic.replication.factor", replicas);
    p.put("offsets.topic.num.partitions", 10);
    p.put("transaction.state.log.replication.factor", replicas);
    p.put("transaction.state.log.min.isr", minInSync);
    p.put("transaction.state.log.num.partitions", 10);
    p.put("unclean.leader.election.enable", false);
    // A consumer group's first member starts at once instead of waiting 3 s for others.
    p.put("group.initial.rebalance.delay.ms", 0);
    StringBuilder text = new StringBuilder("# Written by dev.windowpane.kafka.KafkaCluster; regenerated at every start.\n");
    p.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
    return text.toString();
  }

  /** The client address of every node, e.g. {@code 127.0.0.1:9092,127.0.0.1:9093}. */
  public String bootstrapServers() {
    return settings.brokerPorts.stream().map(port -> HOST + ":" + port).collect(Collectors.joining(","));
  }

  public int size() {
    return settings.brokerPorts.size();
  }

  public Path logDir() {
    return settings.dir.resolve("log");
  }

  /** Kills node {@code node} (1, 2, ...) with SIGKILL, as a crash would, and waits until it is gone. */
  public synchronized void kill(int node) throws Exception {
    Process process = nodes.get(node);
    if (process == null || !process.isAlive()) {
      throw new IllegalStateException("Kafka node " + node + " is not running.");
    }
    process.destroyForcibly();
    process.onExit().get(30, TimeUnit.SECONDS);
  }

  /** Starts node {@code node} again with its data (e.g. after {@link #kill}) and waits until it serves clients. */
  public void restart(int node) throws IOException, InterruptedException {
    launchNode(node);
    writePids();
    awaitStarted(node);
  }

  /** Stops every node, forcibly after a timeout. */
  @Override
  public synchronized void close() {
    stop(nodes.values().stream().map(Process::toHandle).toList());
    try {
      Files.deleteIfExists(settings.dir.resolve("cluster.pids"));
    } catch (IOException e) {
      // The processes are gone; a stale pid file is checked against the live processes anyway.
    }
  }

  static void stop(List<ProcessHandle> handles) {
    for (ProcessHandle handle : handles) {
      handle.destroy();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    for (ProcessHandle handle : handles) {
      long left = Math.max(0, deadline - System.nanoTime());
      try {
        handle.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        handle.destroyForcibly();
      }
    }
    for (ProcessHandle handle : handles) {
      try {
        handle.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // destroyForcibly is SIGKILL; nothing more to do.
      }
    }
  }

  private synchronized void writePids() throws IOException {
    StringBuilder pids = new StringBuilder();
    for (Process process : nodes.values()) {
      if (process.isAlive()) {
        pids.append(process.pid()).append('\n');
      }
    }
    Files.writeString(settings.dir.resolve("cluster.pids"), pids.toString(), StandardCharsets.UTF_8);
  }

  /** The live broker processes recorded in {@code dir/cluster.pids} (a pid reused by another program does not count). */
  static List<ProcessHandle> recordedProcesses(Path dir) throws IOException {
    Path file = dir.resolve("cluster.pids");
    List<ProcessHandle> live = new ArrayList<>();
    if (!Files.exists(file)) {
      return live;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      Optional<ProcessHandle> handle = ProcessHandle.of(Long.parseLong(line.trim()));
      handle
          .filter(ProcessHandle::isAlive)
          .filter(h -> h.info().commandLine().map(cmd -> cmd.contains(ROLE)).orElse(true))
          .ifPresent(live::add);
    }
    return live;
  }

  /** A port on 127.0.0.1 that was free a moment ago. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether some program listens on {@code port} of 127.0.0.1. */
  public static boolean inUse(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** The Kafka classpath Maven resolved for this module (a resource written at build time). */
  static String kafkaClasspath() throws IOException {
    try (InputStream in = KafkaCluster.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            CLASSPATH_RESOURCE + " is missing: build the kafka-cluster module first (mvn -pl kafka-cluster compile).");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
  }

  private static final String LOG4J =
      String.join("\n",
          "# The brokers' reload4j setup: one file per process, named by -Dwindowpane.kafka.log.",
          "log4j.rootLogger=INFO, file",
          "log4j.appender.file=org.apache.log4j.FileAppender",
          "log4j.appender.file.File=${windowpane.kafka.log}",
          "log4j.appender.file.Append=true",
          "log4j.appender.file.layout=org.apache.log4j.PatternLayout",
          "log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n",
          "log4j.logger.kafka.request.logger=WARN",
          "log4j.logger.org.apache.kafka.controller=INFO",
          "log4j.logger.state.change.logger=WARN",
          "");

  /**
   * {@code up [--dir=DIR] [--port=PORT] [--brokers=N]}: start a cluster that outlives this command,
   * node i listening on PORT + i - 1; {@code down [--dir=DIR]}: stop it. A directory started before
   * with the same nodes keeps its topics.
   */
  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !(args[0].equals("up") || args[0].equals("down"))) {
      System.err.println("Usage: KafkaCluster up|down [--dir=DIR] [--port=PORT] [--brokers=N]");
      System.exit(2);
    }
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 0) {
        System.err.println("Options are --name=value, not '" + arg + "'.");
        System.exit(2);
      }
      options.put(arg.substring(2, eq), arg.substring(eq + 1));
    }
    Path dir = Path.of(options.getOrDefault("dir", "target/kafka-cluster")).toAbsolutePath();
    List<ProcessHandle> running = recordedProcesses(dir);
    Path recorded = dir.resolve("cluster.properties");
    if (args[0].equals("down")) {
      if (running.isEmpty()) {
        System.out.println("No Kafka cluster is running from " + dir + ", so there is nothing to stop.");
        Files.deleteIfExists(dir.resolve("cluster.pids"));
        return;
      }
      stop(running);
      Files.deleteIfExists(dir.resolve("cluster.pids"));
      System.out.println("Stopped the Kafka cluster (" + running.size() + (running.size() == 1 ? " broker" : " brokers") + "); its data and logs stay in " + dir + ".");
      return;
    }
    if (!running.isEmpty()) {
      System.out.println("A Kafka cluster is already running from " + dir + " (" + running.size()
          + (running.size() == 1 ? " broker" : " brokers") + ") at " + readProperty(recorded, "bootstrap.servers", "?") + "; make kafka-down stops it.");
      return;
    }
    int brokers;
    int port;
    try {
      brokers = Integer.parseInt(options.getOrDefault("brokers", "1"));
      port = Integer.parseInt(options.getOrDefault("port", "9092"));
    } catch (NumberFormatException e) {
      System.err.println("--brokers and --port take whole numbers.");
      System.exit(2);
      return;
    }
    if (brokers != 1 && brokers != 3) {
      System.err.println("--brokers is 1 (a single node) or 3 (replication factor 3, min.insync.replicas 2), not " + brokers + ".");
      System.exit(2);
    }
    Settings settings = new Settings(dir).brokers(brokers, port);
    // The same nodes as last time keep their data (and their controllers' ports, which are in it);
    // another layout starts afresh.
    String layout = brokers + "@" + port;
    if (layout.equals(readProperty(recorded, "layout", ""))) {
      settings.controllerPorts(
          java.util.Arrays.stream(readProperty(recorded, "controller.ports", "").split(","))
              .map(Integer::parseInt).toList());
    } else {
      for (int node = 1; node <= 3; node++) {
        deleteRecursively(dir.resolve("node-" + node));
      }
      Files.deleteIfExists(dir.resolve("cluster.id"));
    }
    for (int node = 0; node < brokers; node++) {
      if (inUse(port + node)) {
        System.err.println("Port " + (port + node) + " on " + HOST
            + " is already in use by another program, so the Kafka cluster cannot start (KAFKA_PORT=... picks another).");
        System.exit(1);
      }
    }
    long start = System.nanoTime();
    KafkaCluster cluster = start(settings);
    Properties properties = new Properties();
    properties.setProperty("layout", layout);
    properties.setProperty("bootstrap.servers", cluster.bootstrapServers());
    properties.setProperty("controller.ports",
        cluster.controllerPorts.stream().map(String::valueOf).collect(Collectors.joining(",")));
    try (var out = Files.newBufferedWriter(recorded, StandardCharsets.UTF_8)) {
      properties.store(out, "Written by dev.windowpane.kafka.KafkaCluster");
    }
    System.out.printf("Kafka cluster up in %.1f s: %s on %s (KRaft); data and logs in %s.%n",
        (System.nanoTime() - start) / 1e9,
        brokers == 1 ? "1 broker"
            : brokers + " brokers, replication factor " + settings.replicationFactor() + ", min.insync.replicas "
                + settings.minInSyncReplicas(),
        HOST, dir);
    System.out.println("Bootstrap servers: " + cluster.bootstrapServers());
  }

  private static String readProperty(Path file, String key, String fallback) {
    Properties properties = new Properties();
    try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(in);
      return properties.getProperty(key, fallback);
    } catch (IOException e) {
      return fallback;
    }
  }

  private static void deleteRecursively(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (java.util.stream.Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
