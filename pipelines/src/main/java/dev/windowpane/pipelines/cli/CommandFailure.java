package dev.windowpane.pipelines.cli;

/**
 * A command that could not do its work for a reason its message says in one sentence (a cluster that
 * cannot be reached, a checkpoint that cannot be restored): printed on stderr, exit code 1, no stack
 * trace.
 */
public class CommandFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CommandFailure(String sentence) {
    super(sentence);
  }

  public CommandFailure(String sentence, Throwable cause) {
    super(sentence, cause);
  }
}
