package dev.windowpane.transforms.windows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.values.KV;

/**
 * Merges the shards' top-N lists of one window into the window's top N. Keeps only the newest
 * version of each shard's list, so a shard's late re-emission replaces its earlier list. Exact,
 * because every key lives in one shard and the global top N is inside the union of the shards'.
 */
final class MergeShardRankingsFn<K extends Comparable<? super K>>
    extends CombineFn<ShardRanking<K>, Map<Integer, ShardRanking<K>>, List<KV<K, Long>>> {
  private final int n;
  private final Coder<K> keyCoder;

  MergeShardRankingsFn(int n, Coder<K> keyCoder) {
    this.n = n;
    this.keyCoder = keyCoder;
  }

  @Override
  public Map<Integer, ShardRanking<K>> createAccumulator() {
    return new HashMap<>();
  }

  @Override
  public Map<Integer, ShardRanking<K>> addInput(
      Map<Integer, ShardRanking<K>> accumulator, ShardRanking<K> input) {
    ShardRanking<K> current = accumulator.get(input.shard);
    if (current == null || current.version < input.version) {
      accumulator.put(input.shard, input);
    }
    return accumulator;
  }

  @Override
  public Map<Integer, ShardRanking<K>> mergeAccumulators(
      Iterable<Map<Integer, ShardRanking<K>>> accumulators) {
    Map<Integer, ShardRanking<K>> merged = createAccumulator();
    for (Map<Integer, ShardRanking<K>> accumulator : accumulators) {
      for (ShardRanking<K> ranking : accumulator.values()) {
        addInput(merged, ranking);
      }
    }
    return merged;
  }

  @Override
  public List<KV<K, Long>> extractOutput(Map<Integer, ShardRanking<K>> accumulator) {
    List<KV<K, Long>> candidates = new ArrayList<>();
    for (ShardRanking<K> ranking : accumulator.values()) {
      candidates.addAll(ranking.top);
    }
    return Rankings.top(candidates, n);
  }

  @Override
  public Coder<Map<Integer, ShardRanking<K>>> getAccumulatorCoder(
      CoderRegistry registry, Coder<ShardRanking<K>> inputCoder) {
    return MapCoder.of(VarIntCoder.of(), ShardRanking.coder(keyCoder));
  }

  @Override
  public Coder<List<KV<K, Long>>> getDefaultOutputCoder(
      CoderRegistry registry, Coder<ShardRanking<K>> inputCoder)
      throws CannotProvideCoderException {
    return ListCoder.of(KvCoder.of(keyCoder, VarLongCoder.of()));
  }
}
