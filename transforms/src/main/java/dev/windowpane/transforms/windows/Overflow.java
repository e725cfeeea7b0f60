package dev.windowpane.transforms.windows;

/** The error of a sum that left the range of a long: it names the key, so nothing wraps silently. */
final class Overflow {
  private Overflow() {}

  static ArithmeticException of(Object key, ArithmeticException cause) {
    ArithmeticException e =
        new ArithmeticException(
            "The total of key " + key + " is outside the range of a long (-2^63 to 2^63-1).");
    e.initCause(cause);
    return e;
  }
}
