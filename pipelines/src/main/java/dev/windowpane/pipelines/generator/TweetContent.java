package dev.windowpane.pipelines.generator;

import dev.windowpane.pipelines.events.Tweet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.joda.time.Instant;

/**
 * Synthetic tweets: three to eight plain words and zero to three hashtags drawn with Zipf-like
 * popularity from a vocabulary of 300 tags, some written with capitals ("#Beam").
 */
final class TweetContent implements EventContent<Tweet> {
  private static final long serialVersionUID = 1L;
  private static final String[] WORDS = {
    "loving", "today", "the", "new", "release", "of", "is", "out", "reading", "about", "windows",
    "and", "streams", "with", "my", "team", "great", "talk", "on", "why", "latency", "matters",
    "just", "shipped", "a", "pipeline", "that", "scales", "wow", "really", "fast"
  };
  private static final String[] NAMED_TAGS = {
    "beam", "flink", "kafka", "spark", "streaming", "java", "dataflow", "bigdata", "windowing",
    "watermarks", "realtime", "analytics", "opensource", "cloud", "devops", "jvm", "latency",
    "throughput", "events", "sql"
  };
  private static final int TAGS = 300;
  private static final ZipfRanks POPULARITY = new ZipfRanks(TAGS, 1.0);

  @Override
  public Tweet event(long seed, long index, Instant eventTime) {
    SplittableRandom random = EventRandom.of(seed, index);
    List<String> words = new ArrayList<>();
    int wordCount = 3 + random.nextInt(6);
    for (int w = 0; w < wordCount; w++) {
      words.add(WORDS[random.nextInt(WORDS.length)]);
    }
    int tagCount = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(3);
    for (int t = 0; t < tagCount; t++) {
      String tag = tag(POPULARITY.draw(random));
      if (random.nextInt(4) == 0) {
        tag = tag.substring(0, 1).toUpperCase(Locale.ROOT) + tag.substring(1);
      }
      words.add(random.nextInt(words.size() + 1), "#" + tag);
    }
    return Tweet.of(eventTime, String.join(" ", words));
  }

  private static String tag(int rank) {
    return rank < NAMED_TAGS.length ? NAMED_TAGS[rank] : "topic" + rank;
  }
}
