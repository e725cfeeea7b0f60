package dev.windowpane.pipelines.generator;

import java.util.SplittableRandom;

/**
 * The random source of one generated event: a pure function of (seed, index), so every event can
 * be made on its own, in any order, on any worker, and always comes out the same.
 */
final class EventRandom {
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
  /** Separates the lateness draws from the content draws of the same (seed, index). */
  private static final long LATENESS_STREAM = 0x6c8e9cf570932bd5L;

  private EventRandom() {}

  /** A generator for event {@code index} of the stream with {@code seed}. */
  static SplittableRandom of(long seed, long index) {
    return new SplittableRandom(mix64(mix64(seed) + index * GOLDEN_GAMMA));
  }

  /**
   * A second generator for event {@code index} of the stream with {@code seed}, independent of
   * {@link #of}: whether the event is late is drawn from it, so turning lateness on changes no
   * event's content.
   */
  static SplittableRandom lateness(long seed, long index) {
    return new SplittableRandom(mix64(mix64(seed ^ LATENESS_STREAM) + index * GOLDEN_GAMMA));
  }

  /** A well-mixed number derived from {@code seed} alone (for per-stream constants). */
  static long ofSeed(long seed) {
    return mix64(seed ^ GOLDEN_GAMMA);
  }

  /** Stafford's variant 13 of the MurmurHash3 finalizer: a bijection that spreads every bit. */
  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
