package dev.windowpane.pipelines.generator;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import dev.windowpane.pipelines.events.Order;
import dev.windowpane.pipelines.events.SessionEvent;
import dev.windowpane.pipelines.events.Tweet;
import dev.windowpane.transforms.text.Hashtags;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** The generator's content: a pure function of (seed, position), skewed so rankings are interesting. */
class GeneratorTest {
  private static final EventClock CLOCK =
      EventClock.of(Instant.parse("2025-01-01T00:00:00Z"), Duration.millis(20));

  @Test
  void eventTimeFollowsOnlyFromThePositionInTheSequence() {
    EventClock clock = EventClock.of(Instant.parse("2025-06-01T12:00:00Z"), Duration.millis(250));

    assertThat(clock.timeOf(0), equalTo(Instant.parse("2025-06-01T12:00:00Z")));
    assertThat(clock.timeOf(7), equalTo(Instant.parse("2025-06-01T12:00:01.750Z")));
    assertThat(EventKind.ORDERS.generate(3, 7, clock).timestamp(), equalTo(clock.timeOf(7)));
    assertThat(EventKind.TWEETS.generate(3, 7, clock).timestamp(), equalTo(clock.timeOf(7)));
    assertThat(EventKind.SESSIONS.generate(3, 7, clock).timestamp(), equalTo(clock.timeOf(7)));
  }

  @Test
  void theSpacingChangesOnlyTheEventTimeNotTheContent() {
    EventClock slower = EventClock.of(CLOCK.origin(), Duration.standardSeconds(1));

    for (long i = 0; i < 200; i++) {
      Order fast = EventKind.ORDERS.generate(5, i, CLOCK);
      Order slow = EventKind.ORDERS.generate(5, i, slower);
      assertThat(slow, equalTo(Order.of(slower.timeOf(i), fast.item(), fast.quantity())));
    }
  }

  @Test
  void differentSeedsGiveDifferentStreams() {
    int differences = 0;
    for (long i = 0; i < 100; i++) {
      if (!EventKind.TWEETS.generate(1, i, CLOCK).equals(EventKind.TWEETS.generate(2, i, CLOCK))) {
        differences++;
      }
    }
    assertThat(differences, greaterThan(90));
  }

  @Test
  void neighbouringPositionsAreNotShiftedCopiesOfEachOther() {
    // A naive seed + index seeding would make event i+1's first draw equal event i's second.
    int same = 0;
    for (long i = 0; i < 200; i++) {
      if (EventKind.ORDERS.generate(1, i, CLOCK).item().equals(EventKind.ORDERS.generate(1, i + 1, CLOCK).item())) {
        same++;
      }
    }
    assertThat(same, lessThanOrEqualTo(40));
  }

  @Test
  void ordersHaveZipfLikeItemPopularityAndQuantitiesOneToFive() {
    Map<String, Integer> ordersPerItem = new HashMap<>();
    for (long i = 0; i < 20_000; i++) {
      Order order = EventKind.ORDERS.generate(1, i, CLOCK);
      assertThat(order.item(), matchesPattern("sku-([1-9][0-9]{0,2}|1000)"));
      assertThat(order.quantity(), greaterThanOrEqualTo(1L));
      assertThat(order.quantity(), lessThanOrEqualTo(5L));
      ordersPerItem.merge(order.item(), 1, Integer::sum);
    }
    List<Integer> counts = descending(ordersPerItem);
    assertThat(counts.get(0), greaterThan(10 * counts.get(99)));
    assertThat(counts.size(), greaterThan(500));
  }

  @Test
  void tweetsCarryHashtagsFromASkewedVocabulary() {
    Map<String, Integer> perHashtag = new HashMap<>();
    int withoutHashtags = 0;
    for (long i = 0; i < 5_000; i++) {
      Tweet tweet = EventKind.TWEETS.generate(1, i, CLOCK);
      List<String> hashtags = Hashtags.extract(tweet.text());
      if (hashtags.isEmpty()) {
        withoutHashtags++;
      }
      hashtags.forEach(tag -> perHashtag.merge(tag, 1, Integer::sum));
    }
    List<Integer> counts = descending(perHashtag);
    assertThat(counts.get(0), greaterThan(10 * counts.get(49)));
    assertThat(withoutHashtags, greaterThan(0));
  }

  @Test
  void sessionKeysAlternateBetweenActiveRunsAndSilencesSoSessionsEnd() {
    Map<String, List<Long>> positionsPerKey = new HashMap<>();
    for (long i = 0; i < 20_000; i++) {
      SessionEvent event = EventKind.SESSIONS.generate(1, i, CLOCK);
      positionsPerKey.computeIfAbsent(event.session(), k -> new ArrayList<>()).add(i);
    }
    assertThat(positionsPerKey.size(), is(SessionContent.KEYS));
    for (Map.Entry<String, List<Long>> key : positionsPerKey.entrySet()) {
      int silences = 0;
      List<Long> positions = key.getValue();
      for (int j = 1; j < positions.size(); j++) {
        if (positions.get(j) - positions.get(j - 1) > SessionContent.ACTIVE) {
          silences++;
        }
      }
      assertThat(key.getKey(), silences, greaterThanOrEqualTo(2));
      assertThat(key.getKey(), positions.size(), greaterThan(100));
    }
  }

  @Test
  void sessionValuesAreWholeCentsUpToOneHundred() {
    for (long i = 0; i < 1_000; i++) {
      double value = EventKind.SESSIONS.generate(4, i, CLOCK).value();
      assertThat(value, greaterThanOrEqualTo(0.01));
      assertThat(value, lessThanOrEqualTo(100.0));
      assertThat(Double.toString(value), new java.math.BigDecimal(Double.toString(value)).scale(), lessThanOrEqualTo(2));
    }
    assertThat(EventKind.SESSIONS.generate(4, 0, CLOCK).session(), not(equalTo("")));
  }

  private static List<Integer> descending(Map<String, Integer> counts) {
    List<Integer> sorted = new ArrayList<>(counts.values());
    sorted.sort(Collections.reverseOrder());
    return sorted;
  }
}
