package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.etcd.EtcdLeaseLock;
import dev.leaderelection.etcd.EtcdLeaseLockBuilder;
import dev.leaderelection.etcd.EtcdTls;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spring.autoconfigure.LeaderElectionProperties.Etcd;
import io.etcd.jetcd.Client;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * The etcd locks of elections with {@code lock=etcd}: on the application's jetcd {@link Client}
 * when it has one (never closed here), else on a client each lock makes from
 * {@code leader-election.etcd}, checked first by {@link EtcdSettingsCheck}. Closes the locks it
 * made when the context closes, after the electors have stopped. Thread-safe.
 */
final class JetcdElectionLocks implements EtcdElectionLocks, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(JetcdElectionLocks.class);

  private final Etcd etcd;
  private final @Nullable Client client;
  private final List<EtcdLeaseLock> made = new CopyOnWriteArrayList<>();

  /** @param client the application's jetcd client, or null to connect as the properties say */
  JetcdElectionLocks(Etcd etcd, @Nullable Client client) {
    this.etcd = etcd;
    this.client = client;
  }

  @Override
  public LeaseLock create(ElectionSettings settings) {
    EtcdLeaseLockBuilder builder = EtcdLeaseLock.builder(settings.leaseName())
        .key(EtcdSettingsCheck.key(etcd, settings.leaseName()))
        .requestTimeout(EtcdSettingsCheck.callTimeout(etcd, settings));
    if (client != null) {
      if (!etcd.endpoints().isEmpty()) {
        log.info("Election '{}' uses the application's io.etcd.jetcd.Client bean; {}.endpoints "
            + "and the TLS and credentials beside them are not used", settings.name(),
            EtcdSettingsCheck.PREFIX);
      }
      builder.client(client);
    } else {
      connect(builder, settings.name());
    }
    EtcdLeaseLock lock = builder.build();
    made.add(lock);
    return lock;
  }

  private void connect(EtcdLeaseLockBuilder builder, String election) {
    List<URI> endpoints = EtcdSettingsCheck.endpoints(etcd, election);
    EtcdSettingsCheck.tlsFiles(etcd);
    EtcdSettingsCheck.credentials(etcd);
    builder.endpoints(endpoints.stream().map(URI::toString).toList());
    LeaderElectionProperties.Tls files = etcd.tls();
    if (files.caFile() != null) {
      EtcdTls tls = EtcdTls.trusting(Path.of(files.caFile()));
      if (files.certFile() != null && files.keyFile() != null) {
        tls = tls.withClientCertificate(Path.of(files.certFile()), Path.of(files.keyFile()));
      }
      builder.tls(files.authority() == null || files.authority().isBlank() ? tls
          : tls.withAuthority(files.authority().strip()));
    }
    if (etcd.username() != null && etcd.password() != null) {
      builder.credentials(etcd.username(), etcd.password().toCharArray());
    }
  }

  /** The locks made here and not yet closed. */
  List<EtcdLeaseLock> made() {
    return List.copyOf(made);
  }

  /** Closes the locks made here, and with them the clients they made. */
  @Override
  public void destroy() {
    made.forEach(EtcdLeaseLock::close);
    made.clear();
  }
}
