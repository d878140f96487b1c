package dev.leaderelection.group;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The stable hash that routes a key (a tenant id, a partition name) to a shard, so that work for
 * one key always goes to the same shard, in every process and every language.
 *
 * <p>The shard of {@code key} among {@code shards} is the MurmurHash3 x86 32-bit hash, seed 0,
 * of the key's UTF-8 bytes, read as an unsigned 32-bit integer, modulo {@code shards}:
 * <pre>{@code
 * shard = Integer.toUnsignedLong(murmur3_x86_32(key.getBytes(UTF_8), 0)) % shards
 * }</pre>
 * It is Guava's {@code Hashing.murmur3_32_fixed()}, Python's {@code mmh3.hash(key, 0,
 * signed=False)} and Go's {@code murmur3.Sum32([]byte(key))}: for example {@code "hello"} hashes to
 * {@code 0x248bfa47}, so it belongs to shard 7 of 64. The function never changes within a major
 * version; stateless and thread-safe.
 *
 * @since 0.2.0
 */
public final class ShardKeys {

  private static final int C1 = 0xcc9e2d51;
  private static final int C2 = 0x1b873593;

  private ShardKeys() {
  }

  /**
   * The shard of {@code key} in a group of {@code shards} shards, from 0 to {@code shards - 1}.
   *
   * @throws IllegalArgumentException when {@code shards} is not positive
   */
  public static int shardOf(String key, int shards) {
    Objects.requireNonNull(key, "key");
    if (shards < 1) {
      throw new IllegalArgumentException("shards is " + shards + "; it must be at least 1");
    }
    return Integer.remainderUnsigned(murmur3(key.getBytes(StandardCharsets.UTF_8)), shards);
  }

  /** MurmurHash3 x86 32-bit, seed 0, of {@code bytes}, as a signed int of the same 32 bits. */
  static int murmur3(byte[] bytes) {
    int hash = 0;
    int blocks = bytes.length / 4;
    for (int i = 0; i < blocks; i++) {
      int at = i * 4;
      int block = (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8
          | (bytes[at + 2] & 0xff) << 16 | (bytes[at + 3] & 0xff) << 24;
      hash ^= mixBlock(block);
      hash = Integer.rotateLeft(hash, 13) * 5 + 0xe6546b64;
    }
    int tail = 0;
    int at = blocks * 4;
    switch (bytes.length & 3) {
      case 3:
        tail ^= (bytes[at + 2] & 0xff) << 16;
        // fall through
      case 2:
        tail ^= (bytes[at + 1] & 0xff) << 8;
        // fall through
      case 1:
        tail ^= bytes[at] & 0xff;
        hash ^= mixBlock(tail);
        break;
      default:
        break;
    }
    hash ^= bytes.length;
    hash ^= hash >>> 16;
    hash *= 0x85ebca6b;
    hash ^= hash >>> 13;
    hash *= 0xc2b2ae35;
    return hash ^ (hash >>> 16);
  }

  private static int mixBlock(int block) {
    return Integer.rotateLeft(block * C1, 15) * C2;
  }
}
