package dev.leaderelection.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A real application with {@code @OnLeader} beans and no lease name: the startup report is the
 * starter's own explanation, not an unrelated missing-bean error.
 */
@ExtendWith(OutputCaptureExtension.class)
class MissingLeaseNameIT {

  @Test
  void applicationWithoutALeaseNameShouldBeToldToSetIt(CapturedOutput output) {
    assertThatThrownBy(() -> new SpringApplicationBuilder(ElectionTestApplication.class).run(
        "--server.port=0", "--KUBECONFIG=", "--KUBERNETES_SERVICE_HOST=",
        "--leader-election.lock=in-memory"))
        .isInstanceOf(RuntimeException.class);

    assertThat(output).contains("APPLICATION FAILED TO START")
        .contains("leader-election.lease-name is not set but must be set")
        .contains("set leader-election.enabled=false");
  }
}
