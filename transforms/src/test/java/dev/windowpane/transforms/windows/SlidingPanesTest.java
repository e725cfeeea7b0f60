package dev.windowpane.transforms.windows;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The pane engine on its own, through an in-memory store and a runner that fires the shard's
 * timer when the watermark reaches it: every emission stays within reach of downstream (never
 * behind the output watermark by more than the allowed lateness), state stays bounded, and once
 * the watermark passes the end of everything no state and no timer is left.
 */
class SlidingPanesTest {

  /**
   * {@link SlidingPanes.Store} in maps, as the Beam runners keep it, recording its timer, and
   * checking that the engine never changes the progress it read (a checkpoint being written may
   * share it, as Flink's heap backend does with Beam's fasterCopy).
   */
  static final class RecordingStore extends MemoryStore<String, Long> {
    Long timerAt;
    Long holdAt;
    private SlidingPanes.@Nullable Progress handedOut;
    private byte[] handedOutBytes;

    @Override
    public SlidingPanes.@Nullable Progress progress() {
      checkUnchanged();
      handedOut = progress;
      handedOutBytes = handedOut == null ? null : encoded(handedOut);
      return progress;
    }

    @Override
    public void setProgress(SlidingPanes.@Nullable Progress value) {
      checkUnchanged();
      super.setProgress(value);
    }

    private void checkUnchanged() {
      if (handedOut != null) {
        assertThat("the progress read is never changed", Arrays.equals(encoded(handedOut), handedOutBytes), is(true));
      }
    }

    private static byte[] encoded(SlidingPanes.Progress progress) {
      try {
        return CoderUtils.encodeToByteArray(SlidingPanes.Progress.ProgressCoder.INSTANCE, progress);
      } catch (CoderException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void setTimer(long firesAt, @Nullable Long hold) {
      timerAt = firesAt;
      holdAt = hold;
    }

    @Override
    public void clearTimer() {
      timerAt = null;
      holdAt = null;
    }
  }

  /** Records emissions and checks that each is still within the allowed lateness downstream. */
  static final class CheckingSink implements SlidingPanes.Sink<String, Long> {
    final long lateness;
    long outputWatermark = Long.MIN_VALUE;
    final List<Long> emittedEnds = new ArrayList<>();

    CheckingSink(long lateness) {
      this.lateness = lateness;
    }

    @Override
    public void window(
        long end, long version, Iterable<Map.Entry<String, PaneEntry<Long>>> totals, @Nullable Set<String> only) {
      assertThat("window ending " + end + " emitted behind the output watermark", end - 1 + lateness,
          greaterThanOrEqualTo(outputWatermark));
      emittedEnds.add(end);
    }

    @Override
    public void tooLate(String key, Long value) {}

    @Override
    public void lateEvents(long events) {}

    @Override
    public void lateWindowUpdates(long updates) {}
  }

  @Test
  void leavesNoStateAndNoTimerAfterTheEndOfEverythingAndNeverEmitsOutOfReach() {
    Random random = new Random(11);
    for (int round = 0; round < 300; round++) {
      long period = 1000L * (1 + random.nextInt(4));
      long size = period * (1 + random.nextInt(5)) + (random.nextBoolean() ? 0 : 500L * (1 + random.nextInt(2)));
      long lateness = random.nextBoolean() ? 0 : 1000L * random.nextInt(8);
      SlidingSpec spec = SlidingSpec.of(Duration.millis(size), Duration.millis(period));
      SlidingPanes.Emit emit = random.nextBoolean() ? SlidingPanes.Emit.ON_TIME_AND_LATE : SlidingPanes.Emit.WHEN_FINAL;
      SlidingPanes<String, Long> engine =
          new SlidingPanes<>(spec, lateness, PaneAggregation.sumOfLongs(), emit, false, 1, 0);
      RecordingStore store = new RecordingStore();
      CheckingSink sink = new CheckingSink(lateness);
      long watermark = 0;
      int maxPanes = 0;
      for (int step = 0; step < 200; step++) {
        if (random.nextInt(3) == 0) {
          watermark += random.nextInt(2500);
          fireTimer(engine, store, sink, watermark);
        } else {
          long t = watermark + random.nextInt(6000) - random.nextInt(random.nextBoolean() ? 2000 : 20000);
          long pane = spec.paneStart(t);
          List<KV<String, PaneEntry<Long>>> entries = List.of(KV.of("k" + random.nextInt(5), new PaneEntry<>((long) random.nextInt(7) - 3, 1)));
          engine.add(store, sink, new PaneBatch<>(List.of(new PaneBatch.Pane<>(pane, 1, entries))), watermark);
          sink.outputWatermark = Math.max(sink.outputWatermark, outputWatermark(store, watermark));
        }
        maxPanes = Math.max(maxPanes, store.chunkCounts.size());
      }
      // Panes kept: those of windows not yet closed, plus at most the future the batches reached.
      assertThat(maxPanes, lessThanOrEqualTo((int) ((size + lateness + 6000 + 2 * period) / spec.paneMillis()) + 2));
      fireTimer(engine, store, sink, BoundedWindow.TIMESTAMP_MAX_VALUE.getMillis());
      assertThat(store.progress, nullValue());
      assertThat(store.chunkCounts.keySet(), empty());
      assertThat(store.chunks.keySet(), empty());
      assertThat(store.running.keySet(), empty());
      assertThat(store.timerAt, nullValue());
      if (emit == SlidingPanes.Emit.WHEN_FINAL) {
        assertThat("each window once when final", new java.util.HashSet<>(sink.emittedEnds).size(), is(sink.emittedEnds.size()));
      }
    }
  }

  @Test
  void stateWrittenWithAnotherShardCountIsRefusedInOneSentence() {
    SlidingSpec spec = SlidingSpec.of(Duration.millis(3000), Duration.millis(1000));
    RecordingStore store = new RecordingStore();
    CheckingSink sink = new CheckingSink(0);
    PaneBatch<String, Long> batch =
        new PaneBatch<>(List.of(new PaneBatch.Pane<>(spec.paneStart(500), 1, List.of(KV.of("a", new PaneEntry<>(2L, 1))))));
    new SlidingPanes<String, Long>(spec, 0, PaneAggregation.sumOfLongs(), SlidingPanes.Emit.ON_TIME_AND_LATE, false, 16, 0)
        .add(store, sink, batch, 0);
    SlidingPanes<String, Long> rescaled =
        new SlidingPanes<>(spec, 0, PaneAggregation.sumOfLongs(), SlidingPanes.Emit.ON_TIME_AND_LATE, false, 32, 0);
    String expected = "The restored state spreads the keys over 16 shards and this run over 32 (the default follows"
        + " the parallelism): resume with the parallelism of the run that wrote it, or set the shards to 16"
        + " (withShards).";
    IllegalStateException onBatch = assertThrows(IllegalStateException.class, () -> rescaled.add(store, sink, batch, 0));
    assertThat(onBatch.getMessage(), equalTo(expected));
    IllegalStateException onTimer = assertThrows(IllegalStateException.class, () -> rescaled.onTimer(store, sink, 5000));
    assertThat(onTimer.getMessage(), equalTo(expected));
  }

  @Test
  void theDefaultShardCountFollowsTheRunnersParallelism() {
    org.apache.beam.sdk.options.PipelineOptionsFactory.register(RunnerParallelismOptions.class);
    assertThat(SlidingTopN.defaultShards(org.apache.beam.sdk.options.PipelineOptionsFactory.create()), is(16));
    assertThat(SlidingTopN.defaultShards(
        org.apache.beam.sdk.options.PipelineOptionsFactory.fromArgs("--parallelism=1").create()), is(16));
    assertThat(SlidingTopN.defaultShards(
        org.apache.beam.sdk.options.PipelineOptionsFactory.fromArgs("--parallelism=2").create()), is(16));
    assertThat(SlidingTopN.defaultShards(
        org.apache.beam.sdk.options.PipelineOptionsFactory.fromArgs("--parallelism=64").create()), is(512));
  }

  /** Fires the shard's timer while it is due at {@code watermark}, as a runner would. */
  private static void fireTimer(
      SlidingPanes<String, Long> engine, RecordingStore store, CheckingSink sink, long watermark) {
    sink.outputWatermark = Math.max(sink.outputWatermark, outputWatermark(store, watermark) - 0);
    int guard = 0;
    while (store.timerAt != null && store.timerAt <= watermark) {
      assertThat("timers keep moving forward", ++guard, lessThanOrEqualTo(100_000));
      Long fired = store.timerAt;
      store.timerAt = null;
      store.holdAt = null;
      engine.onTimer(store, sink, watermark);
      if (store.timerAt != null) {
        assertThat(store.timerAt, greaterThanOrEqualTo(fired));
      }
    }
    sink.outputWatermark = Math.max(sink.outputWatermark, outputWatermark(store, watermark));
  }

  /** What a runner lets downstream see: the input watermark, held by the timer's hold. */
  private static long outputWatermark(RecordingStore store, long watermark) {
    return store.holdAt == null ? watermark : Math.min(watermark, store.holdAt);
  }
}
