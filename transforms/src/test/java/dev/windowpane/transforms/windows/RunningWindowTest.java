package dev.windowpane.transforms.windows;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

/** The per-key logic of InvertibleSlidingReduce on an in-memory store; times in milliseconds. */
class RunningWindowTest {
  // Windows of 10 every 5 (panes of 5), lateness 0: pane [0,5) is in windows ending 5 and 10.
  private final RunningWindow<Long> sums =
      new RunningWindow<>(
          SlidingSpec.of(Duration.millis(10), Duration.millis(5)), 0, (a, b) -> a + b, (a, b) -> a - b);
  private final MemoryStore store = new MemoryStore();

  @Test
  void emitsEveryWindowOfAPaneThenForgetsTheKeyEntirely() {
    sums.add(store, 0, 3L);
    assertThat(store.timer(), equalTo("fires 4, holds 4"));

    assertThat(fireAll(3), contains("5=3", "10=3", "none"));
    assertThat(store.firedThrough, equalTo(15L));
    assertThat(store.panes.isEmpty(), is(true));
    assertThat(store.running, nullValue());
    assertThat(store.timer(), equalTo("fires 24, holds nothing"));

    assertThat(sums.fire(store, 0L), nullValue());
    assertThat(store.isEmpty(), is(true));
  }

  @Test
  void aPaneWhoseWindowsWereAllEmittedIsDroppedAndOneWithAWindowLeftCountsThere() {
    sums.add(store, 0, 3L);
    fireAll(2);

    assertThat(sums.add(store, 0, 100L), is(false));
    assertThat(sums.add(store, 5, 7L), is(true));

    assertThat(fireAll(3), contains("15=7", "none", "none"));
    assertThat(store.isEmpty(), is(true));
  }

  @Test
  void skipsWindowsWithoutDataAndStartsAgainAtTheNextPane() {
    sums.add(store, 100, 2L);
    sums.add(store, 0, 1L);
    assertThat(store.timer(), equalTo("fires 4, holds 4"));

    assertThat(fireAll(5), contains("5=1", "10=1", "none", "105=2", "110=2"));
  }

  @Test
  void aForgettingKeyStillDropsPanesOfEmittedWindowsAndTakesNewOnes() {
    sums.add(store, 0, 3L);
    fireAll(3);

    assertThat(sums.add(store, 5, 1L), is(false));
    assertThat(sums.add(store, 10, 4L), is(true));
    assertThat(store.timer(), equalTo("fires 19, holds 19"));
    assertThat(fireAll(3), contains("20=4", "none", "none"));
    assertThat(store.isEmpty(), is(true));
  }

  @Test
  void latenessDelaysTheTimerButHoldsTheOutputAtTheWindowEnd() {
    RunningWindow<Long> late =
        new RunningWindow<>(
            SlidingSpec.of(Duration.millis(10), Duration.millis(5)), 60, (a, b) -> a + b, (a, b) -> a - b);
    late.add(store, 0, 3L);
    assertThat(store.timer(), equalTo("fires 64, holds 4"));
  }

  /** Fires the timer {@code times} times: "end=value" per emission, "none" otherwise. */
  private List<String> fireAll(int times) {
    List<String> results = new ArrayList<>();
    for (int i = 0; i < times; i++) {
      RunningWindow.Emission<Long> emission = sums.fire(store, 0L);
      results.add(emission == null ? "none" : emission.end + "=" + emission.value);
    }
    return results;
  }

  private static final class MemoryStore implements RunningWindow.Store<Long> {
    final TreeMap<Long, Long> panes = new TreeMap<>();
    @Nullable Long running;
    int dataPanes;
    @Nullable Long firedThrough;
    @Nullable Long nextEnd;
    @Nullable Long timerFiresAt;
    @Nullable Long timerHoldsAt;

    String timer() {
      return timerFiresAt == null
          ? "no timer"
          : "fires " + timerFiresAt + ", holds " + (timerHoldsAt == null ? "nothing" : timerHoldsAt);
    }

    boolean isEmpty() {
      return panes.isEmpty()
          && running == null
          && dataPanes == 0
          && firedThrough == null
          && nextEnd == null
          && timerFiresAt == null;
    }

    @Override
    public @Nullable Long pane(long start) {
      return panes.get(start);
    }

    @Override
    public void putPane(long start, Long value) {
      panes.put(start, value);
    }

    @Override
    public void removePane(long start) {
      panes.remove(start);
    }

    @Override
    public Iterable<Long> paneStarts() {
      return new ArrayList<>(panes.keySet());
    }

    @Override
    public @Nullable Long running() {
      return running;
    }

    @Override
    public void setRunning(@Nullable Long value) {
      running = value;
    }

    @Override
    public int dataPanes() {
      return dataPanes;
    }

    @Override
    public void setDataPanes(int count) {
      dataPanes = count;
    }

    @Override
    public @Nullable Long firedThrough() {
      return firedThrough;
    }

    @Override
    public void setFiredThrough(long end) {
      firedThrough = end;
    }

    @Override
    public @Nullable Long nextEnd() {
      return nextEnd;
    }

    @Override
    public void setNextEnd(@Nullable Long end) {
      nextEnd = end;
    }

    @Override
    public void setTimer(long firesAt, @Nullable Long holdAt) {
      timerFiresAt = firesAt;
      timerHoldsAt = holdAt;
    }

    @Override
    public void clear() {
      panes.clear();
      running = null;
      dataPanes = 0;
      firedThrough = null;
      nextEnd = null;
      timerFiresAt = null;
      timerHoldsAt = null;
    }
  }
}
