package dev.leaderelection.etcd;

import com.google.gson.JsonObject;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.internal.LeaderRecordJson;
import dev.leaderelection.spi.LeaderRecord.PreferredHolder;
import dev.leaderelection.spi.LeaderRecord;

/**
 * A record as the JSON of client-go's {@code LeaderElectionRecord} ({@link LeaderRecordJson}),
 * so that {@code etcdctl get} shows what a Kubernetes user expects. client-go's
 * {@code preferredHolder} carries the preferred holder's identity; the two priorities, which
 * client-go has no field for, are {@code holderPriority} and {@code preferredHolderPriority},
 * left out when unused. A value that breaks these rules is an error and is never overwritten.
 */
final class RecordJson {

  private RecordJson() {
  }

  static String encode(LeaderRecord record) {
    JsonObject json = LeaderRecordJson.write(record);
    PreferredHolder preferred = record.preferredHolder();
    if (preferred != null) {
      json.addProperty("preferredHolder", preferred.identity());
    }
    if (record.holderPriority() != 0) {
      json.addProperty("holderPriority", record.holderPriority());
    }
    if (preferred != null) {
      json.addProperty("preferredHolderPriority", preferred.priority());
    }
    return json.toString();
  }

  /**
   * Decodes the value of {@code key} stored at {@code version}.
   *
   * @throws LeaseLockException when the value is not a leader record
   */
  static LeaderRecord decode(String value, String version, String key) {
    try {
      JsonObject json = LeaderRecordJson.parse(value);
      String preferred = LeaderRecordJson.text(json, "preferredHolder");
      return LeaderRecordJson.read(json,
          LeaderRecordJson.number(json, "holderPriority", Integer.MIN_VALUE),
          preferred.isEmpty() ? null : new PreferredHolder(preferred,
              LeaderRecordJson.number(json, "preferredHolderPriority", Integer.MIN_VALUE)),
          version);
    } catch (IllegalArgumentException e) {
      throw new LeaseLockException("etcd key " + key + " holds a value that is not a leader "
          + "record (" + e.getMessage() + "); it is not overwritten: fix or delete the key", e);
    }
  }
}
