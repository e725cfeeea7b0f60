package dev.windowpane.pipelines.generator;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws ranks {@code 0..n-1} with Zipf-like popularity: rank r has weight {@code 1 / (r+1)^exponent},
 * so a few ranks dominate and a long tail follows. O(log n) per draw after O(n) set-up.
 */
final class ZipfRanks {
  private final double[] cumulative;

  ZipfRanks(int n, double exponent) {
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
    double u = random.nextDouble();
    int i = Arrays.binarySearch(cumulative, u);
    int rank = i >= 0 ? i : -i - 1;
    return Math.min(rank, cumulative.length - 1);
  }
}
