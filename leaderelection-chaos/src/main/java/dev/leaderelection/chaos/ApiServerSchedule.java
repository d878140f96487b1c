package dev.leaderelection.chaos;

import java.util.Map;
import java.util.TreeMap;

/**
 * The schedule of a run on several API servers over one etcd ({@link ApiServersStore}): the mode's
 * schedule for the library, with the whole control plane's restart replaced by etcd's (under
 * every API server) and the three faults of one API server added: restarted
 * ({@code apiserver-restart}), its etcd connection slowed ({@code apiserver-etcd-slow}: its
 * watches lag the others') and cut ({@code apiserver-etcd-cut}).
 */
final class ApiServerSchedule {

  private ApiServerSchedule() {
  }

  /** The schedule of {@code mode} ({@code quick} or {@code full}) for {@code library}. */
  static FaultSchedule of(String mode, String library) {
    FaultSchedule base = FaultSchedule.of(mode).on(library);
    Map<String, Integer> weights = new TreeMap<>(base.weights());
    Integer controlPlaneRestarts = weights.remove("api-restart");
    if (controlPlaneRestarts != null) {
      weights.put("etcd-restart", controlPlaneRestarts);
    }
    // Quick mode (about 30 faults in CI): a third of the faults hit one API server. Full mode:
    // about a fifth, so that 2,000 faults hold some 80 API-server restarts and 300 slowed or cut
    // etcd connections.
    boolean quick = mode.equals("quick");
    weights.put(ApiServersStore.RESTART, quick ? 15 : 45);
    weights.put(ApiServersStore.ETCD_SLOW, quick ? 25 : 120);
    weights.put(ApiServersStore.ETCD_CUT, quick ? 20 : 100);
    return new FaultSchedule(weights, base.shortestHold(), base.longestHold(),
        base.largestBatch());
  }
}
