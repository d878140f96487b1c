package dev.leaderelection.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each library gets the faults it can take: the control surface only for this library's. */
class FaultScheduleTest {

  @Test
  void thisLibrarysScheduleShouldHaveTheControlFaults() {
    assertThat(FaultSchedule.quick().on("leaderelection").weights())
        .containsKeys("yield", "pause-flap", "slow-stop", "api-restart");
  }

  @Test
  void etcdScheduleShouldHaveTheControlFaultsAndRestartEtcd() {
    FaultSchedule onEtcd = FaultSchedule.quick().on(ChaosRunner.ON_ETCD);

    assertThat(onEtcd.weights()).containsKeys("yield", "pause-flap", "slow-stop", "etcd-restart")
        .doesNotContainKey("api-restart");
  }

  @Test
  void peersScheduleShouldSkipTheControlFaults() {
    for (String peer : new String[] {"fabric8", "client-java"}) {
      assertThat(FaultSchedule.full().on(peer).weights())
          .doesNotContainKeys("yield", "pause-flap", "slow-stop")
          .containsKeys("sigkill", "pause", "api-restart");
    }
  }

  @Test
  void shardedScheduleShouldSkipTheControlFaultsAndKeepTheOthers() {
    for (FaultSchedule schedule : List.of(FaultSchedule.quick(), FaultSchedule.full())) {
      assertThat(schedule.sharded().weights())
          .doesNotContainKeys("yield", "pause-flap", "slow-stop")
          .containsKeys("partition", "blackhole", "latency", "slow", "reset", "sigkill",
              "sigterm", "pause", "api-restart", "contention", "foreign-writer");
    }
  }

  @Test
  void shardedScheduleOnEtcdShouldRestartEtcd() {
    assertThat(FaultSchedule.quick().on(ChaosRunner.ON_ETCD).sharded().weights())
        .containsKey("etcd-restart").doesNotContainKeys("api-restart", "yield");
  }
}
