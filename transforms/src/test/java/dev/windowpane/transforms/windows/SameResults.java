package dev.windowpane.transforms.windows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;

/** Test helpers: random keyed events, and a check that two windowed per-key results are equal. */
final class SameResults {
  private SameResults() {}

  /** {@code count} events over {@code keys} keys, timestamps in [0, span), values in [min, max]. */
  static List<TimestampedValue<KV<String, Long>>> randomEvents(
      long seed, int count, int keys, Duration span, long min, long max) {
    Random random = new Random(seed);
    List<TimestampedValue<KV<String, Long>>> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String key = "k" + random.nextInt(keys);
      long value = min + (long) random.nextInt((int) (max - min + 1));
      Instant at = new Instant((long) (random.nextDouble() * span.getMillis()));
      events.add(TimestampedValue.of(KV.of(key, value), at));
    }
    return events;
  }

  /**
   * Compares two windowed per-key results: one line "{@code name}: N pairs" with the number of
   * (window, key) pairs in {@code actual}, plus one line per (window, key) whose values differ or
   * that only one side has. Equal results give exactly {@link #pairsLine}.
   */
  static <V> PCollection<String> compare(
      String name, PCollection<KV<String, V>> actual, PCollection<KV<String, V>> expected) {
    TupleTag<V> actualTag = new TupleTag<>();
    TupleTag<V> expectedTag = new TupleTag<>();
    PCollection<KV<String, V>> actualByWindow = byWindowAndKey(name + "Actual", actual);
    PCollection<String> mismatches =
        KeyedPCollectionTuple.of(actualTag, actualByWindow)
            .and(expectedTag, byWindowAndKey(name + "Expected", expected))
            .apply(name + "Join", CoGroupByKey.create())
            .apply(
                name + "Mismatches",
                ParDo.of(
                    new DoFn<KV<String, CoGbkResult>, String>() {
                      @ProcessElement
                      public void process(
                          @Element KV<String, CoGbkResult> joined, OutputReceiver<String> out) {
                        List<V> got = new ArrayList<>();
                        joined.getValue().getAll(actualTag).forEach(got::add);
                        List<V> want = new ArrayList<>();
                        joined.getValue().getAll(expectedTag).forEach(want::add);
                        if (got.size() != 1 || want.size() != 1 || !Objects.equals(got, want)) {
                          out.output(
                              name + " " + joined.getKey() + ": got " + got + ", expected " + want);
                        }
                      }
                    }));
    PCollection<String> pairs =
        actualByWindow
            .apply(name + "Count", Count.globally())
            .apply(
                name + "PairsLine",
                MapElements.into(TypeDescriptors.strings()).via(n -> pairsLine(name, n)));
    return PCollectionList.of(mismatches).and(pairs).apply(name + "Report", Flatten.pCollections());
  }

  static String pairsLine(String name, long pairs) {
    return name + ": " + pairs + " pairs";
  }

  /** Moves the window into the key ("[start..end) key") and the result into the global window. */
  static <V> PCollection<KV<String, V>> byWindowAndKey(String name, PCollection<KV<String, V>> in) {
    KvCoder<String, V> coder = (KvCoder<String, V>) in.getCoder();
    return in.apply(
            name + "ReifyWindow",
            ParDo.of(
                new DoFn<KV<String, V>, KV<String, V>>() {
                  @ProcessElement
                  public void process(
                      @Element KV<String, V> kv, BoundedWindow window, OutputReceiver<KV<String, V>> out) {
                    out.output(KV.of(window + " " + kv.getKey(), kv.getValue()));
                  }
                }))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), coder.getValueCoder()))
        .apply(
            name + "Global",
            Window.<KV<String, V>>into(new GlobalWindows())
                .triggering(DefaultTrigger.of())
                .discardingFiredPanes()
                .withAllowedLateness(Duration.ZERO));
  }

  /** How many (sliding window, key) pairs hold at least one of {@code events}. */
  static long windowKeyPairs(List<TimestampedValue<KV<String, Long>>> events, SlidingSpec spec) {
    Set<String> pairs = new HashSet<>();
    for (TimestampedValue<KV<String, Long>> e : events) {
      long t = e.getTimestamp().getMillis();
      for (long end = spec.firstWindowEnd(t); end <= spec.lastWindowEnd(t); end += spec.periodMillis()) {
        pairs.add(end + " " + e.getValue().getKey());
      }
    }
    return pairs.size();
  }
}
