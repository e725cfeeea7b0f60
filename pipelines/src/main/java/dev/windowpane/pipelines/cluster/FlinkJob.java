package dev.windowpane.pipelines.cluster;

import dev.windowpane.pipelines.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The entry class for submitting the bundled jar to a running Flink cluster (Flink's REST API
 * {@code POST /jars/{id}/run}, the web UI's "Submit New Job", {@code flink run -c}): the same
 * command line as {@code java -jar}, {@code <pipeline> [--option=value ...]}, run inside the
 * JobManager.
 *
 * <p>Unlike {@link Main#main}, it never calls {@code System.exit} (that would end the JobManager):
 * a failed or refused command line is an exception, which Flink reports as the answer of the run
 * request. It adds, unless given:
 *
 * <ul>
 *   <li>{@code --runner=FlinkRunner}: with Beam's default {@code --flinkMaster=[auto]} the runner
 *       takes the environment Flink's handler provides, so the job runs on this cluster;
 *   <li>{@code --attachedMode=false}: that environment is always detached, and Beam 2.62's attached
 *       path fails right after submitting ("Job was submitted in detached mode. Results of job
 *       execution, such as accumulators, runtime, etc. are not available.");
 * </ul>
 *
 * <p>The job is named {@code windowpane-<pipeline>} in the web UI, as every run of the command
 * line is unless {@code --jobName} is given.
 *
 * <p>Flink's handler gives the program a job client that cannot be asked for the job's status
 * ("The Job Status cannot be requested when in Web Submission."), so the command cannot wait for
 * its job: once the job is submitted, the run request answers with its id and the job runs on. The
 * command line's after-run steps are therefore skipped: no {@code _SUCCESS} is written and no
 * metrics are printed; the job's state is at {@code GET /jobs/<id>} (FINISHED once its files are
 * written). Output directories are still checked (and with {@code --overwrite} cleared) before the
 * job is submitted.
 */
public final class FlinkJob {
  private FlinkJob() {}

  /** What Flink's web-submission job client answers when the program asks for its job's status. */
  static final String SUBMITTED_FROM_THE_WEB = "cannot be requested when in Web Submission";

  public static void main(String[] args) {
    // Standard error is held back: after a submission from the web, the failure to wait is no error.
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int code;
    try (PrintStream err = new PrintStream(errors, true, StandardCharsets.UTF_8)) {
      code = Main.run(withClusterDefaults(args), System.out, err);
    }
    String err = errors.toString(StandardCharsets.UTF_8);
    if (code == Main.OK) {
      System.err.print(err);
      return;
    }
    if (code == Main.FAILED && err.contains(SUBMITTED_FROM_THE_WEB)) {
      // The job was submitted and runs on; only waiting for it was refused.
      System.out.println("windowpane " + String.join(" ", args) + ": submitted; the job runs detached"
          + " (no _SUCCESS, no metrics: GET /jobs/<id> tells when it has finished).");
      return;
    }
    System.err.print(err);
    String message = err.lines().findFirst().orElse("");
    throw new IllegalStateException(
        "windowpane " + String.join(" ", args) + " ended with exit code " + code
            + (message.isEmpty() ? "." : ": " + message));
  }

  /** {@code args} with the options a run inside the cluster needs, where the caller did not give them. */
  static String[] withClusterDefaults(String[] args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    addUnlessGiven(all, "runner", "FlinkRunner");
    addUnlessGiven(all, "attachedMode", "false");
    return all.toArray(new String[0]);
  }

  private static void addUnlessGiven(List<String> args, String name, String value) {
    boolean given = args.stream().anyMatch(arg -> arg.equals("--" + name) || arg.startsWith("--" + name + "="));
    if (!given && !args.isEmpty()) {
      args.add("--" + name + "=" + value);
    }
  }
}
