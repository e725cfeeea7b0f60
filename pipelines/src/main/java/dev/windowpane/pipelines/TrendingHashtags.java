package dev.windowpane.pipelines;

import dev.windowpane.pipelines.events.Tweet;
import dev.windowpane.pipelines.generator.EventKind;
import dev.windowpane.pipelines.io.RankingFormat;
import dev.windowpane.pipelines.io.RankingOptions;
import dev.windowpane.pipelines.io.ReadEvents;
import dev.windowpane.pipelines.io.SourceOptions;
import dev.windowpane.pipelines.io.WriteKafkaLines;
import dev.windowpane.pipelines.io.WriteRankings;
import dev.windowpane.transforms.text.ExtractHashtags;
import dev.windowpane.transforms.time.Durations;
import dev.windowpane.transforms.windows.SlidingTopN;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * Trending hashtags: for every sliding window the N hashtags used most (lower-cased, without '#').
 * Each hashtag of each tweet counts once, through {@code SlidingTopN}: O(hashtags) work per tweet.
 */
public final class TrendingHashtags {
  public static final String NAME = "trending-hashtags";
  public static final String DESCRIPTION =
      "The hashtags used most in every sliding window: tweets in, rankings out.";
  /** The table title and JSON field names of its rankings. */
  public static final RankingFormat FORMAT = RankingFormat.of("Trending hashtags", "hashtag", "count");

  private TrendingHashtags() {}

  /** Options of trending-hashtags: the shared source, window and sink options. */
  public interface Options extends RankingOptions {}

  /** Checks {@code options} once, before the pipeline is built; {@code given}: the options named. */
  public static void validate(Options options, Set<String> given) {
    SourceOptions.validate(options, given);
    RankingOptions.validate(options);
  }

  public static void buildPipeline(Pipeline pipeline, Options options) {
    Duration window = Durations.parse(options.getWindow());
    Duration slide = Durations.parse(options.getSlide());
    Duration offset = Durations.parse(options.getWindowOffset());
    Duration allowedLateness = Durations.parse(options.getAllowedLateness());
    pipeline
        .apply("ReadTweets", ReadEvents.of(EventKind.TWEETS, options))
        .apply("Text", MapElements.into(TypeDescriptors.strings()).via(Tweet::text))
        .apply("ExtractHashtags", new ExtractHashtags())
        .apply(
            "CountOne",
            MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                .via((String hashtag) -> KV.of(hashtag, 1L)))
        .apply(
            "TrendingHashtags",
            SlidingTopN.<String>of(options.getTop(), window, slide)
                .withOffset(offset)
                .withAllowedLateness(allowedLateness))
        .rankings()
        .apply(
            "WriteRankings",
            WriteRankings.of(FORMAT, options.getOutput(), window, slide, offset, allowedLateness)
                .toKafka(WriteKafkaLines.forResults(options))
                .toDashboard(options.getDashboardRunId()));
  }

  public static void main(String[] args) {
    Main.runAndExit(NAME, args);
  }
}
