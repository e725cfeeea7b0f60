package dev.windowpane.transforms.state;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The DoFns behind {@link MapWithState} called directly with in-memory state and timers, to see
 * what a key leaves behind: nothing once it timed out or was removed.
 */
class MappingDoFnTest {
  private static final Duration TIMEOUT = Duration.standardMinutes(1);
  private static final TupleTag<String> OUTPUTS = new TupleTag<>("outputs");

  private final FakeState<Integer> state = new FakeState<>();
  private final FakeState<Instant> lastActivity = new FakeState<>();
  private final FakeTimer timer = new FakeTimer();
  private final Outputs out = new Outputs();

  private static Instant at(int seconds) {
    return new Instant(0).plus(Duration.standardSeconds(seconds));
  }

  private static MappingDoFn.EventTimeTimeout<String, Integer, Integer, String> eventTime() {
    return new MappingDoFn.EventTimeTimeout<>(
        MapWithStateTest::runningSum, VarIntCoder.of(), OUTPUTS, null, TIMEOUT);
  }

  private void process(
      MappingDoFn.EventTimeTimeout<String, Integer, Integer, String> fn,
      int value,
      int seconds,
      BoundedWindow window) {
    fn.process(KV.of("a", value), at(seconds), window, state, lastActivity, timer, out);
  }

  @Test
  void setsTheTimeoutAtTheLatestEventTimePlusTheTimeoutAndHoldsTheWatermarkThere() {
    MappingDoFn.EventTimeTimeout<String, Integer, Integer, String> fn = eventTime();

    process(fn, 1, 10, GlobalWindow.INSTANCE);
    process(fn, 2, 5, GlobalWindow.INSTANCE);

    assertThat(state.value, equalTo(3));
    assertThat(lastActivity.value, equalTo(at(10)));
    assertThat(timer.target, equalTo(at(70)));
    assertThat(timer.outputTimestamp, equalTo(at(70)));
  }

  @Test
  void leavesNothingBehindAfterATimeout() {
    MappingDoFn.EventTimeTimeout<String, Integer, Integer, String> fn = eventTime();
    process(fn, 1, 10, GlobalWindow.INSTANCE);

    fn.onTimeout("a", state, lastActivity, out);

    assertThat(out.values, contains("a=1", "a timed out at 1"));
    assertThat(state.value, is(nullValue()));
    assertThat(lastActivity.value, is(nullValue()));
  }

  @Test
  void leavesNothingBehindAfterARemoval() {
    MappingDoFn.EventTimeTimeout<String, Integer, Integer, String> fn = eventTime();
    process(fn, 1, 10, GlobalWindow.INSTANCE);

    process(fn, 0, 20, GlobalWindow.INSTANCE);

    assertThat(out.values, contains("a=1", "a removed"));
    assertThat(state.value, is(nullValue()));
    assertThat(lastActivity.value, is(nullValue()));
    assertThat(timer.target, is(nullValue()));
  }

  @Test
  void aTimerWithoutStateCallsNothing() {
    eventTime().onTimeout("a", state, lastActivity, out);

    assertThat(out.values, is(empty()));
  }

  @Test
  void neverSchedulesATimeoutAfterTheWindowEnds() {
    process(eventTime(), 1, 30, new IntervalWindow(at(0), at(60)));

    assertThat(timer.target, equalTo(at(60).minus(Duration.millis(1))));
    assertThat(timer.outputTimestamp, equalTo(at(60).minus(Duration.millis(1))));
  }

  @Test
  void aProcessingTimeTimeoutIsRelativeAndEmitsAtTheLatestEventTime() {
    MappingDoFn.ProcessingTimeTimeout<String, Integer, Integer, String> fn =
        new MappingDoFn.ProcessingTimeTimeout<>(
            MapWithStateTest::runningSum, VarIntCoder.of(), OUTPUTS, null, TIMEOUT);

    fn.process(KV.of("a", 1), at(10), state, lastActivity, timer, out);
    fn.process(KV.of("a", 2), at(4), state, lastActivity, timer, out);

    assertThat(timer.offset, equalTo(TIMEOUT));
    assertThat(timer.relative, is(true));
    assertThat(timer.outputTimestamp, equalTo(at(10)));

    fn.process(KV.of("a", 0), at(12), state, lastActivity, timer, out);
    assertThat(state.value, is(nullValue()));
    assertThat(lastActivity.value, is(nullValue()));
    assertThat(timer.relative, is(false));
  }

  private static final class FakeState<T> implements ValueState<T> {
    T value;

    @Override
    public void write(T input) {
      value = input;
    }

    @Override
    public T read() {
      return value;
    }

    @Override
    public ValueState<T> readLater() {
      return this;
    }

    @Override
    public void clear() {
      value = null;
    }
  }

  private static final class FakeTimer implements Timer {
    Instant target;
    Instant outputTimestamp;
    Duration offset = Duration.ZERO;
    boolean relative;

    @Override
    public void set(Instant absoluteTime) {
      target = absoluteTime;
    }

    @Override
    public void setRelative() {
      relative = true;
    }

    @Override
    public void clear() {
      target = null;
      relative = false;
    }

    @Override
    public Timer offset(Duration offset) {
      this.offset = offset;
      return this;
    }

    @Override
    public Timer align(Duration period) {
      return this;
    }

    @Override
    public Timer withOutputTimestamp(Instant outputTime) {
      outputTimestamp = outputTime;
      return this;
    }

    @Override
    public Timer withNoOutputTimestamp() {
      outputTimestamp = null;
      return this;
    }

    @Override
    public Instant getCurrentRelativeTime() {
      return at(0);
    }
  }

  private static final class Outputs implements DoFn.MultiOutputReceiver {
    final List<Object> values = new ArrayList<>();

    @Override
    public <T> DoFn.OutputReceiver<T> get(TupleTag<T> tag) {
      return new DoFn.OutputReceiver<T>() {
        @Override
        public void output(T output) {
          values.add(output);
        }

        @Override
        public void outputWithTimestamp(T output, Instant timestamp) {
          values.add(output);
        }
      };
    }

    @Override
    public <T> DoFn.OutputReceiver<Row> getRowReceiver(TupleTag<T> tag) {
      throw new UnsupportedOperationException();
    }
  }
}
