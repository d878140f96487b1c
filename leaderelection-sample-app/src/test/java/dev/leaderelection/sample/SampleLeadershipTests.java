package dev.leaderelection.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.test.AutoConfigureLeadershipControl;
import dev.leaderelection.test.LeadershipControl;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The sample's leader-only work, led and followed on demand with the test kit (no cluster): the
 * report job publishes only while this instance leads, and the status says who leads.
 */
@SpringBootTest(properties = {"sample.report-interval=1h", "KUBECONFIG=",
    "KUBERNETES_SERVICE_HOST="})
@AutoConfigureLeadershipControl
@DirtiesContext
class SampleLeadershipTests {

  @Autowired
  private LeadershipControl leadership;

  @Autowired
  private ReportPublisher reports;

  @Autowired
  private StatusController status;

  @Test
  void reportShouldBePublishedByTheLeaderOnly() {
    leadership.revoke();
    long before = reports.published();
    reports.publish();
    assertThat(reports.published()).as("a follower publishes nothing").isEqualTo(before);
    assertThat(status.status().role()).isEqualTo("FOLLOWER");
    assertThat(status.status().leader()).isEqualTo(LeadershipControl.OTHER_INSTANCE);

    leadership.grant();
    reports.publish();

    assertThat(reports.published()).isEqualTo(before + 1);
    assertThat(status.status().role()).isEqualTo("LEADER");
  }
}
