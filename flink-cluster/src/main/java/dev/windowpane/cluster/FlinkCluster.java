package dev.windowpane.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Flink 1.19 session cluster on 127.0.0.1: one JobManager ({@code
 * StandaloneSessionClusterEntrypoint}, with the web UI and REST API) and N TaskManagers ({@code
 * TaskManagerRunner}), each its own JVM with a heap limit, all on the Flink classpath Maven resolved
 * for this module (never the pipelines' classpath). Under its directory: {@code conf/config.yaml},
 * {@code conf/log4j.properties}, {@code log/} (one {@code .log} and one {@code .out} per process),
 * {@code cluster.pids}.
 *
 * <p>Only the JDK is used here, so the class runs from any classpath (the Makefile, the tests).
 */
public final class FlinkCluster implements AutoCloseable {
  /** The Java 17 flags of Flink 1.19's default {@code env.java.opts.all} (its distribution's config.yaml). */
  public static final List<String> JAVA_17_OPTS =
      List.of(
          "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
          "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
          "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.text=ALL-UNNAMED",
          "--add-opens=java.base/java.time=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

  static final String JOBMANAGER_CLASS = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  static final String TASKMANAGER_CLASS = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
  /** Flink's own ZooKeeper launcher (what its start-zookeeper-quorum.sh runs), over the ZooKeeper Flink shades. */
  static final String ZOOKEEPER_CLASS = "org.apache.flink.runtime.zookeeper.FlinkZooKeeperQuorumPeer";
  static final String HOST = "127.0.0.1";
  /** Marks a cluster JVM, so a pid in cluster.pids reused by another program is never stopped. */
  private static final String ROLE = "-Dwindowpane.flink.role=";
  private static final String CLASSPATH_RESOURCE = "flink-classpath.txt";
  private static final Pattern TASKMANAGERS = Pattern.compile("\"taskmanagers\"\\s*:\\s*(\\d+)");
  private static final Pattern SLOTS = Pattern.compile("\"slots-total\"\\s*:\\s*(\\d+)");

  /** What to start; every port on 127.0.0.1. */
  public static final class Settings {
    private final Path dir;
    private int restPort = 8081;
    private int rpcPort = 6123;
    private int blobPort = 0;
    private int taskManagers = 2;
    private int slotsPerTaskManager = 1;
    private String jobManagerHeap = "512m";
    private Duration startTimeout = Duration.ofSeconds(90);
    private int zookeeperPort = 0;
    private int standbyRestPort = 0;
    private Duration heartbeatInterval = null;
    private Duration heartbeatTimeout = null;

    public Settings(Path dir) {
      this.dir = dir.toAbsolutePath();
    }

    /** The REST API and web UI port. */
    public Settings restPort(int port) {
      this.restPort = port;
      return this;
    }

    /** The JobManager's RPC port. */
    public Settings rpcPort(int port) {
      this.rpcPort = port;
      return this;
    }

    /** The JobManager's blob server port; 0 lets the system pick a free one. */
    public Settings blobPort(int port) {
      this.blobPort = port;
      return this;
    }

    public Settings taskManagers(int count) {
      this.taskManagers = count;
      return this;
    }

    public Settings slotsPerTaskManager(int slots) {
      this.slotsPerTaskManager = slots;
      return this;
    }

    /**
     * High availability: a ZooKeeper server on {@code zookeeperPort} and a second, standby
     * JobManager whose REST API and web UI are on {@code standbyRestPort}; the JobManagers elect
     * their leader in ZooKeeper and keep jobs and checkpoints' metadata under {@code DIR/ha}, so the
     * standby takes over the jobs when the leader dies.
     */
    public Settings highAvailability(int zookeeperPort, int standbyRestPort) {
      this.zookeeperPort = zookeeperPort;
      this.standbyRestPort = standbyRestPort;
      return this;
    }

    public boolean highlyAvailable() {
      return zookeeperPort > 0;
    }

    /**
     * How often the JobManager and TaskManagers check on each other and how soon a silent one is
     * given up (Flink's defaults: 10 s and 50 s); shorter finds a killed TaskManager sooner.
     */
    public Settings heartbeat(Duration interval, Duration timeout) {
      this.heartbeatInterval = interval;
      this.heartbeatTimeout = timeout;
      return this;
    }

    public Settings startTimeout(Duration timeout) {
      this.startTimeout = timeout;
      return this;
    }

    public Path dir() {
      return dir;
    }

    public int restPort() {
      return restPort;
    }
  }

  private final Settings settings;
  private final List<Process> processes;

  private FlinkCluster(Settings settings, List<Process> processes) {
    this.settings = settings;
    this.processes = processes;
  }

  /**
   * Starts the cluster and waits until the REST API reports every TaskManager registered; on
   * failure stops whatever it started and throws, naming the log directory.
   */
  public static FlinkCluster start(Settings settings) throws IOException, InterruptedException {
    Path dir = settings.dir;
    Path conf = dir.resolve("conf");
    Path log = dir.resolve("log");
    Files.createDirectories(conf);
    Files.createDirectories(log);
    for (String sub : List.of("tmp", "web-upload", "web-tmp")) {
      Files.createDirectories(dir.resolve(sub));
    }
    Files.writeString(conf.resolve("config.yaml"), config(settings), StandardCharsets.UTF_8);
    Files.writeString(conf.resolve("log4j.properties"), LOG4J, StandardCharsets.UTF_8);
    String classpath = flinkClasspath();

    List<Process> started = new ArrayList<>();
    FlinkCluster cluster = new FlinkCluster(settings, started);
    try {
      if (settings.highlyAvailable()) {
        // A new cluster: the jobs a cluster stopped earlier left in ZooKeeper are not taken over.
        deleteRecursively(dir.resolve("zookeeper"));
        deleteRecursively(dir.resolve("ha"));
        Files.createDirectories(dir.resolve("zookeeper"));
        Files.writeString(conf.resolve("zoo.cfg"), zookeeperConfig(settings), StandardCharsets.UTF_8);
        started.add(
            launch(dir, "zookeeper", classpath, List.of("-Xmx128m"), ZOOKEEPER_CLASS,
                List.of("--zkConfigFile", conf.resolve("zoo.cfg").toString(), "--peerId", "1")));
        awaitPort(settings.zookeeperPort, started.get(0));
        started.add(cluster.launchJobManager(dir, classpath, "jobmanager-1", settings.restPort));
        started.add(cluster.launchJobManager(dir, classpath, "jobmanager-2", settings.standbyRestPort));
      } else {
        started.add(cluster.launchJobManager(dir, classpath, "jobmanager", settings.restPort));
      }
      for (int i = 1; i <= settings.taskManagers; i++) {
        started.add(launchTaskManager(dir, classpath, "taskmanager-" + i));
      }
      writePids(dir, started);
      cluster.awaitReady(settings.taskManagers, started);
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private Process launchJobManager(Path dir, String classpath, String name, int restPort) throws IOException {
    return launch(dir, name, classpath, List.of("-Xms" + settings.jobManagerHeap, "-Xmx" + settings.jobManagerHeap),
        JOBMANAGER_CLASS, List.of("--configDir", dir.resolve("conf").toString(), "-Drest.port=" + restPort));
  }

  /**
   * Starts JobManager {@code name} again (e.g. one that was killed) on {@code restPort}; with high
   * availability it becomes the standby.
   */
  public synchronized void startJobManager(String name, int restPort) throws IOException {
    processes.add(launchJobManager(settings.dir, flinkClasspath(), name, restPort));
    writePids(settings.dir, processes);
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

  private static void awaitPort(int port, Process process) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!inUse(port)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("ZooKeeper did not listen on port " + port + " in time.");
      }
      Thread.sleep(100);
    }
  }

  private static Process launchTaskManager(Path dir, String classpath, String name) throws IOException {
    return launch(dir, name, classpath,
        // Heap = framework heap + task heap, direct = framework off-heap + task off-heap + network,
        // as config.yaml sets them (what Flink's taskmanager.sh computes for a distribution).
        List.of("-Xms512m", "-Xmx512m", "-XX:MaxDirectMemorySize=192m", "-XX:MaxMetaspaceSize=256m"),
        TASKMANAGER_CLASS,
        List.of("--configDir", dir.resolve("conf").toString(), "-Dtaskmanager.resource-id=" + name));
  }

  /**
   * Starts one more TaskManager, {@code name} (its resource id), e.g. in place of one that was
   * killed, and waits until the cluster reports {@code expected} TaskManagers.
   */
  public synchronized void startTaskManager(String name, int expected) throws IOException, InterruptedException {
    Process taskManager = launchTaskManager(settings.dir, flinkClasspath(), name);
    processes.add(taskManager);
    writePids(settings.dir, processes);
    awaitReady(expected, List.of(taskManager));
  }

  private static Process launch(Path dir, String name, String classpath, List<String> memory, String mainClass,
      List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // First, so that it is within the part of the command line the system reports (about 4 KB).
    command.add(ROLE + name);
    command.addAll(memory);
    command.addAll(JAVA_17_OPTS);
    Path log = dir.resolve("log");
    command.add("-Dlog.file=" + log.resolve(name + ".log"));
    command.add("-Dlog4j.configurationFile=" + dir.resolve("conf").resolve("log4j.properties").toUri());
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.resolve(name + ".out").toFile()));
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    return builder.start();
  }

  /** Waits until the cluster reports {@code taskManagers} TaskManagers, while {@code watched} live. */
  private void awaitReady(int taskManagers, List<Process> watched) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + settings.startTimeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      for (Process process : watched) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "A Flink cluster process ended while starting (exit code " + process.exitValue()
                  + "); see the logs in " + settings.dir.resolve("log") + ".");
        }
      }
      try {
        HttpResponse<String> response =
            http.send(HttpRequest.newBuilder(URI.create(restUrl() + "/overview")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        last = response.body();
        Matcher tms = TASKMANAGERS.matcher(last);
        Matcher slots = SLOTS.matcher(last);
        if (response.statusCode() == 200 && tms.find() && slots.find()
            && Integer.parseInt(tms.group(1)) == taskManagers
            && Integer.parseInt(slots.group(1)) == taskManagers * settings.slotsPerTaskManager) {
          return;
        }
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(
        "The Flink cluster did not report " + taskManagers + " TaskManagers within "
            + settings.startTimeout.toSeconds() + " s (last answer: " + last + "); see the logs in "
            + settings.dir.resolve("log") + ".");
  }

  /** The REST API's base address, e.g. {@code http://127.0.0.1:8081}. */
  public String restUrl() {
    return "http://" + HOST + ":" + settings.restPort;
  }

  public int restPort() {
    return settings.restPort;
  }

  /** The REST port of JobManager {@code jobManager}: 1, or 2 (the standby's, with high availability). */
  public int restPortOf(int jobManager) {
    return jobManager == 2 ? settings.standbyRestPort : settings.restPort;
  }

  public Path logDir() {
    return settings.dir.resolve("log");
  }

  /** The cluster's processes, JobManager first. */
  public List<ProcessHandle> processes() {
    return processes.stream().map(Process::toHandle).toList();
  }

  /**
   * The JobManager that leads now (1 or 2) with high availability, read from the JobManagers' logs:
   * the one whose latest run was granted leadership; 0 when none has been yet.
   */
  public int leadingJobManager() throws IOException {
    for (int i = 1; i <= 2; i++) {
      Path log = logDir().resolve("jobmanager-" + i + ".log");
      if (Files.isRegularFile(log)) {
        String text = Files.readString(log, StandardCharsets.UTF_8);
        int lastStart = text.lastIndexOf("Starting StandaloneSessionClusterEntrypoint");
        if (text.indexOf("granted leadership", Math.max(0, lastStart)) >= 0) {
          return i;
        }
      }
    }
    return 0;
  }

  /** The process of {@code name} (jobmanager-1, taskmanager-2, zookeeper, ...) last started. */
  public Optional<ProcessHandle> process(String name) {
    for (int i = processes.size() - 1; i >= 0; i--) {
      ProcessHandle handle = processes.get(i).toHandle();
      if (handle.info().commandLine().map(cmd -> cmd.contains(ROLE + name + " ")).orElse(false)) {
        return Optional.of(handle);
      }
    }
    return Optional.empty();
  }

  /** Stops every process: TaskManagers first, then the JobManager; forcibly after a timeout. */
  @Override
  public void close() {
    List<ProcessHandle> handles = new ArrayList<>(processes());
    java.util.Collections.reverse(handles);
    stop(handles);
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
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
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

  /** A port on 127.0.0.1 that was free a moment ago. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether something listens on 127.0.0.1:{@code port}. */
  /** Whether some program listens on {@code port} of 127.0.0.1. */
  public static boolean inUse(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** The Flink classpath Maven resolved for this module (a resource written at build time). */
  static String flinkClasspath() throws IOException {
    try (InputStream in = FlinkCluster.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            CLASSPATH_RESOURCE + " is missing: build the flink-cluster module first (mvn -pl flink-cluster compile).");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
  }

  static String config(Settings s) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("jobmanager.rpc.address", HOST);
    c.put("jobmanager.rpc.port", s.rpcPort);
    c.put("jobmanager.bind-host", HOST);
    c.put("jobmanager.memory.heap.size", s.jobManagerHeap);
    c.put("jobmanager.execution.failover-strategy", "region");
    c.put("rest.address", HOST);
    c.put("rest.bind-address", HOST);
    c.put("rest.port", s.restPort);
    c.put("blob.server.port", s.blobPort);
    c.put("taskmanager.host", HOST);
    c.put("taskmanager.bind-host", HOST);
    // 0: the system picks a free port for each TaskManager.
    c.put("taskmanager.rpc.port", 0);
    c.put("taskmanager.data.port", 0);
    c.put("taskmanager.numberOfTaskSlots", s.slotsPerTaskManager);
    if (s.highlyAvailable()) {
      c.put("high-availability.type", "zookeeper");
      c.put("high-availability.zookeeper.quorum", HOST + ":" + s.zookeeperPort);
      c.put("high-availability.storageDir", s.dir.resolve("ha").toUri());
      c.put("high-availability.cluster-id", "/windowpane");
      // A dead leader's ZooKeeper session, and so its leadership, ends after this (Flink's default: 60 s).
      c.put("high-availability.zookeeper.client.session-timeout", 15000);
      // Two JobManagers on one host: each RPC and blob server on a port the system picks.
      c.put("high-availability.jobmanager.port", 0);
      c.put("blob.server.port", 0);
    }
    if (s.heartbeatInterval != null) {
      c.put("heartbeat.interval", s.heartbeatInterval.toMillis());
      c.put("heartbeat.timeout", s.heartbeatTimeout.toMillis());
    }
    // TaskManagers start beside the JobManager and find it not yet listening: retry after 1 s, not
    // Flink's default 10 s (which made the cluster take about 10 s longer to come up here).
    c.put("cluster.registration.error-delay", 1000);
    c.put("parallelism.default", s.taskManagers * s.slotsPerTaskManager);
    // A TaskManagerRunner started without taskmanager.sh needs every part of its memory set explicitly.
    c.put("taskmanager.cpu.cores", 1.0);
    c.put("taskmanager.memory.framework.heap.size", "128m");
    c.put("taskmanager.memory.task.heap.size", "384m");
    c.put("taskmanager.memory.framework.off-heap.size", "128m");
    c.put("taskmanager.memory.task.off-heap.size", "0m");
    c.put("taskmanager.memory.network.min", "64m");
    c.put("taskmanager.memory.network.max", "64m");
    c.put("taskmanager.memory.managed.size", "128m");
    c.put("taskmanager.memory.jvm-metaspace.size", "256m");
    c.put("taskmanager.memory.jvm-overhead.min", "192m");
    c.put("taskmanager.memory.jvm-overhead.max", "192m");
    c.put("io.tmp.dirs", s.dir.resolve("tmp").toString());
    c.put("web.submit.enable", true);
    c.put("web.upload.dir", s.dir.resolve("web-upload").toString());
    c.put("web.tmpdir", s.dir.resolve("web-tmp").toString());
    // A user main that calls System.exit (e.g. the jar's Main-Class) throws instead of ending the JobManager.
    c.put("cluster.intercept-user-system-exit", "THROW");
    // What these JVMs were started with (read by Flink's scripts only; recorded here for the reader).
    c.put("env.java.opts.all", String.join(" ", JAVA_17_OPTS));
    StringBuilder yaml = new StringBuilder("# Written by dev.windowpane.cluster.FlinkCluster; regenerated at every start.\n");
    c.forEach((key, value) -> yaml.append(key).append(": ").append(value).append('\n'));
    return yaml.toString();
  }

  static String zookeeperConfig(Settings s) {
    return String.join("\n",
        "# Written by dev.windowpane.cluster.FlinkCluster; one ZooKeeper server for the JobManagers' leader election.",
        "tickTime=2000",
        "initLimit=10",
        "syncLimit=5",
        "dataDir=" + s.dir.resolve("zookeeper"),
        "clientPort=" + s.zookeeperPort,
        "clientPortAddress=" + HOST,
        "admin.enableServer=false",
        "");
  }

  private static final String LOG4J =
      String.join("\n",
          "# Flink's log4j 2 setup: one file per process, named by -Dlog.file.",
          "monitorInterval = 30",
          "rootLogger.level = INFO",
          "rootLogger.appenderRef.file.ref = MainAppender",
          "logger.pekko.name = org.apache.pekko",
          "logger.pekko.level = INFO",
          "logger.kafka.name = org.apache.kafka",
          "logger.kafka.level = INFO",
          "logger.zookeeper.name = org.apache.zookeeper",
          "logger.zookeeper.level = INFO",
          "logger.netty.name = org.jboss.netty.channel.DefaultChannelPipeline",
          "logger.netty.level = OFF",
          "appender.main.name = MainAppender",
          "appender.main.type = RollingFile",
          "appender.main.append = true",
          "appender.main.fileName = ${sys:log.file}",
          "appender.main.filePattern = ${sys:log.file}.%i",
          "appender.main.layout.type = PatternLayout",
          "appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n",
          "appender.main.policies.type = Policies",
          "appender.main.policies.size.type = SizeBasedTriggeringPolicy",
          "appender.main.policies.size.size = 100MB",
          "appender.main.strategy.type = DefaultRolloverStrategy",
          "appender.main.strategy.max = 10",
          "");

  private static void writePids(Path dir, List<Process> processes) throws IOException {
    StringBuilder pids = new StringBuilder();
    for (Process process : processes) {
      pids.append(process.pid()).append('\n');
    }
    Files.writeString(dir.resolve("cluster.pids"), pids.toString(), StandardCharsets.UTF_8);
  }

  /** The live cluster processes recorded in {@code dir/cluster.pids} (a pid reused by another program does not count). */
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

  /**
   * {@code up [--dir=DIR] [--port=REST_PORT] [--rpcPort=PORT] [--ha=true [--standbyPort=PORT]
   * [--zookeeperPort=PORT]]}: start a cluster that outlives this command (with {@code --ha=true}
   * highly available: ZooKeeper and a standby JobManager); {@code down [--dir=DIR]}: stop it.
   */
  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !(args[0].equals("up") || args[0].equals("down"))) {
      System.err.println("Usage: FlinkCluster up|down [--dir=DIR] [--port=REST_PORT] [--rpcPort=PORT]");
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
    Path dir = Path.of(options.getOrDefault("dir", "target/flink-cluster")).toAbsolutePath();
    int port = Integer.parseInt(options.getOrDefault("port", "8081"));
    int rpcPort = Integer.parseInt(options.getOrDefault("rpcPort", "6123"));
    List<ProcessHandle> running = recordedProcesses(dir);
    if (args[0].equals("down")) {
      if (running.isEmpty()) {
        System.out.println("No Flink cluster is running from " + dir + ", so there is nothing to stop.");
        Files.deleteIfExists(dir.resolve("cluster.pids"));
        return;
      }
      stop(running);
      Files.deleteIfExists(dir.resolve("cluster.pids"));
      System.out.println("Stopped the Flink cluster (" + running.size() + " processes); its logs stay in " + dir.resolve("log") + ".");
      return;
    }
    if (!running.isEmpty()) {
      System.out.println("A Flink cluster is already running from " + dir + " (" + running.size()
          + " processes); its web UI is at http://" + HOST + ":" + readPort(dir, port) + " and make flink-down stops it.");
      return;
    }
    boolean ha = Boolean.parseBoolean(options.getOrDefault("ha", "false"));
    int zookeeperPort = Integer.parseInt(options.getOrDefault("zookeeperPort", "2181"));
    int standbyPort = Integer.parseInt(options.getOrDefault("standbyPort", Integer.toString(port + 1)));
    for (int wanted : ha ? List.of(port, standbyPort, zookeeperPort) : List.of(port, rpcPort)) {
      if (inUse(wanted)) {
        System.err.println("Port " + wanted + " on " + HOST + " is already in use by another program, so the Flink cluster cannot start.");
        System.exit(1);
      }
    }
    long start = System.nanoTime();
    Settings settings = new Settings(dir).restPort(port).rpcPort(rpcPort);
    if (ha) {
      settings.highAvailability(zookeeperPort, standbyPort);
    }
    FlinkCluster cluster = start(settings);
    Files.writeString(dir.resolve("rest.port"), Integer.toString(port), StandardCharsets.UTF_8);
    System.out.printf("Flink cluster up in %.1f s: %s and 2 TaskManagers (1 slot each) on %s; logs in %s.%n",
        (System.nanoTime() - start) / 1e9,
        ha ? "2 JobManagers (one leads, one stands by; ZooKeeper on port " + zookeeperPort + ")" : "1 JobManager",
        HOST, cluster.logDir());
    System.out.println("Web UI and REST API: " + cluster.restUrl()
        + (ha ? " (either JobManager's: also http://" + HOST + ":" + standbyPort + ")" : ""));
  }

  private static int readPort(Path dir, int fallback) {
    try {
      return Integer.parseInt(Files.readString(dir.resolve("rest.port")).trim());
    } catch (IOException | NumberFormatException e) {
      return fallback;
    }
  }
}
