package dev.windowpane.pipelines.generator;

import dev.windowpane.pipelines.events.Order;
import dev.windowpane.pipelines.events.SessionEvent;
import dev.windowpane.pipelines.events.Tweet;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.joda.time.Instant;

/**
 * What the generator's event {@code index} is, a pure function of (seed, index, event time), so
 * every event can be made on its own, in any order, on any worker, and always comes out the same.
 * Popularity is Zipf-like so that rankings are interesting.
 */
@FunctionalInterface
public interface EventContent<T> extends Serializable {
  T event(long seed, long index, Instant eventTime);

  /**
   * Orders: items "sku-1".."sku-1000" with Zipf-like popularity (which skus are popular depends on
   * the seed), quantities 1..5, mostly 1.
   */
  static Order order(long seed, long index, Instant eventTime) {
    SplittableRandom random = Draws.of(seed, index);
    int rank = Draws.SKU_POPULARITY.draw(random);
    long offset = Math.floorMod(Draws.ofSeed(seed), Draws.SKUS);
    long sku = (rank * (long) Draws.SKU_SCATTER + offset) % Draws.SKUS + 1;
    int u = random.nextInt(100);
    int quantity = Draws.QUANTITY_WEIGHTS.length;
    for (int q = 0; q < Draws.QUANTITY_WEIGHTS.length; q++) {
      u -= Draws.QUANTITY_WEIGHTS[q];
      if (u < 0) {
        quantity = q + 1;
        break;
      }
    }
    return Order.of(eventTime, "sku-" + sku, quantity);
  }

  /**
   * Tweets: three to eight plain words and zero to three hashtags drawn with Zipf-like popularity
   * from a vocabulary of 300 tags, some written with capitals ("#Beam").
   */
  static Tweet tweet(long seed, long index, Instant eventTime) {
    SplittableRandom random = Draws.of(seed, index);
    List<String> words = new ArrayList<>();
    int wordCount = 3 + random.nextInt(6);
    for (int w = 0; w < wordCount; w++) {
      words.add(Draws.WORDS[random.nextInt(Draws.WORDS.length)]);
    }
    int tagCount = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(3);
    for (int t = 0; t < tagCount; t++) {
      int rank = Draws.TAG_POPULARITY.draw(random);
      String tag = rank < Draws.NAMED_TAGS.length ? Draws.NAMED_TAGS[rank] : "topic" + rank;
      if (random.nextInt(4) == 0) {
        tag = tag.substring(0, 1).toUpperCase(Locale.ROOT) + tag.substring(1);
      }
      words.add(random.nextInt(words.size() + 1), "#" + tag);
    }
    return Tweet.of(eventTime, String.join(" ", words));
  }

  /**
   * Session events for 100 keys "s-0".."s-99": each key is active for 3000 consecutive positions
   * of the sequence, then silent for 3000 (staggered across keys, so half are active at any time),
   * so sessions form and end: an active key sees an event about every 50 positions, and a silence
   * lasts 3000 positions (with the default 300ms spacing: about every 15 seconds of event time, and
   * 15 minutes of silence). Values 0.01..100.00.
   */
  static SessionEvent session(long seed, long index, Instant eventTime) {
    SplittableRandom random = Draws.of(seed, index);
    int key = random.nextInt(Draws.SESSION_KEYS);
    while (!isSessionActive(key, index)) {
      key = random.nextInt(Draws.SESSION_KEYS);
    }
    double value = (1 + random.nextInt(10_000)) / 100.0;
    return SessionEvent.of(eventTime, "s-" + key, value);
  }

  /** Whether session key {@code key} is in an active run at position {@code index}. */
  static boolean isSessionActive(int key, long index) {
    long phase = Math.floorMod(index + (long) key * (Draws.SESSION_CYCLE / Draws.SESSION_KEYS), Draws.SESSION_CYCLE);
    return phase < Draws.SESSION_ACTIVE;
  }

  /** The seeded random draws and the vocabularies of the generated events. */
  final class Draws {
    static final int SKUS = 1000;
    /** Coprime with SKUS: turns popularity ranks into a scattered set of sku numbers. */
    static final int SKU_SCATTER = 389;
    static final Zipf SKU_POPULARITY = new Zipf(SKUS, 1.1);
    static final int[] QUANTITY_WEIGHTS = {50, 25, 12, 8, 5};
    static final String[] WORDS = {
      "loving", "today", "the", "new", "release", "of", "is", "out", "reading", "about", "windows",
      "and", "streams", "with", "my", "team", "great", "talk", "on", "why", "latency", "matters",
      "just", "shipped", "a", "pipeline", "that", "scales", "wow", "really", "fast"
    };
    static final String[] NAMED_TAGS = {
      "beam", "flink", "kafka", "spark", "streaming", "java", "dataflow", "bigdata", "windowing",
      "watermarks", "realtime", "analytics", "opensource", "cloud", "devops", "jvm", "latency",
      "throughput", "events", "sql"
    };
    static final Zipf TAG_POPULARITY = new Zipf(300, 1.0);
    static final int SESSION_KEYS = 100;
    static final int SESSION_ACTIVE = 3000;
    static final int SESSION_CYCLE = 2 * SESSION_ACTIVE;

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    /** Separates the lateness draws from the content draws of the same (seed, index). */
    private static final long LATENESS_STREAM = 0x6c8e9cf570932bd5L;

    private Draws() {}

    /** The draws of event {@code index} of the stream with {@code seed}. */
    static SplittableRandom of(long seed, long index) {
      return new SplittableRandom(mix64(mix64(seed) + index * GOLDEN_GAMMA));
    }

    /**
     * Draws independent of {@link #of}: whether an event is late is drawn from them, so turning
     * lateness on changes no event's content.
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

  /**
   * Ranks {@code 0..n-1} with Zipf-like popularity: rank r has weight {@code 1 / (r+1)^exponent}.
   * O(log n) per draw after O(n) set-up.
   */
  final class Zipf {
    private final double[] cumulative;

    Zipf(int n, double exponent) {
      cumulative = new double[n];
      double sum = 0;
      for (int r = 0; r < n; r++) {
        sum += 1.0 / Math.pow(r + 1, exponent);
        cumulative[r] = sum;
      }
      for (int r = 0; r < n; r++) {
        cumulative[r] /= sum;
      }
    }

    int draw(SplittableRandom random) {
      int i = Arrays.binarySearch(cumulative, random.nextDouble());
      return Math.min(i >= 0 ? i : -i - 1, cumulative.length - 1);
    }
  }
}
