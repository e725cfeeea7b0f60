package dev.windowpane.bench;

/**
 * One line of the report: a contender on a runner at one window/slide ratio ({@code null} for the
 * pass-through, which has no windows). {@code eventsPerSecond} is the median of the timed runs
 * (or the rate reached by a capped run); {@code note} says what verification found and anything
 * that went wrong.
 */
public record Row(
    String contender,
    String runner,
    Integer ratio,
    double eventsPerSecond,
    long peakHeapMb,
    boolean verified,
    boolean capped,
    String note) {

  public String series() {
    return contender + " (" + runner + ")";
  }
}
