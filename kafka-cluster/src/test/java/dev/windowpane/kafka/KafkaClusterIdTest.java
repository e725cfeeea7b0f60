package dev.windowpane.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage tool takes the cluster id after {@code -t}: an id it would read as an option fails the format. */
class KafkaClusterIdTest {

  @Test
  void idsNeverBeginWithADashAndAreSixteenBytesOfUrlSafeBase64() {
    Random random = new Random(20261203L);
    int dashDraws = 0;
    for (int draw = 0; draw < 20_000; draw++) {
      String id = KafkaCluster.newClusterId(random);
      assertThat(id, not(startsWith("-")));
      assertThat(id.length(), is(22));
      assertThat(Base64.getUrlDecoder().decode(id).length, is(16));
    }
    // The plain encoding begins with '-' for 1 draw in 64; the rule above must have had work to do.
    Random plain = new Random(20261203L);
    byte[] bytes = new byte[16];
    for (int draw = 0; draw < 20_000; draw++) {
      plain.nextBytes(bytes);
      if (Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).startsWith("-")) {
        dashDraws++;
      }
    }
    assertThat(dashDraws > 0, is(true));
  }

  @Test
  void reservedIdsAreDrawnAgain() {
    byte[][] draws = {new byte[16], lowestBitOnly(), {-8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, bytes(7)};
    Random scripted = new Random() {
      int next;

      @Override
      public void nextBytes(byte[] into) {
        System.arraycopy(draws[next++], 0, into, 0, 16);
      }
    };
    // All-zero, then Kafka's metadata topic id, then one encoding to "-...", then a valid one.
    assertThat(KafkaCluster.newClusterId(scripted), equalTo(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(7))));
  }

  @Test
  void aFailedFormatSaysWhatTheStorageToolReported(@TempDir Path dir) throws Exception {
    // A directory whose saved id the storage tool rejects: the error carries the tool's own words.
    Files.writeString(dir.resolve("cluster.id"), "-AECAwQFBgcICQoLDA0ODw", StandardCharsets.UTF_8);
    IllegalStateException failure = assertThrows(IllegalStateException.class,
        () -> KafkaCluster.start(new KafkaCluster.Settings(dir).brokers(1, KafkaCluster.freePort())));
    assertThat(failure.getMessage(), startsWith("Formatting Kafka node 1's storage failed: "));
    assertThat(failure.getMessage(), containsString("argument"));
    assertThat(failure.getMessage(), containsString(dir.resolve("log").resolve("format-1.out").toString()));
  }

  private static byte[] lowestBitOnly() {
    byte[] bytes = new byte[16];
    bytes[15] = 1;
    return bytes;
  }

  private static byte[] bytes(int first) {
    byte[] bytes = new byte[16];
    for (int i = 0; i < 16; i++) {
      bytes[i] = (byte) (first + i);
    }
    return bytes;
  }
}
