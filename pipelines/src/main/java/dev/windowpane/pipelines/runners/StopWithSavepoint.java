package dev.windowpane.pipelines.runners;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.windowpane.pipelines.cli.CommandFailure;
import dev.windowpane.pipelines.cli.CommandLine;
import dev.windowpane.pipelines.cli.LoggingOptions;
import dev.windowpane.pipelines.cli.OptionName;
import dev.windowpane.pipelines.cli.UsageException;
import dev.windowpane.transforms.time.Durations;
import dev.windowpane.transforms.json.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/**
 * The {@code stop} command: stops a pipeline running on a Flink cluster with a savepoint written
 * into its {@code --checkpointDir}, through Flink's REST API ({@code POST /jobs/:id/stop}, what
 * {@code flink stop --savepointPath} does), and waits until the savepoint is complete. The same
 * pipeline command started again with that directory resumes from the savepoint (it is the newest
 * thing in it, {@link CheckpointDirectory}). The job is the one running job, or the one named by
 * {@code --job} (its name or id).
 */
public final class StopWithSavepoint {
  public static final String NAME = "stop";
  public static final String DESCRIPTION =
      "Stops a pipeline on a Flink cluster with a savepoint in its --checkpointDir, to resume it from later.";

  private static final Set<String> ENDED = Set.of("FINISHED", "CANCELED", "FAILED");

  private StopWithSavepoint() {}

  /** Options of {@code stop}. */
  @Description("Stop")
  public interface Options extends LoggingOptions {
    @Description("The Flink cluster's REST address, HOST:PORT (as for --flinkMaster when the pipeline was started).")
    @Default.String("[auto]") // as the Flink runner's option of the same name has it
    String getFlinkMaster();

    void setFlinkMaster(String value);

    @Description("The pipeline's checkpoint directory (its --checkpointDir), where the savepoint is written and from which the pipeline resumes.")
    @OptionName("checkpointDir")
    @Validation.Required
    String getCheckpointDirectory();

    void setCheckpointDirectory(String value);

    @Description("The job to stop, by name or id; needed only when more than one job runs.")
    String getJob();

    void setJob(String value);

    @Description("How long to wait for the savepoint to complete.")
    @Default.String("5m")
    String getTimeout();

    void setTimeout(String value);
  }

  /** Checks {@code options} once. */
  public static void validate(Options options, Set<String> given) {
    if (!given.contains("flinkMaster")) {
      // Not @Validation.Required: the option's default must be the Flink runner's "[auto]".
      throw new UsageException("Option --flinkMaster is required: the cluster's HOST:PORT.");
    }
    if (options.getFlinkMaster().startsWith("[")) {
      throw new UsageException(
          "Option --flinkMaster must name a cluster (HOST:PORT), got " + options.getFlinkMaster()
              + ": an embedded Flink ends with its command, so stop that with Ctrl-C (its checkpoints stay).");
    }
    CommandLine.positiveDuration("timeout", options.getTimeout());
  }

  /** Stops the job; returns the exit code. */
  public static int run(Options options, PrintStream out) throws IOException, InterruptedException {
    Rest rest = new Rest(options.getFlinkMaster());
    JsonNode job = runningJob(rest, options.getFlinkMaster(), options.getJob());
    String id = job.path("jid").asText();
    String name = job.path("name").asText();
    Path directory = CheckpointDirectory.at(options.getCheckpointDirectory()).path();
    ObjectNode body = Json.object();
    body.put("targetDirectory", directory.toUri().toString());
    body.put("drain", false);
    String request = rest.post("/jobs/" + id + "/stop", body).path("request-id").asText();
    long deadline =
        System.nanoTime() + Durations.parse(options.getTimeout()).getMillis() * 1_000_000L;
    while (true) {
      JsonNode status = rest.get("/jobs/" + id + "/savepoints/" + request);
      String state = status.path("status").path("id").asText();
      if (state.equals("COMPLETED")) {
        JsonNode failure = status.path("operation").path("failure-cause");
        if (!failure.isMissingNode() && !failure.isNull()) {
          throw new CommandFailure(
              "Flink could not stop job " + name + " (" + id + ") with a savepoint: "
                  + failure.path("class").asText() + ": " + firstLine(failure.path("stack-trace").asText()));
        }
        String location = status.path("operation").path("location").asText();
        Path savepoint = Paths.get(URI.create(location.startsWith("file:") ? location : "file:" + location));
        out.println(
            "Stopped job " + name + " (" + id + ") with savepoint " + savepoint
                + "; the same command with --checkpointDir=" + options.getCheckpointDirectory() + " resumes from it.");
        return 0;
      }
      if (System.nanoTime() > deadline) {
        throw new CommandFailure(
            "The savepoint of job " + name + " (" + id + ") did not complete within " + options.getTimeout()
                + "; the job may still be running: see the cluster's web UI.");
      }
      Thread.sleep(200);
    }
  }

  /** The running job {@code wanted} names (by name or id), or the one running job when it is null. */
  private static JsonNode runningJob(Rest rest, String master, String wanted) throws IOException, InterruptedException {
    List<JsonNode> running = new ArrayList<>();
    for (JsonNode job : rest.get("/jobs/overview").path("jobs")) {
      if (!ENDED.contains(job.path("state").asText())
          && (wanted == null || wanted.equals(job.path("jid").asText()) || wanted.equals(job.path("name").asText()))) {
        running.add(job);
      }
    }
    if (running.size() == 1) {
      return running.get(0);
    }
    if (running.isEmpty()) {
      throw new CommandFailure(
          "No job " + (wanted == null ? "" : "named " + wanted + " ") + "is running on the Flink cluster at " + master + ".");
    }
    throw new UsageException(
        running.size() + " jobs are running on the Flink cluster at " + master + " ("
            + running.stream().map(j -> j.path("name").asText() + " " + j.path("jid").asText()).collect(Collectors.joining(", "))
            + "); name the one to stop with --job=NAME or --job=ID.");
  }

  private static String firstLine(String text) {
    int end = text.indexOf('\n');
    return (end < 0 ? text : text.substring(0, end)).trim();
  }

  /** The few calls of Flink's REST API this needs, with one-sentence failures. */
  private static final class Rest {
    private final String master;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Rest(String master) {
      this.master = master;
    }

    JsonNode get(String path) throws IOException, InterruptedException {
      return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    JsonNode post(String path, JsonNode body) throws IOException, InterruptedException {
      return send(
          HttpRequest.newBuilder(uri(path))
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)))
              .build());
    }

    private URI uri(String path) {
      return URI.create("http://" + master + path);
    }

    private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
      HttpResponse<String> response;
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new CommandFailure("Cannot reach a Flink cluster at " + master + " (" + e.getClass().getSimpleName() + ").", e);
      }
      if (response.statusCode() / 100 != 2) {
        throw new CommandFailure(
            "The Flink cluster at " + master + " answered " + request.method() + " " + request.uri().getPath()
                + " with " + response.statusCode() + ": " + response.body());
      }
      return Json.mapper().readTree(response.body());
    }
  }
}
