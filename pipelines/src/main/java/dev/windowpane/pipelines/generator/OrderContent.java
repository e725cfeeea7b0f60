package dev.windowpane.pipelines.generator;

import dev.windowpane.pipelines.events.Order;
import java.util.SplittableRandom;
import org.joda.time.Instant;

/**
 * Synthetic orders: items "sku-1".."sku-1000" with Zipf-like popularity (which skus are popular
 * depends on the seed), quantities 1..5, mostly 1.
 */
final class OrderContent implements EventContent<Order> {
  private static final long serialVersionUID = 1L;
  static final int SKUS = 1000;
  /** Coprime with SKUS: turns popularity ranks into a scattered set of sku numbers. */
  private static final int SCATTER = 389;
  private static final ZipfRanks POPULARITY = new ZipfRanks(SKUS, 1.1);
  private static final int[] QUANTITY_WEIGHTS = {50, 25, 12, 8, 5};

  @Override
  public Order event(long seed, long index, Instant eventTime) {
    SplittableRandom random = EventRandom.of(seed, index);
    int rank = POPULARITY.draw(random);
    long offset = Math.floorMod(EventRandom.ofSeed(seed), SKUS);
    long sku = (rank * (long) SCATTER + offset) % SKUS + 1;
    return Order.of(eventTime, "sku-" + sku, quantity(random));
  }

  private static int quantity(SplittableRandom random) {
    int u = random.nextInt(100);
    for (int q = 0; q < QUANTITY_WEIGHTS.length; q++) {
      u -= QUANTITY_WEIGHTS[q];
      if (u < 0) {
        return q + 1;
      }
    }
    return QUANTITY_WEIGHTS.length;
  }
}
