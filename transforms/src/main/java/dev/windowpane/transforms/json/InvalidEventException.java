package dev.windowpane.transforms.json;

/**
 * A JSON line that is not a valid event; the message is one sentence saying why, such as {@code
 * field "quantity" must be an integer >= 1, got 0}, and becomes the dead letter's error.
 */
public class InvalidEventException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidEventException(String message) {
    super(message);
  }
}
