package dev.windowpane.pipelines.cli;

/**
 * A bad command line, found before any pipeline is built: its message is the one sentence the user
 * sees on stderr (exit code 2, no stack trace).
 */
public final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String sentence) {
    super(sentence);
  }

  public UsageException(String sentence, Throwable cause) {
    super(sentence, cause);
  }
}
