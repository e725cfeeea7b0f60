package dev.windowpane.pipelines.runners;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.windowpane.cluster.FlinkCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * A real Flink session cluster for a test (1 JobManager, 2 TaskManagers, each its own JVM, started by
 * the flink-cluster module's launcher on Flink's own classpath), on free ports of 127.0.0.1, with a
 * small client for its REST API. {@link #close} always stops every process (forcibly after a
 * timeout); a shutdown hook does the same if the test JVM ends first.
 */
final class LocalFlinkCluster implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FlinkCluster cluster;
  private final Thread shutdownHook;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private LocalFlinkCluster(FlinkCluster cluster) {
    this.cluster = cluster;
    this.shutdownHook = new Thread(cluster::close, "stop-flink-cluster");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts a cluster under {@code dir}: JobManager RPC, REST and blob ports free, TaskManager ports picked by the system. */
  static LocalFlinkCluster start(Path dir) throws IOException, InterruptedException {
    return new LocalFlinkCluster(FlinkCluster.start(settings(dir)));
  }

  /**
   * Like {@link #start}, with heartbeats every 2 s given up after 10 s (Flink's defaults: 10 s and
   * 50 s), so that a killed TaskManager is found out within a test's time.
   */
  static LocalFlinkCluster startWithQuickHeartbeats(Path dir) throws IOException, InterruptedException {
    return new LocalFlinkCluster(
        FlinkCluster.start(settings(dir).heartbeat(Duration.ofSeconds(2), Duration.ofSeconds(10))));
  }

  /**
   * A highly available cluster: ZooKeeper, two JobManagers (one leads, one stands by) and two
   * TaskManagers, with quick heartbeats.
   */
  static LocalFlinkCluster startHighlyAvailable(Path dir) throws IOException, InterruptedException {
    return new LocalFlinkCluster(
        FlinkCluster.start(
            settings(dir)
                .heartbeat(Duration.ofSeconds(2), Duration.ofSeconds(10))
                .highAvailability(FlinkCluster.freePort(), FlinkCluster.freePort())));
  }

  /** The cluster's configuration directory: a client given it finds the leading JobManager in ZooKeeper. */
  Path confDir() {
    return logDir().getParent().resolve("conf");
  }

  int restPortOf(int jobManager) {
    return cluster.restPortOf(jobManager);
  }

  /** The JobManager that leads now, 1 or 2 (0: none yet). */
  int leadingJobManager() throws IOException {
    return cluster.leadingJobManager();
  }

  /** Kills cluster process {@code name} (jobmanager-1, taskmanager-2, ...) with SIGKILL and waits until it is gone. */
  void kill(String name) throws Exception {
    ProcessHandle process = cluster.process(name).orElseThrow(() -> new IllegalStateException("No process " + name));
    process.destroyForcibly();
    process.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
  }

  /** Starts JobManager {@code name} again on {@code restPort}. */
  void startJobManager(String name, int restPort) throws IOException {
    cluster.startJobManager(name, restPort);
  }

  private static FlinkCluster.Settings settings(Path dir) {
    return new FlinkCluster.Settings(dir)
        .restPort(FlinkCluster.freePort())
        .rpcPort(FlinkCluster.freePort())
        .blobPort(FlinkCluster.freePort())
        .taskManagers(2)
        .slotsPerTaskManager(1);
  }

  /** Starts a TaskManager {@code name} and waits until the cluster has {@code expected} of them. */
  void startTaskManager(String name, int expected) throws IOException, InterruptedException {
    cluster.startTaskManager(name, expected);
  }

  int restPort() {
    return cluster.restPort();
  }

  Path logDir() {
    return cluster.logDir();
  }

  /** POST /jars/upload: the id of the uploaded jar. */
  String uploadJar(Path jar) throws IOException, InterruptedException {
    String boundary = "windowpane-" + UUID.randomUUID();
    String head =
        "--" + boundary + "\r\n"
            + "Content-Disposition: form-data; name=\"jarfile\"; filename=\"" + jar.getFileName() + "\"\r\n"
            + "Content-Type: application/x-java-archive\r\n\r\n";
    HttpRequest request =
        HttpRequest.newBuilder(uri("/jars/upload"))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(
                HttpRequest.BodyPublishers.concat(
                    HttpRequest.BodyPublishers.ofString(head),
                    HttpRequest.BodyPublishers.ofFile(jar),
                    HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n")))
            .timeout(Duration.ofMinutes(2))
            .build();
    String filename = send(request).path("filename").asText();
    return Path.of(filename).getFileName().toString();
  }

  /** POST /jars/{id}/run: the job id. */
  String runJar(String jarId, String entryClass, int parallelism, String... programArgs)
      throws IOException, InterruptedException {
    var body = JSON.createObjectNode();
    body.put("entryClass", entryClass);
    body.put("parallelism", parallelism);
    var args = body.putArray("programArgsList");
    for (String arg : programArgs) {
      args.add(arg);
    }
    HttpRequest request =
        HttpRequest.newBuilder(uri("/jars/" + jarId + "/run"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .timeout(Duration.ofMinutes(2))
            .build();
    return send(request).path("jobid").asText();
  }

  JsonNode get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build());
  }

  /** Waits until job {@code jobId} is in a terminal state; returns GET /jobs/{id}. */
  JsonNode awaitJob(String jobId, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonNode job = get("/jobs/" + jobId);
      String state = job.path("state").asText();
      if (Set.of("FINISHED", "FAILED", "CANCELED").contains(state) || System.nanoTime() > deadline) {
        return job;
      }
      Thread.sleep(500);
    }
  }

  /** The TaskManagers (their resource ids) that ran some subtask of job {@code jobId}. */
  Set<String> taskManagersOf(String jobId) throws IOException, InterruptedException {
    Set<String> ids = new TreeSet<>();
    for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
      for (JsonNode subtask : get("/jobs/" + jobId + "/vertices/" + vertex.path("id").asText()).path("subtasks")) {
        ids.add(subtask.path("taskmanager-id").asText());
      }
    }
    return ids;
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + cluster.restPort() + path);
  }

  private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException(request.method() + " " + request.uri() + " answered " + response.statusCode() + ": "
          + response.body());
    }
    return JSON.readTree(response.body());
  }

  @Override
  public void close() {
    cluster.close();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down; the hook runs close() again, harmlessly.
    }
  }
}
