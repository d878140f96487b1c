package dev.leaderelection.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The documented hash, against fixed vectors: MurmurHash3 x86 32-bit, seed 0, of UTF-8 bytes
 * (the values are Guava's {@code Hashing.murmur3_32_fixed()}; "hello" and the fox are also the
 * reference implementation's published vectors), unsigned, modulo the shards.
 */
class ShardKeysTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''|00000000|0|0",
      "a|3c2569b2|50|850",
      "ab|9bbfd75f|31|991",
      "abc|b3dd93fa|58|2",
      "abcd|43ed676a|42|978",
      "hello|248bfa47|7|351",
      "tenant-42|aca623b6|54|270",
      "The quick brown fox jumps over the lazy dog|2e4ff723|35|547",
      "Grüße, 世界|f77abd79|57|249",
      "😀|beb42efa|58|546"})
  void keyShouldHashAndRouteAsTheDocumentedVector(String key, String hex, int of64, int of1000) {
    assertThat(ShardKeys.murmur3(key.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(Integer.parseUnsignedInt(hex, 16));
    assertThat(ShardKeys.shardOf(key, 64)).isEqualTo(of64);
    assertThat(ShardKeys.shardOf(key, 1000)).isEqualTo(of1000);
  }

  @Test
  void hashWithTheHighBitSetShouldRouteAsUnsigned() {
    assertThat(ShardKeys.murmur3("ab".getBytes(StandardCharsets.UTF_8))).isNegative();
    assertThat(ShardKeys.shardOf("ab", 7)).isEqualTo((int) (0x9bbfd75fL % 7));
  }

  @Test
  void oneShardShouldTakeEveryKey() {
    assertThat(ShardKeys.shardOf("anything", 1)).isZero();
  }

  @Test
  void noShardsShouldBeRejected() {
    assertThatThrownBy(() -> ShardKeys.shardOf("a", 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("shards is 0; it must be at least 1");
  }
}
