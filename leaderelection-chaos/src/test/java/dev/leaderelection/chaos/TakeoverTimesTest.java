package dev.leaderelection.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TakeoverTimesTest {

  private static final long MS = 1_000_000;

  @Test
  void takeoverIsTimedFromTheOldHoldersLastChangeAndCountedUnderTheBatchsFaults() {
    History history = new History();
    history.renewal(new History.Renewal("candidate-1", 1_000 * MS));
    history.fault(new History.Fault("apiserver-etcd-cut", "candidate-1", 1_500 * MS));
    history.renewal(new History.Renewal("candidate-1", 2_000 * MS));
    history.renewal(new History.Renewal("candidate-2", 8_100 * MS));
    history.recovery(new History.Recovery("apiserver-etcd-cut", 3_000 * MS, 8_200 * MS,
        8_000 * MS));
    // Between batches, a release hands over at once: no takeover.
    history.renewal(new History.Renewal("", 9_000 * MS));
    history.renewal(new History.Renewal("candidate-0", 9_100 * MS));
    // Between batches, an expiry.
    history.renewal(new History.Renewal("candidate-0", 10_000 * MS));
    history.renewal(new History.Renewal("candidate-1", 16_500 * MS));
    // The foreign writer's change is no takeover; the change from it is.
    history.renewal(new History.Renewal("kubectl-edit", 16_600 * MS));
    history.renewal(new History.Renewal("candidate-2", 22_700 * MS));
    List<ApiServersStore.Held> held = List.of(new ApiServersStore.Held("apiserver-etcd-slow", 2,
        1_800 * MS, 4_000 * MS));

    TakeoverTimes times = TakeoverTimes.of(history, held,
        identity -> Integer.parseInt(identity.substring(identity.indexOf('-') + 1)) % 3,
        6_000 * MS);

    assertThat(times.encode()).isEqualTo("apiserver-etcd-cut=1:6100/6100/6100/6100:0;"
        + "apiserver-etcd-slow (the new leader's API server)=1:6100/6100/6100/6100:0;"
        + "none=2:6100/6100/6500/6500:0");
  }

  @Test
  void slowedApiServerOfAnotherCandidateIsNamedSo() {
    History history = new History();
    history.renewal(new History.Renewal("candidate-1", 1_000 * MS));
    history.renewal(new History.Renewal("candidate-0", 7_100 * MS));
    List<ApiServersStore.Held> held = List.of(new ApiServersStore.Held("apiserver-etcd-slow", 2,
        500 * MS, 1_500 * MS));

    TakeoverTimes times = TakeoverTimes.of(history, held, identity -> identity.endsWith("0") ? 0
        : 1, 6_000 * MS);

    assertThat(times.summary()).containsOnlyKeys("none",
        "apiserver-etcd-slow (another API server)");
    assertThat(times.summary().get("none")[5]).as("under the lease duration").isZero();
  }
}
