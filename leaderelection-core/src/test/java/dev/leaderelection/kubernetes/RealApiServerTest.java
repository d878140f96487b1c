package dev.leaderelection.kubernetes;

import dev.leaderelection.kubernetes.testing.KubernetesApiServer;
import dev.leaderelection.kubernetes.testing.KubernetesApiServerExtension;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** A test against the real API server, with a fresh namespace and electors closed after each. */
@ExtendWith(KubernetesApiServerExtension.class)
abstract class RealApiServerTest {

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
}
