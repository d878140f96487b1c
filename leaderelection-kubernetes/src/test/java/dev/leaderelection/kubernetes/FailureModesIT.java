package dev.leaderelection.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.kubernetes.testing.KubernetesApiServer;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Bad surroundings give clear errors, keep the election loop alive and overwrite nothing. */
class FailureModesIT extends RealApiServerTest {

  private static final Duration FEW_ROUNDS =
      ElectorFixture.TIMINGS.retryPeriod().multipliedBy(4);


  @Test
  void missingNamespaceShouldBeNamedInTheErrorWhileTheElectorKeepsTrying() {
    LeaderElector elector = fixture.start("a",
        fixture.lease(server.adminClient(), "no-such-namespace", "lease"),
        UnaryOperator.identity());

    LeaseLockException failure = await().atMost(Duration.ofSeconds(10))
        .until(() -> elector.lastFailure().orElse(null), error -> error != null);
    assertThat(failure.getMessage()).contains("refused to create",
        "namespace 'no-such-namespace' does not exist");
    await().during(FEW_ROUNDS).atMost(FEW_ROUNDS.plusSeconds(2))
        .until(() -> !elector.isLeader() && elector.lastFailure().isPresent());
  }

  @Test
  void malformedConfigMapAnnotationShouldBeReportedAndNeverOverwritten() {
    String path = "/api/v1/namespaces/" + namespace + "/configmaps";
    server.raw("POST", path, """
        {"metadata":{"name":"broken","annotations":{
          "control-plane.alpha.kubernetes.io/leader":"{\\"holderIdentity\\": 42"}}}""");
    String before = resourceVersion(server.raw("GET", path + "/broken", null));

    LeaderElector elector = fixture.start("a", fixture.locks(server.adminClient())
        .configMap(namespace, "broken", ElectorFixture.REQUEST_TIMEOUT), UnaryOperator.identity());

    LeaseLockException failure = await().atMost(Duration.ofSeconds(10))
        .until(() -> elector.lastFailure().orElse(null), error -> error != null);
    assertThat(failure.getMessage()).contains("ConfigMap " + namespace + "/broken",
        "malformed control-plane.alpha.kubernetes.io/leader annotation", "not overwritten");
    await().during(FEW_ROUNDS).atMost(FEW_ROUNDS.plusSeconds(2)).until(() -> !elector.isLeader());
    assertThat(resourceVersion(server.raw("GET", path + "/broken", null))).isEqualTo(before);
  }

  @Test
  void malformedPriorityAnnotationOnALeaseShouldBeReportedAndNeverOverwritten() {
    String path = "/apis/coordination.k8s.io/v1/namespaces/" + namespace + "/leases";
    server.raw("POST", path, """
        {"metadata":{"name":"odd","annotations":{"leaderelection.dev/holder-priority":"high"}},
         "spec":{"holderIdentity":"","leaseDurationSeconds":1}}""");
    String before = resourceVersion(server.raw("GET", path + "/odd", null));

    LeaderElector elector = fixture.start("a",
        fixture.lease(server.adminClient(), namespace, "odd"), UnaryOperator.identity());

    LeaseLockException failure = await().atMost(Duration.ofSeconds(10))
        .until(() -> elector.lastFailure().orElse(null), error -> error != null);
    assertThat(failure.getMessage()).contains("leaderelection.dev/holder-priority='high'",
        "whole number");
    await().during(FEW_ROUNDS).atMost(FEW_ROUNDS.plusSeconds(2)).until(() -> !elector.isLeader());
    assertThat(resourceVersion(server.raw("GET", path + "/odd", null))).isEqualTo(before);
  }

  private static String resourceVersion(String json) {
    JsonObject object = JsonParser.parseString(json).getAsJsonObject();
    return object.getAsJsonObject("metadata").get("resourceVersion").getAsString();
  }
}
