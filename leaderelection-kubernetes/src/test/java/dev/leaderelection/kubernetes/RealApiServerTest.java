package dev.leaderelection.kubernetes;

import dev.leaderelection.kubernetes.testing.KubernetesApiServer;
import dev.leaderelection.kubernetes.testing.KubernetesApiServerExtension;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test against the real API server, with a fresh namespace and electors closed after each;
 * public for the tests of the sub-packages.
 */
@ExtendWith(KubernetesApiServerExtension.class)
public abstract class RealApiServerTest {

  protected final ElectorFixture fixture = new ElectorFixture();
  protected KubernetesApiServer server;
  protected String namespace;

  @BeforeEach
  void createNamespace(KubernetesApiServer apiServer) {
    server = apiServer;
    namespace = apiServer.createNamespace(
        getClass().getSimpleName().replace("IT", "").toLowerCase(Locale.ROOT));
  }

  @AfterEach
  void closeElectors() {
    fixture.close();
  }

  /** Binds a new Role with {@code rules} (JSON) in the namespace to {@code user}. */
  protected void grant(String role, String user, String rules) {
    String rbac = "/apis/rbac.authorization.k8s.io/v1/namespaces/" + namespace;
    server.raw("POST", rbac + "/roles",
        "{\"metadata\":{\"name\":\"" + role + "\"},\"rules\":" + rules + "}");
    server.raw("POST", rbac + "/rolebindings", "{\"metadata\":{\"name\":\"" + role + "\"},"
        + "\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"Role\","
        + "\"name\":\"" + role + "\"},\"subjects\":[{\"apiGroup\":\"rbac.authorization.k8s.io\","
        + "\"kind\":\"User\",\"name\":\"" + user + "\"}]}");
  }
}
