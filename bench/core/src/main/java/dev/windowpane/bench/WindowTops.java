package dev.windowpane.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The top N per window of one run, keyed by window end (epoch millis), as a contender produced
 * them; the unit of verification. A window reported again (a late firing refining it) keeps its
 * last ranking and counts as a duplicate, which verification accepts only on a workload with late
 * events. Stored as tab-separated lines {@code windowEnd rank key total}.
 */
public final class WindowTops {
  private final NavigableMap<Long, List<Ranked>> byWindowEnd = new TreeMap<>();
  private int duplicates;

  /** Records the ranking of the window ending at {@code windowEnd}. */
  public synchronized void put(long windowEnd, List<Ranked> ranking) {
    List<Ranked> copy = List.copyOf(ranking);
    if (byWindowEnd.put(windowEnd, copy) != null) {
      duplicates++;
    }
  }

  public synchronized int windows() {
    return byWindowEnd.size();
  }

  public synchronized int duplicates() {
    return duplicates;
  }

  public synchronized List<Ranked> get(long windowEnd) {
    return byWindowEnd.getOrDefault(windowEnd, Collections.emptyList());
  }

  public synchronized NavigableMap<Long, List<Ranked>> asMap() {
    return Collections.unmodifiableNavigableMap(new TreeMap<>(byWindowEnd));
  }

  /**
   * Compares these (a contender's) rankings with the {@code reference}: every window reported
   * here must be a window of the reference with exactly its ranking, and every window of the
   * reference up to the last one reported here must have been reported (a run stopped at the cap
   * has completed a prefix of the windows, not any subset of them); a window is reported once
   * unless {@code refinementsAllowed} (late events), when its last report counts.
   */
  public Verification verifyAgainst(WindowTops reference) {
    return verifyAgainst(reference, false);
  }

  /** As {@link #verifyAgainst(WindowTops)}, accepting late firings when {@code refinementsAllowed}. */
  public Verification verifyAgainst(WindowTops reference, boolean refinementsAllowed) {
    NavigableMap<Long, List<Ranked>> mine = asMap();
    NavigableMap<Long, List<Ranked>> expected = reference.asMap();
    String mismatch = null;
    int compared = 0;
    for (Map.Entry<Long, List<Ranked>> e : mine.entrySet()) {
      List<Ranked> want = expected.get(e.getKey());
      if (want == null) {
        mismatch = "window ending " + Instant.ofEpochMilli(e.getKey()) + " is not a window of the reference";
        break;
      }
      if (!want.equals(e.getValue())) {
        mismatch = "window ending " + Instant.ofEpochMilli(e.getKey()) + ": expected " + want
            + " but got " + e.getValue();
        break;
      }
      compared++;
    }
    if (mismatch == null && duplicates() > 0 && !refinementsAllowed) {
      mismatch = duplicates() + " windows were reported more than once";
    }
    if (mismatch == null && !mine.isEmpty()) {
      int missing = 0;
      Long firstMissing = null;
      for (Long end : expected.headMap(mine.lastKey(), true).keySet()) {
        if (!mine.containsKey(end)) {
          missing++;
          firstMissing = firstMissing == null ? end : firstMissing;
        }
      }
      if (missing > 0) {
        mismatch = missing + " windows before the last one reported are missing, the first ending "
            + Instant.ofEpochMilli(firstMissing);
      }
    }
    return new Verification(expected.size(), compared, mismatch);
  }

  public void write(Path file) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (Map.Entry<Long, List<Ranked>> e : asMap().entrySet()) {
        int rank = 1;
        for (Ranked r : e.getValue()) {
          w.write(e.getKey() + "\t" + rank++ + "\t" + r.key() + "\t" + r.total() + "\n");
        }
      }
      if (duplicates() > 0) {
        w.write("#duplicates\t" + duplicates() + "\n");
      }
    }
  }

  public static WindowTops read(Path file) throws IOException {
    WindowTops tops = new WindowTops();
    TreeMap<Long, List<Ranked>> lists = new TreeMap<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        String[] f = line.split("\t");
        if (f[0].equals("#duplicates")) {
          tops.duplicates = Integer.parseInt(f[1]);
          continue;
        }
        lists.computeIfAbsent(Long.parseLong(f[0]), k -> new ArrayList<>())
            .add(new Ranked(f[2], Long.parseLong(f[3])));
      }
    }
    lists.forEach((end, list) -> tops.byWindowEnd.put(end, List.copyOf(list)));
    return tops;
  }

  /** The outcome of a comparison with the reference. */
  public record Verification(int windowsExpected, int windowsCompared, String mismatch) {
    /** No wrong window and at least one window compared. */
    public boolean passed() {
      return mismatch == null && windowsCompared > 0;
    }

    /** Every window of the reference was produced and equal. */
    public boolean complete() {
      return passed() && windowsCompared == windowsExpected;
    }

    public String describe() {
      if (mismatch != null) {
        return "WRONG: " + mismatch;
      }
      if (windowsCompared == 0) {
        return "not verified: no window produced";
      }
      return complete()
          ? "all " + windowsExpected + " windows equal"
          : windowsCompared + " of " + windowsExpected + " windows equal (stopped at the cap)";
    }
  }
}
