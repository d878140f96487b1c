package dev.leaderelection.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.leaderelection.etcd.testing.EtcdLauncher;
import dev.leaderelection.etcd.testing.EtcdLauncherExtension;
import dev.leaderelection.etcd.testing.EtcdServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample jar with its documented {@code etcd} profile, two JVMs on a real etcd given as
 * {@code ETCD_ENDPOINTS}: one leads, and when it is stopped the other takes over at once.
 */
@ExtendWith(EtcdLauncherExtension.class)
class EtcdProfileIT {

  private final List<SampleJvm> instances = new ArrayList<>();

  @AfterEach
  void killAll() {
    instances.forEach(instance -> instance.process().destroyForcibly());
  }

  @Test
  void sampleShouldElectOnEtcdWithTheEtcdProfile(EtcdLauncher launcher, @TempDir Path dir)
      throws Exception {
    try (EtcdServer etcd = launcher.start()) {
      instances.add(start("sample-a", etcd.endpoint(), dir));
      instances.add(start("sample-b", etcd.endpoint(), dir));

      SampleJvm leader = await().atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(200))
          .until(this::soleLeader, Optional::isPresent).orElseThrow();
      assertThat(detail(leader, "lease"))
          .isEqualTo("etcd key /leaderelection/leaderelection-sample at " + etcd.endpoint());
      SampleJvm follower = instances.get(instances.get(0) == leader ? 1 : 0);
      await().atMost(Duration.ofSeconds(30)).until(() -> leader.identity()
          .equals(detail(follower, "leader")));
      assertThat(detail(follower, "role")).isEqualTo("FOLLOWER");

      leader.process().destroy();
      long stopped = System.nanoTime();
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
          .until(() -> "LEADER".equals(detail(follower, "role")));
      System.out.printf("etcd profile: handover after SIGTERM %d ms%n",
          Duration.ofNanos(System.nanoTime() - stopped).toMillis());
      leader.process().waitFor();
      assertThat(Files.readString(leader.log()))
          .contains(leader.identity() + " stopped leading election 'default' (RELEASED)");
    }
  }

  private Optional<SampleJvm> soleLeader() {
    List<SampleJvm> leaders = instances.stream()
        .filter(instance -> "LEADER".equals(detail(instance, "role"))).toList();
    return leaders.size() == 1 ? Optional.of(leaders.get(0)) : Optional.empty();
  }

  private static String detail(SampleJvm instance, String name) {
    return instance.healthDetail(name);
  }

  private static SampleJvm start(String identity, String endpoint, Path dir) throws IOException {
    return SampleJvm.start(identity, dir, Map.of("ETCD_ENDPOINTS", endpoint), List.of(
        "--spring.profiles.active=etcd",
        "--leader-election.lease-duration=6s",
        "--leader-election.renew-deadline=4s",
        "--leader-election.retry-period=1s"));
  }
}
