package dev.windowpane.transforms.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * A seeded random event-time timeline for the sliding transforms: batches of keyed events (values
 * from -3 to 5, zero included) on time, late within the allowed lateness and too late, between
 * random watermark advances, and the sliding-window geometries (window a multiple of the slide
 * or not, offset zero or not, lateness zero or not, one or several shards) to run on it. {@link #expected} computes,
 * straight from Beam's definition, what each window's last pane must hold and what the late
 * counters must say, assuming (as TestStream on the DirectRunner guarantees) that every element
 * meets the watermark last advanced before it.
 */
public final class LateDataScenario {
  /** One sliding geometry to run on the timeline. */
  public static final class Config {
    public final long size;
    public final long period;
    public final long lateness;
    public final int shards;
    public final int top;
    /** Window starts are offset plus a multiple of the period. */
    public final long offset;

    Config(long size, long period, long offset, long lateness, int shards, int top) {
      this.size = size;
      this.period = period;
      this.offset = offset;
      this.lateness = lateness;
      this.shards = shards;
      this.top = top;
    }

    @Override
    public String toString() {
      return "size " + size + "ms, period " + period + "ms, offset " + offset + "ms, lateness " + lateness + "ms, " + shards + " shards, top " + top;
    }
  }

  /** What a config must give: each window's final per-key totals, and the late counters. */
  public static final class Expected {
    /** Window end -> key -> total, for windows with at least one counted event. */
    public final TreeMap<Long, Map<String, Long>> totals = new TreeMap<>();
    /** Key -> summed value of the events too late for every window they belong to. */
    public final Map<String, Long> tooLate = new TreeMap<>();
    public long lateEventsDropped;
    public long lateWindowUpdatesDropped;
  }

  private static final long UNIT = 1000;
  private static final Instant ORIGIN = Instant.parse("2025-11-25T10:00:00Z");

  public final long seed;
  public final List<Config> configs = new ArrayList<>();
  /** Each step: a watermark advance (key null) or an event. Watermarks only move forward. */
  private final List<Step> steps = new ArrayList<>();

  private static final class Step {
    final long watermark;
    final List<TimestampedValue<KV<String, Long>>> events;

    Step(long watermark, List<TimestampedValue<KV<String, Long>>> events) {
      this.watermark = watermark;
      this.events = events;
    }
  }

  private LateDataScenario(long seed) {
    this.seed = seed;
  }

  /** A timeline of {@code steps} steps and {@code configs} geometries, from {@code seed}. */
  public static LateDataScenario random(long seed, int stepCount, int configCount) {
    return random(seed, stepCount, configCount, true);
  }

  /**
   * As {@link #random(long, int, int)}; without {@code lateData} every event is at or after the
   * watermark (out of order still), so the result does not depend on when each parallel task
   * sees a watermark.
   */
  public static LateDataScenario random(long seed, int stepCount, int configCount, boolean lateData) {
    LateDataScenario s = new LateDataScenario(seed);
    Random random = new Random(seed);
    long maxLateness = 0;
    long maxSize = 0;
    for (int c = 0; c < configCount; c++) {
      long period = UNIT * (1 + random.nextInt(4));
      long size = random.nextBoolean()
          ? period * (1 + random.nextInt(4))
          : period * (1 + random.nextInt(3)) + UNIT * (1 + random.nextInt((int) (period / UNIT)));
      if (size < period) {
        size = period;
      }
      long lateness = random.nextInt(3) == 0 ? 0 : UNIT * (1 + random.nextInt(6));
      int shards = random.nextBoolean() ? 1 : 2 + random.nextInt(5);
      long offset = random.nextBoolean() ? 0 : 500L * random.nextInt((int) (period / 500));
      s.configs.add(new Config(size, period, offset, lateness, shards, 1 + random.nextInt(4)));
      maxLateness = Math.max(maxLateness, lateness);
      maxSize = Math.max(maxSize, size);
    }
    int keys = random.nextBoolean() ? 3 : 40;
    long watermark = ORIGIN.getMillis();
    s.steps.add(new Step(watermark, null));
    for (int i = 0; i < stepCount; i++) {
      if (random.nextInt(3) == 0) {
        watermark += random.nextInt((int) (3 * UNIT)) + 1;
        s.steps.add(new Step(watermark, null));
        continue;
      }
      List<TimestampedValue<KV<String, Long>>> batch = new ArrayList<>();
      int size = 1 + random.nextInt(4);
      for (int e = 0; e < size; e++) {
        long t;
        int kind = random.nextInt(10);
        if (kind < 6 || !lateData) {
          t = watermark + random.nextInt((int) (4 * UNIT));
        } else if (kind < 9) {
          t = watermark - 1 - random.nextInt((int) (maxLateness + maxSize + 1));
        } else {
          t = watermark - 1 - random.nextInt((int) (4 * (maxLateness + maxSize) + 1));
        }
        String key = "k" + random.nextInt(keys);
        long value = random.nextInt(9) - 3;
        batch.add(TimestampedValue.of(KV.of(key, value), new Instant(t)));
      }
      s.steps.add(new Step(Long.MIN_VALUE, batch));
    }
    return s;
  }

  public TestStream<KV<String, Long>> testStream() {
    TestStream.Builder<KV<String, Long>> builder =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
    for (Step step : steps) {
      if (step.events == null) {
        builder = builder.advanceWatermarkTo(new Instant(step.watermark));
      } else {
        @SuppressWarnings("unchecked")
        TimestampedValue<KV<String, Long>>[] events = step.events.toArray(new TimestampedValue[0]);
        builder = builder.addElements(events[0], java.util.Arrays.copyOfRange(events, 1, events.length));
      }
    }
    return builder.advanceWatermarkToInfinity();
  }

  /** Every event of the timeline, whatever its lateness. */
  public List<TimestampedValue<KV<String, Long>>> events() {
    List<TimestampedValue<KV<String, Long>>> all = new ArrayList<>();
    for (Step step : steps) {
      if (step.events != null) {
        all.addAll(step.events);
      }
    }
    return all;
  }

  /** Beam's definition applied to the timeline for {@code config}. */
  public Expected expected(Config config) {
    return expected(config, false);
  }

  /**
   * Beam's definition for {@code config}, on the timeline or, {@code bounded}, on its events as one
   * bounded input, where the watermark stays at the start of time until all are read.
   */
  public Expected expected(Config config, boolean bounded) {
    Expected expected = new Expected();
    long watermark = Long.MIN_VALUE;
    for (Step step : steps) {
      if (step.events == null) {
        watermark = bounded ? Long.MIN_VALUE : step.watermark;
        continue;
      }
      for (TimestampedValue<KV<String, Long>> event : step.events) {
        long t = event.getTimestamp().getMillis();
        int open = 0;
        int closed = 0;
        long latestStart = Math.floorDiv(t - config.offset, config.period) * config.period + config.offset;
        for (long start = latestStart; start > t - config.size; start -= config.period) {
          long end = start + config.size;
          // Beam: a window is expired once its maxTimestamp plus the allowed lateness is before the watermark.
          if (watermark != Long.MIN_VALUE && end - 1 + config.lateness < watermark) {
            closed++;
          } else {
            open++;
            expected.totals
                .computeIfAbsent(end, e -> new HashMap<>())
                .merge(event.getValue().getKey(), event.getValue().getValue(), Long::sum);
          }
        }
        if (open == 0) {
          expected.lateEventsDropped++;
          expected.tooLate.merge(event.getValue().getKey(), event.getValue().getValue(), Long::sum);
        } else {
          expected.lateWindowUpdatesDropped += closed;
        }
      }
    }
    return expected;
  }

  @Override
  public String toString() {
    return "scenario " + seed + " (" + steps.size() + " steps, configs " + configs + ")";
  }
}
