package dev.windowpane.transforms.sessions;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Exact arithmetic on doubles for {@link SessionSummary}: the exact value of a double as a {@link
 * BigDecimal}, and an exact quotient rounded once to the nearest double (ties to even). Both as
 * {@code new BigDecimal(double)} and {@code BigDecimal.doubleValue()} would give them, but without
 * computing a power of five per value or printing and parsing hundreds of digits per quotient.
 */
final class ExactDoubles {
  /** 5^k for the k binary digits after the point of a double, 0 to 1074, computed once each. */
  private static final BigInteger[] FIVE_POWERS = new BigInteger[1075];

  /** Enough digits to hold any midpoint between neighbouring doubles (at most 767 digits). */
  private static final MathContext MIDPOINT_DIGITS = new MathContext(800, RoundingMode.DOWN);

  private ExactDoubles() {}

  /** The exact value of the finite double {@code value}. */
  static BigDecimal exact(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("A session value must be finite, got " + value + ".");
    }
    if (value == 0) {
      return BigDecimal.ZERO;
    }
    long bits = Double.doubleToRawLongBits(value);
    int biased = (int) ((bits >>> 52) & 0x7ff);
    long significand = bits & ((1L << 52) - 1);
    if (biased == 0) {
      biased = 1; // subnormal: no implicit leading bit
    } else {
      significand |= 1L << 52;
    }
    int exponent = biased - 1075; // value = significand * 2^exponent
    int zeros = Long.numberOfTrailingZeros(significand);
    significand >>= zeros;
    exponent += zeros;
    BigInteger signed = BigInteger.valueOf(bits < 0 ? -significand : significand);
    if (exponent >= 0) {
      return new BigDecimal(signed.shiftLeft(exponent));
    }
    // significand * 2^-k = significand * 5^k / 10^k
    return new BigDecimal(signed.multiply(fivePower(-exponent)), -exponent);
  }

  /**
   * {@code value / divisor} rounded once to the nearest double, ties to even; an infinity beyond
   * the range of a double. {@code divisor} is at least 1.
   */
  static double nearest(BigDecimal value, long divisor) {
    int sign = value.signum();
    if (sign == 0) {
      return 0.0;
    }
    BigInteger numerator = value.unscaledValue().abs();
    BigInteger denominator = BigInteger.valueOf(divisor);
    if (value.scale() > 0) {
      denominator = denominator.multiply(BigInteger.TEN.pow(value.scale()));
    } else if (value.scale() < 0) {
      numerator = numerator.multiply(BigInteger.TEN.pow(-value.scale()));
    }
    // A quotient of 62 or 63 bits, its last bit set when inexact ("round to odd"): with more than
    // 53 + 1 bits, converting it to a double rounds as the exact quotient would.
    int shift = 62 - (numerator.bitLength() - denominator.bitLength());
    if (62 - shift < -1021) {
      return slowNearest(value, divisor); // a subnormal result would be rounded twice
    }
    BigInteger[] quotient =
        shift >= 0
            ? numerator.shiftLeft(shift).divideAndRemainder(denominator)
            : numerator.divideAndRemainder(denominator.shiftLeft(-shift));
    long bits = quotient[0].longValueExact();
    if (quotient[1].signum() != 0) {
      bits |= 1;
    }
    return sign * Math.scalb((double) bits, -shift);
  }

  /** As {@link #nearest}, through decimal digits: truncated, a sticky digit, then parsed. */
  private static double slowNearest(BigDecimal value, long divisor) {
    BigDecimal count = BigDecimal.valueOf(divisor);
    BigDecimal truncated = value.divide(count, MIDPOINT_DIGITS);
    if (truncated.multiply(count).compareTo(value) != 0) {
      truncated = truncated.add(BigDecimal.valueOf(truncated.signum(), truncated.scale() + 1));
    }
    return truncated.doubleValue();
  }

  private static BigInteger fivePower(int k) {
    BigInteger power = FIVE_POWERS[k];
    if (power == null) {
      // A race computes the same immutable value twice at worst.
      power = BigInteger.valueOf(5).pow(k);
      FIVE_POWERS[k] = power;
    }
    return power;
  }
}
