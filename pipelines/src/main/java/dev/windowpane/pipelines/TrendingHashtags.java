package dev.windowpane.pipelines;

import dev.windowpane.pipelines.events.Tweet;
import dev.windowpane.pipelines.generator.EventKind;
import dev.windowpane.pipelines.io.RankingFormat;
import dev.windowpane.pipelines.io.RankingOptions;
import dev.windowpane.pipelines.io.RankingSettings;
import dev.windowpane.pipelines.io.ReadEvents;
import dev.windowpane.pipelines.io.SourceSettings;
import dev.windowpane.pipelines.io.WriteRankings;
import dev.windowpane.transforms.text.ExtractHashtags;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Trending hashtags: for every sliding window the N hashtags used most (lower-cased, without '#').
 * Each hashtag of each tweet counts once, through {@code SlidingTopN}: O(hashtags) work per tweet.
 */
public final class TrendingHashtags {
  public static final String NAME = "trending-hashtags";
  public static final String DESCRIPTION =
      "The hashtags used most in every sliding window: tweets in, rankings out.";
  static final RankingFormat FORMAT = RankingFormat.of("Trending hashtags", "hashtag", "count");

  private TrendingHashtags() {}

  /** Options of trending-hashtags: the shared source, window and sink options. */
  public interface Options extends RankingOptions {}

  public static void buildPipeline(Pipeline pipeline, Options options) {
    SourceSettings source = SourceSettings.from(options);
    RankingSettings ranking = RankingSettings.from(options);
    pipeline
        .apply("ReadTweets", ReadEvents.of(EventKind.TWEETS, source))
        .apply("Text", MapElements.into(TypeDescriptors.strings()).via(Tweet::text))
        .apply("ExtractHashtags", new ExtractHashtags())
        .apply(
            "CountOne",
            MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                .via((String hashtag) -> KV.of(hashtag, 1L)))
        .apply("TrendingHashtags", ranking.<String>slidingTopN())
        .rankings()
        .apply("WriteRankings", WriteRankings.of(FORMAT, ranking));
  }

  public static void main(String[] args) {
    Main.runAndExit(NAME, args);
  }
}
