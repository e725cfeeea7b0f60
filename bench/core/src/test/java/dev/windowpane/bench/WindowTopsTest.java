package dev.windowpane.bench;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WindowTopsTest {
  private static WindowTops reference() {
    WindowTops r = new WindowTops();
    r.put(60_000, List.of(new Ranked("a", 9), new Ranked("b", 4)));
    r.put(120_000, List.of(new Ranked("b", 7), new Ranked("a", 7)));
    return r;
  }

  @Test
  void writtenRankingsReadBackEqual(@TempDir Path dir) throws Exception {
    WindowTops tops = reference();
    tops.write(dir.resolve("tops.tsv"));
    assertThat(WindowTops.read(dir.resolve("tops.tsv")).asMap(), equalTo(tops.asMap()));
  }

  @Test
  void equalRankingsForEveryWindowAreACompleteVerification() {
    WindowTops.Verification v = reference().verifyAgainst(reference());
    assertThat(v.passed(), is(true));
    assertThat(v.complete(), is(true));
    assertThat(v.describe(), equalTo("all 2 windows equal"));
  }

  @Test
  void someWindowsEqualPassButAreNotComplete() {
    WindowTops partial = new WindowTops();
    partial.put(60_000, List.of(new Ranked("a", 9), new Ranked("b", 4)));
    WindowTops.Verification v = partial.verifyAgainst(reference());
    assertThat(v.passed(), is(true));
    assertThat(v.complete(), is(false));
    assertThat(v.describe(), containsString("1 of 2 windows equal"));
  }

  @Test
  void aWindowMissingBeforeTheLastOneReportedFails() {
    WindowTops gap = new WindowTops();
    gap.put(120_000, List.of(new Ranked("b", 7), new Ranked("a", 7)));
    WindowTops.Verification v = gap.verifyAgainst(reference());
    assertThat(v.passed(), is(false));
    assertThat(v.describe(), equalTo(
        "WRONG: 1 windows before the last one reported are missing, the first ending 1970-01-01T00:01:00Z"));
  }

  @Test
  void aWrongTotalOrOrderFails() {
    WindowTops wrong = new WindowTops();
    wrong.put(60_000, List.of(new Ranked("a", 9), new Ranked("b", 4)));
    wrong.put(120_000, List.of(new Ranked("a", 7), new Ranked("b", 7)));
    WindowTops.Verification v = wrong.verifyAgainst(reference());
    assertThat(v.passed(), is(false));
    assertThat(v.describe(), containsString("WRONG: window ending 1970-01-01T00:02:00Z"));
  }

  @Test
  void aWindowReportedTwiceFails() {
    WindowTops twice = reference();
    twice.put(60_000, List.of(new Ranked("a", 9), new Ranked("b", 4)));
    assertThat(twice.verifyAgainst(reference()).describe(),
        equalTo("WRONG: 1 windows were reported more than once"));
  }

  @Test
  void noWindowIsNotVerified() {
    WindowTops.Verification v = new WindowTops().verifyAgainst(reference());
    assertThat(v.passed(), is(false));
    assertThat(v.describe(), equalTo("not verified: no window produced"));
  }
}
