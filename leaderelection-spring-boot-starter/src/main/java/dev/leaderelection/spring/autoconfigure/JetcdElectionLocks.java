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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundles;

/**
 * The {@code etcd} backend: the locks of elections with {@code lock=etcd} and the memberships of
 * groups, on the application's jetcd {@link Client} when it has one (never closed here), else on
 * clients made here from {@code leader-election.etcd}, checked first by {@link EtcdSettingsCheck},
 * with TLS from the SSL bundle it names: one client per request timeout, shared by every lock and
 * membership with that timeout (a group of 64 shards holds one connection, not 65). Configured
 * when either is given. Closes the locks, the memberships and then the clients it made when the
 * context closes, after the electors have stopped. Thread-safe.
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
  private final Map<Duration, Client> clients = new ConcurrentHashMap<>();

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
    Duration callTimeout = EtcdSettingsCheck.callTimeout(etcd, request);
    EtcdLeaseLockBuilder builder = EtcdLeaseLock.builder(request.leaseName())
        .key(key)
        .requestTimeout(callTimeout);
    if (client != null) {
      if (!etcd.endpoints().isEmpty()) {
        log.info("Election '{}' uses the application's io.etcd.jetcd.Client bean; {}.endpoints "
            + "and the SSL and credentials beside them are not used", request.election(),
            EtcdSettingsCheck.PREFIX);
      }
      return builder.client(client);
    }
    return builder.client(shared(request.election(), callTimeout));
  }

  /**
   * The client made here for calls of {@code callTimeout}, made (and the connection settings
   * checked, naming {@code election} when they fail) on first use only: the settings are the
   * same for every election, so the locks after it reuse the client without reading them again.
   */
  private Client shared(String election, Duration callTimeout) {
    return clients.computeIfAbsent(callTimeout,
        timeout -> connection(election, timeout).buildClient());
  }

  private EtcdLeaseLockBuilder connection(String election, Duration callTimeout) {
    List<URI> endpoints = EtcdSettingsCheck.endpoints(etcd, election);
    EtcdSettingsCheck.credentials(etcd);
    EtcdLeaseLockBuilder builder = EtcdLeaseLock.builder(election).requestTimeout(callTimeout)
        .endpoints(endpoints.stream().map(URI::toString).toList());
    EtcdTls tls = EtcdSettingsCheck.tls(etcd, sslBundles.getIfAvailable());
    if (tls != null) {
      builder.tls(tls);
    }
    if (etcd.username() != null && etcd.password() != null) {
      builder.credentials(etcd.username(), etcd.password().toCharArray());
    }
    return builder;
  }

  /** The locks made here and not yet closed. */
  List<EtcdLeaseLock> made() {
    return List.copyOf(made);
  }

  /** How many jetcd clients this backend made (not the application's). */
  int clientsMade() {
    return clients.size();
  }

  /** Closes the locks and memberships made here, then the clients they shared. */
  @Override
  public void destroy() {
    made.forEach(EtcdLeaseLock::close);
    made.clear();
    memberships.forEach(EtcdGroupMembership::close);
    memberships.clear();
    clients.values().forEach(Client::close);
    clients.clear();
  }
}
