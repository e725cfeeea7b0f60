package dev.windowpane.transforms.sessions;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.comparesEqualTo;
import static org.hamcrest.Matchers.equalTo;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExactDoublesTest {
  /** More digits than any midpoint between doubles has, so rounding from here rounds once. */
  private static final MathContext REFERENCE = new MathContext(1200, RoundingMode.HALF_EVEN);

  private static double randomDouble(Random random) {
    switch (random.nextInt(4)) {
      case 0:
        return Double.longBitsToDouble(random.nextLong()); // any bits: subnormals, huge, NaN
      case 1:
        return Math.round(random.nextDouble() * 1e6) / 100.0; // prices
      case 2:
        return (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(40) - 20);
      default:
        return random.nextInt(2000) * Double.MIN_VALUE; // subnormals
    }
  }

  @Test
  void theExactValueOfADoubleIsTheJdksAndItsNearestDoubleIsItself() {
    Random random = new Random(3);
    for (int i = 0; i < 100_000; i++) {
      double value = randomDouble(random);
      if (!Double.isFinite(value)) {
        continue;
      }
      BigDecimal exact = ExactDoubles.exact(value);
      assertThat(exact, comparesEqualTo(new BigDecimal(value)));
      assertThat(ExactDoubles.nearest(exact, 1), equalTo(value == 0 ? 0.0 : value));
    }
  }

  @Test
  void aQuotientIsRoundedOnceToTheNearestDouble() {
    Random random = new Random(4);
    for (int i = 0; i < 3_000; i++) {
      BigDecimal sum = BigDecimal.ZERO;
      int terms = 1 + random.nextInt(4);
      for (int t = 0; t < terms; t++) {
        double value = randomDouble(random);
        if (Double.isFinite(value)) {
          sum = sum.add(new BigDecimal(value).multiply(BigDecimal.valueOf(1 + random.nextInt(3))));
        }
      }
      long divisor = random.nextBoolean() ? 1 + random.nextInt(10) : 1 + random.nextInt(1 << 30);
      double expected = sum.divide(BigDecimal.valueOf(divisor), REFERENCE).doubleValue();
      assertThat(sum + " / " + divisor, ExactDoubles.nearest(sum, divisor), equalTo(expected));
    }
  }

  @Test
  void aTieRoundsToEvenAndBeyondTheRangeIsAnInfinity() {
    BigDecimal one = BigDecimal.ONE;
    BigDecimal halfUlp = new BigDecimal(Math.ulp(1.0)).divide(BigDecimal.valueOf(2));
    assertThat(ExactDoubles.nearest(one.add(halfUlp), 1), equalTo(1.0));
    assertThat(
        ExactDoubles.nearest(one.add(halfUlp.multiply(BigDecimal.valueOf(3))), 1),
        equalTo(1.0 + 2 * Math.ulp(1.0)));
    BigDecimal twiceMax = new BigDecimal(Double.MAX_VALUE).multiply(BigDecimal.valueOf(2));
    assertThat(ExactDoubles.nearest(twiceMax, 1), equalTo(Double.POSITIVE_INFINITY));
    assertThat(ExactDoubles.nearest(twiceMax.negate(), 1), equalTo(Double.NEGATIVE_INFINITY));
    assertThat(ExactDoubles.nearest(twiceMax, 2), equalTo(Double.MAX_VALUE));
  }
}
