package dev.windowpane.bench;

import java.util.List;
import java.util.Locale;

/**
 * Which planned rows the full run need not spend its time on, judged only from rows already
 * measured: a row is not run when a cheaper row of the same contender and runner already showed
 * the outcome.
 *
 * <ul>
 *   <li>At a higher W/P in the same dimensions, after a timed run completed no window within the
 *       cap at a lower one: every contender does at least as much work per event at a higher W/P
 *       (each window of W/P slides holds each event), so it would complete none either.
 *   <li>In another dimension at W/P 60 (RocksDB, checkpoints, a million keys, late data, runner
 *       flags, a paced run), after its W/P 60 row with the default dimensions completed no window.
 *   <li>Paced, after its default W/P 60 row was capped at a rate below the pace: it cannot keep
 *       the pace, so a freshness figure would measure its backlog.
 *   <li>In the quick mode only, at a higher W/P in the same dimensions after a timed run was capped
 *       at a lower one: it would be capped too, and the full run measures by how much.
 * </ul>
 *
 * Such a row is reported as "not run" with the reason, never as a rate, and a target that needs
 * its rate says "not measured" unless the reason is that no window completed.
 */
final class SkipRule {
  private SkipRule() {}

  private static final String NO_WINDOW = "no window completed at W/P ";

  /**
   * Why {@code planned} (a row with its dimensions and no measurement) need not run, or null;
   * {@code quick} adds the quick mode's rule.
   */
  static String reason(List<Row> earlier, Row planned, boolean quick) {
    if (planned.ratio() == null) {
      return null;
    }
    for (Row r : earlier) {
      if (!sameContender(r, planned) || r.ratio() == null) {
        continue;
      }
      if (r.series().equals(planned.series()) && r.ratio() < planned.ratio()) {
        if (r.noWindowCompleted()) {
          return NO_WINDOW + r.ratio();
        }
        if (!r.ran()) {
          return r.notRun();
        }
        if (quick && r.capped()) {
          return "quick mode, capped at W/P " + r.ratio();
        }
      }
      boolean base = r.dimensions().isEmpty() && r.ratio().equals(planned.ratio());
      if (base && !planned.dimensions().isEmpty()) {
        if (r.noWindowCompleted()) {
          return NO_WINDOW + r.ratio() + " with 10,000 keys, heap, no checkpoints";
        }
        if (planned.pacedRate() > 0 && r.capped() && r.eventsPerSecond() < planned.pacedRate()) {
          return String.format(Locale.ROOT, "at W/P %d it processed %s events/s (capped), below the pace of %s/s",
              r.ratio(), Report.rate(r.eventsPerSecond()), Report.rate(planned.pacedRate()));
        }
      }
    }
    return null;
  }

  /**
   * Whether {@code r}'s rate is known: it ran, or it was not run because a cheaper row completed
   * no window (so its rate is 0).
   */
  static boolean rateKnown(Row r) {
    return r.ran() || r.notRun().startsWith(NO_WINDOW);
  }

  private static boolean sameContender(Row a, Row b) {
    return a.contender().equals(b.contender()) && a.runner().equals(b.runner());
  }
}
