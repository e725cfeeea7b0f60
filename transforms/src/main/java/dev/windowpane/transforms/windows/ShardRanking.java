package dev.windowpane.transforms.windows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StructuredCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.KV;

/**
 * One shard's top N for one sliding window. A shard emits a window again when late data changes
 * it; the higher {@code version} replaces the lower one.
 */
final class ShardRanking<K> {
  final int shard;
  final long version;
  final List<KV<K, Long>> top;

  ShardRanking(int shard, long version, List<KV<K, Long>> top) {
    this.shard = shard;
    this.version = version;
    this.top = Collections.unmodifiableList(top);
  }

  static <K> Coder<ShardRanking<K>> coder(Coder<K> keyCoder) {
    return new ShardRankingCoder<>(keyCoder);
  }

  private static final class ShardRankingCoder<K> extends StructuredCoder<ShardRanking<K>> {
    private final Coder<K> keyCoder;
    private final ListCoder<KV<K, Long>> topCoder;

    ShardRankingCoder(Coder<K> keyCoder) {
      this.keyCoder = keyCoder;
      this.topCoder = ListCoder.of(KvCoder.of(keyCoder, VarLongCoder.of()));
    }

    @Override
    public void encode(ShardRanking<K> value, OutputStream out) throws IOException {
      VarIntCoder.of().encode(value.shard, out);
      VarLongCoder.of().encode(value.version, out);
      topCoder.encode(value.top, out);
    }

    @Override
    public ShardRanking<K> decode(InputStream in) throws IOException {
      int shard = VarIntCoder.of().decode(in);
      long version = VarLongCoder.of().decode(in);
      return new ShardRanking<>(shard, version, topCoder.decode(in));
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return Collections.singletonList(keyCoder);
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      topCoder.verifyDeterministic();
    }
  }
}
