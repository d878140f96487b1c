package dev.leaderelection.chaos;

import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.spi.LeaseLock;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The election on a Lease of the harness's own control plane (kube-apiserver and its etcd). */
final class KubernetesStore implements ElectionStore {

  private final ControlPlane controlPlane;
  private final Path workDir;
  private final String namespace;
  private final KubernetesLocks adminLocks;

  private KubernetesStore(ControlPlane controlPlane, Path workDir, String namespace,
      KubernetesLocks adminLocks) {
    this.controlPlane = controlPlane;
    this.workDir = workDir;
    this.namespace = namespace;
    this.adminLocks = adminLocks;
  }

  /** Starts a control plane under {@code workDir} and creates the run's namespace. */
  static KubernetesStore start(Path workDir, String namespace) throws Exception {
    return start(workDir, namespace, List.of());
  }

  /** As {@link #start(Path, String)}, with {@code apiServerFlags} for kube-apiserver. */
  static KubernetesStore start(Path workDir, String namespace, List<String> apiServerFlags)
      throws Exception {
    ControlPlane controlPlane = ControlPlane.start(Binaries.kubeLauncher(),
        workDir.resolve("control-plane"), apiServerFlags);
    ApiClient admin = Config.fromConfig(controlPlane.kubeconfig().toString());
    new CoreV1Api(admin).createNamespace(new V1Namespace().metadata(new V1ObjectMeta()
        .name(namespace))).execute();
    return new KubernetesStore(controlPlane, workDir, namespace, KubernetesLocks.create(admin));
  }

  @Override
  public int port() {
    return controlPlane.port();
  }

  /** The admin kubeconfig pointed at the proxy on {@code proxyPort}; written once per proxy. */
  @Override
  public String serverFor(int proxyPort) throws IOException {
    return proxiedKubeconfig(workDir, controlPlane.kubeconfig(), controlPlane.port(), proxyPort);
  }

  /**
   * A copy of {@code kubeconfig} (in {@code workDir}, written once per proxy) whose server is
   * the proxy on {@code proxyPort} in front of the API server on {@code serverPort}.
   */
  static String proxiedKubeconfig(Path workDir, Path kubeconfig, int serverPort, int proxyPort)
      throws IOException {
    Path proxied = workDir.resolve("proxy-" + proxyPort + ".kubeconfig");
    if (!Files.exists(proxied)) {
      Files.writeString(proxied, Files.readString(kubeconfig)
          .replace("127.0.0.1:" + serverPort, "127.0.0.1:" + proxyPort));
    }
    return proxied.toString();
  }

  @Override
  public String scope() {
    return namespace;
  }

  @Override
  public LeaseLock adminLock() {
    return adminLock(ChaosRunner.ELECTION);
  }

  /** The Lease {@code name} of the run's namespace, through the admin client, unproxied. */
  @Override
  public LeaseLock adminLock(String name) {
    return adminLocks.lease(namespace, name, Duration.ofSeconds(5));
  }

  /** A crash of kube-apiserver and its etcd (SIGKILL), started again on the same data. */
  @Override
  public void restart() throws Exception {
    controlPlane.restart();
  }

  /** The admin kubeconfig, straight to the API server. */
  Path kubeconfig() {
    return controlPlane.kubeconfig();
  }

  @Override
  public void close() {
    adminLocks.close();
    controlPlane.close();
  }
}
