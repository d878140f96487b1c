package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.etcd.EtcdGroupMembership;
import dev.leaderelection.etcd.EtcdLeaseLock;
import dev.leaderelection.etcd.EtcdLeaseLockBuilder;
import dev.leaderelection.etcd.EtcdTls;
import dev.leaderelection.spi.GroupMembership;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spring.LeaseLockFactory;
import dev.leaderelection.spring.autoconfigure.LeaderElectionProperties.Etcd;
import io.etcd.jetcd.Client;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundles;

/**
 * The {@code etcd} backend: the locks of elections with {@code lock=etcd}, on the application's
 * jetcd {@link Client} when it has one (never closed here), else on a client each lock makes from
 * {@code leader-election.etcd}, checked first by {@link EtcdSettingsCheck}, with TLS from the SSL
 * bundle it names. Configured when either is given. Closes the locks it made when the context
 * closes, after the electors have stopped. Thread-safe.
 */
final class JetcdElectionLocks implements LeaseLockFactory, DisposableBean {

  /** Where {@code lock=auto} tries etcd: after the Kubernetes backends. */
  static final int ORDER = 300;


  private static final Logger log = LoggerFactory.getLogger(JetcdElectionLocks.class);

  private final Etcd etcd;
  private final @Nullable Client client;
  private final ObjectProvider<SslBundles> sslBundles;
  private final List<EtcdLeaseLock> made = new CopyOnWriteArrayList<>();
  private final List<EtcdGroupMembership> memberships = new CopyOnWriteArrayList<>();

  /**
   * @param client the application's jetcd client, or null to connect as the properties say
   * @param sslBundles Spring Boot's SSL bundles, where {@code leader-election.etcd.ssl.bundle}
   *     is looked up
   */
  JetcdElectionLocks(Etcd etcd, @Nullable Client client, ObjectProvider<SslBundles> sslBundles) {
    this.etcd = etcd;
    this.client = client;
    this.sslBundles = sslBundles;
  }

  @Override
  public String name() {
    return "etcd";
  }

  @Override
  public int getOrder() {
    return ORDER;
  }

  @Override
  public boolean isConfigured() {
    return client != null || !etcd.endpoints().isEmpty();
  }

  @Override
  public LeaseLock create(LockRequest request) {
    EtcdLeaseLock lock = builder(request, EtcdSettingsCheck.key(etcd, request.leaseName()))
        .build();
    made.add(lock);
    return lock;
  }

  /**
   * A group's members are keys under {@code <key-prefix>groups/<group>/members/}, each on an etcd
   * lease of the group's lease duration, on the same connection as its shards' locks.
   */
  @Override
  public Optional<GroupMembership> groupMembership(LockRequest request) {
    EtcdGroupMembership membership = builder(request,
        EtcdSettingsCheck.key(etcd, "groups/" + request.leaseName()))
        .buildGroupMembership(request.timings().leaseDuration());
    memberships.add(membership);
    return Optional.of(membership);
  }

  private EtcdLeaseLockBuilder builder(LockRequest request, String key) {
    EtcdLeaseLockBuilder builder = EtcdLeaseLock.builder(request.leaseName())
        .key(key)
        .requestTimeout(EtcdSettingsCheck.callTimeout(etcd, request));
    if (client != null) {
      if (!etcd.endpoints().isEmpty()) {
        log.info("Election '{}' uses the application's io.etcd.jetcd.Client bean; {}.endpoints "
            + "and the SSL and credentials beside them are not used", request.election(),
            EtcdSettingsCheck.PREFIX);
      }
      builder.client(client);
    } else {
      connect(builder, request.election());
    }
    return builder;
  }

  private void connect(EtcdLeaseLockBuilder builder, String election) {
    List<URI> endpoints = EtcdSettingsCheck.endpoints(etcd, election);
    EtcdSettingsCheck.credentials(etcd);
    builder.endpoints(endpoints.stream().map(URI::toString).toList());
    EtcdTls tls = EtcdSettingsCheck.tls(etcd, sslBundles.getIfAvailable());
    if (tls != null) {
      builder.tls(tls);
    }
    if (etcd.username() != null && etcd.password() != null) {
      builder.credentials(etcd.username(), etcd.password().toCharArray());
    }
  }

  /** The locks made here and not yet closed. */
  List<EtcdLeaseLock> made() {
    return List.copyOf(made);
  }

  /** Closes the locks and memberships made here, and with them the clients they made. */
  @Override
  public void destroy() {
    made.forEach(EtcdLeaseLock::close);
    made.clear();
    memberships.forEach(EtcdGroupMembership::close);
    memberships.clear();
  }
}
