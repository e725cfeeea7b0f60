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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** The generator's content: a pure function of (seed, position), skewed so rankings are interesting. */
class GeneratorTest {
  private static final Generator CLOCK =
      Generator.of(0, Instant.parse("2025-01-01T00:00:00Z"), Duration.millis(20));

  @Test
  void eventTimeFollowsOnlyFromThePositionInTheSequence() {
    Generator clock = Generator.of(0, Instant.parse("2025-06-01T12:00:00Z"), Duration.millis(250));

    assertThat(clock.placeOf(0), equalTo(Instant.parse("2025-06-01T12:00:00Z")));
    assertThat(clock.placeOf(7), equalTo(Instant.parse("2025-06-01T12:00:01.750Z")));
    assertThat(generate(EventKind.ORDERS, 3, 7, clock).timestamp(), equalTo(clock.placeOf(7)));
    assertThat(generate(EventKind.TWEETS, 3, 7, clock).timestamp(), equalTo(clock.placeOf(7)));
    assertThat(generate(EventKind.SESSIONS, 3, 7, clock).timestamp(), equalTo(clock.placeOf(7)));
  }

  @Test
  void aStreamWithLateEventsEndsAfterItsWatermarkPassesTheLastPlacePlusLateBy() {
    assertThat(CLOCK.places().isPresent(), is(false));
    assertThat(CLOCK.withMaxEvents(600).places().getAsLong(), is(600L));
    // 20ms apart: 1s late spans 50 places, 1010ms late 51 (rounded up).
    assertThat(CLOCK.withMaxEvents(600).withLateEvents(5, Duration.standardSeconds(1)).places().getAsLong(), is(650L));
    assertThat(CLOCK.withMaxEvents(600).withLateEvents(5, Duration.millis(1010)).places().getAsLong(), is(651L));
  }

  @Test
  void theSpacingChangesOnlyTheEventTimeNotTheContent() {
    Generator slower = Generator.of(0, CLOCK.origin(), Duration.standardSeconds(1));

    for (long i = 0; i < 200; i++) {
      Order fast = generate(EventKind.ORDERS, 5, i, CLOCK);
      Order slow = generate(EventKind.ORDERS, 5, i, slower);
      assertThat(slow, equalTo(Order.of(slower.placeOf(i), fast.item(), fast.quantity())));
    }
  }

  @Test
  void differentSeedsGiveDifferentStreams() {
    int differences = 0;
    for (long i = 0; i < 100; i++) {
      if (!generate(EventKind.TWEETS, 1, i, CLOCK).equals(generate(EventKind.TWEETS, 2, i, CLOCK))) {
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
      if (generate(EventKind.ORDERS, 1, i, CLOCK).item().equals(generate(EventKind.ORDERS, 1, i + 1, CLOCK).item())) {
        same++;
      }
    }
    assertThat(same, lessThanOrEqualTo(40));
  }

  @Test
  void ordersHaveZipfLikeItemPopularityAndQuantitiesOneToFive() {
    Map<String, Integer> ordersPerItem = new HashMap<>();
    for (long i = 0; i < 20_000; i++) {
      Order order = generate(EventKind.ORDERS, 1, i, CLOCK);
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
      Tweet tweet = generate(EventKind.TWEETS, 1, i, CLOCK);
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
      SessionEvent event = generate(EventKind.SESSIONS, 1, i, CLOCK);
      positionsPerKey.computeIfAbsent(event.session(), k -> new ArrayList<>()).add(i);
    }
    assertThat(positionsPerKey.size(), is(EventContent.Draws.SESSION_KEYS));
    for (Map.Entry<String, List<Long>> key : positionsPerKey.entrySet()) {
      int silences = 0;
      List<Long> positions = key.getValue();
      for (int j = 1; j < positions.size(); j++) {
        if (positions.get(j) - positions.get(j - 1) > EventContent.Draws.SESSION_ACTIVE) {
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
      double value = generate(EventKind.SESSIONS, 4, i, CLOCK).value();
      assertThat(value, greaterThanOrEqualTo(0.01));
      assertThat(value, lessThanOrEqualTo(100.0));
      assertThat(Double.toString(value), new java.math.BigDecimal(Double.toString(value)).scale(), lessThanOrEqualTo(2));
    }
    assertThat(generate(EventKind.SESSIONS, 4, 0, CLOCK).session(), not(equalTo("")));
  }

  @Test
  void withoutLateEventsEveryEventIsAtItsPlaceAsBefore() {
    Generator settings = Generator.of(5, CLOCK.origin(), CLOCK.spacing());

    for (long i = 0; i < 1_000; i++) {
      assertThat(settings.isLate(i), is(false));
      assertThat(settings.eventTime(i), equalTo(CLOCK.placeOf(i)));
      assertThat(settings.event(EventKind.ORDERS, i), equalTo(generate(EventKind.ORDERS, 5, i, CLOCK)));
      assertThat(settings.event(EventKind.TWEETS, i), equalTo(generate(EventKind.TWEETS, 5, i, CLOCK)));
      assertThat(settings.event(EventKind.SESSIONS, i), equalTo(generate(EventKind.SESSIONS, 5, i, CLOCK)));
    }
  }

  @Test
  void aLateEventIsTheSameEventLateByLateBy() {
    Duration lateBy = Duration.standardMinutes(1);
    Generator settings = Generator.of(5, CLOCK.origin(), CLOCK.spacing()).withLateEvents(5, lateBy);

    int late = 0;
    for (long i = 0; i < 1_000; i++) {
      Order onTime = generate(EventKind.ORDERS, 5, i, CLOCK);
      Instant expected = settings.isLate(i) ? CLOCK.placeOf(i).minus(lateBy) : CLOCK.placeOf(i);
      assertThat(settings.eventTime(i), equalTo(expected));
      assertThat(
          settings.event(EventKind.ORDERS, i),
          equalTo(Order.of(expected, onTime.item(), onTime.quantity())));
      late += settings.isLate(i) ? 1 : 0;
    }
    assertThat(late, greaterThan(0));
  }

  @Test
  void whichEventsAreLateIsAPureFunctionOfSeedAndPosition() {
    Generator first = Generator.of(7, CLOCK.origin(), CLOCK.spacing()).withLateEvents(5, Duration.standardSeconds(30));
    Generator again = Generator.of(7, CLOCK.origin(), CLOCK.spacing()).withMaxEvents(100).withLateEvents(5, Duration.standardMinutes(2));
    Generator otherSeed = Generator.of(8, CLOCK.origin(), CLOCK.spacing()).withLateEvents(5, Duration.standardSeconds(30));

    List<Long> late = lateIndexes(first, 20_000);
    assertThat(lateIndexes(again, 20_000), equalTo(late));
    assertThat(lateIndexes(otherSeed, 20_000), not(equalTo(late)));
    // Backwards too: a position's lateness does not depend on the ones before it.
    Set<Long> lateSet = new HashSet<>(late);
    for (long i = 19_999; i >= 0; i--) {
      assertThat(first.isLate(i), is(lateSet.contains(i)));
    }
  }

  @Test
  void aboutThePercentageOfEventsIsLate() {
    for (int percent : new int[] {1, 5, 50}) {
      Generator settings = Generator.of(1, CLOCK.origin(), CLOCK.spacing()).withLateEvents(percent, Duration.standardSeconds(1));
      double share = lateIndexes(settings, 20_000).size() / 20_000.0;
      assertThat(percent + "%", share, greaterThanOrEqualTo(percent / 100.0 * 0.85));
      assertThat(percent + "%", share, lessThanOrEqualTo(percent / 100.0 * 1.15));
    }
    Generator all = Generator.of(1, CLOCK.origin(), CLOCK.spacing()).withLateEvents(100, Duration.standardSeconds(1));
    assertThat(lateIndexes(all, 1_000).size(), is(1_000));
  }

  @Test
  void theLatenessDrawDoesNotFollowTheContentDraw() {
    // Late events are not the ones with, say, the most popular item: the draws are independent.
    Generator settings = Generator.of(1, CLOCK.origin(), CLOCK.spacing()).withLateEvents(50, Duration.standardSeconds(1));
    Map<String, int[]> lateAndAllPerQuantity = new HashMap<>();
    for (long i = 0; i < 20_000; i++) {
      int[] counts =
          lateAndAllPerQuantity.computeIfAbsent(
              Long.toString(generate(EventKind.ORDERS, 1, i, CLOCK).quantity()), q -> new int[2]);
      counts[0] += settings.isLate(i) ? 1 : 0;
      counts[1]++;
    }
    for (Map.Entry<String, int[]> quantity : lateAndAllPerQuantity.entrySet()) {
      double share = quantity.getValue()[0] / (double) quantity.getValue()[1];
      assertThat("quantity " + quantity.getKey(), share, greaterThanOrEqualTo(0.4));
      assertThat("quantity " + quantity.getKey(), share, lessThanOrEqualTo(0.6));
    }
  }

  private static List<Long> lateIndexes(Generator settings, long count) {
    List<Long> late = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      if (settings.isLate(i)) {
        late.add(i);
      }
    }
    return late;
  }

  private static List<Integer> descending(Map<String, Integer> counts) {
    List<Integer> sorted = new ArrayList<>(counts.values());
    sorted.sort(Collections.reverseOrder());
    return sorted;
  }

  /** Event {@code index} of {@code kind} with {@code seed}, at its place on {@code clock}. */
  private static <T> T generate(EventKind<T> kind, long seed, long index, Generator clock) {
    return kind.content().event(seed, index, clock.placeOf(index));
  }
}
