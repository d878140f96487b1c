package dev.leaderelection.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;

/**
 * The key beside the record ({@code <record key>/term}) whose value is the fencing token of the
 * current term and whose {@code mod_revision} is therefore the revision of the term's first
 * write: every write of the record moves it, in the same transaction, only when the token
 * changed, so renewals and releases leave it alone. A transaction that compares its
 * {@code mod_revision} with the revision a leader's term began at succeeds exactly while no
 * later term has begun.
 */
final class TermKey {

  private final String key;
  private final ByteSequence bytes;

  TermKey(String recordKey) {
    this.key = recordKey + "/term";
    this.bytes = ByteSequence.from(key, StandardCharsets.UTF_8);
  }

  String key() {
    return key;
  }

  ByteSequence bytes() {
    return bytes;
  }

  /** A nested transaction that sets the term key to {@code token} unless it holds it already. */
  Op moveTo(int token) {
    ByteSequence value = value(token);
    return Op.txn(new Cmp[] {new Cmp(bytes, Cmp.Op.EQUAL, CmpTarget.value(value))}, new Op[0],
        new Op[] {Op.put(bytes, value, PutOption.DEFAULT)});
  }

  static ByteSequence value(long token) {
    return ByteSequence.from(Long.toString(token), StandardCharsets.UTF_8);
  }
}
