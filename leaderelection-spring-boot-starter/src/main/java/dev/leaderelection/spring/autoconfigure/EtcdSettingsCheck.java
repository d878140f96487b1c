package dev.leaderelection.spring.autoconfigure;

import static dev.leaderelection.internal.Durations.format;

import dev.leaderelection.etcd.EtcdTls;
import dev.leaderelection.spring.LeaseLockFactory.LockRequest;
import dev.leaderelection.spring.autoconfigure.LeaderElectionProperties.Etcd;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * Checks {@code leader-election.etcd} before a connection is made, so that each mistake fails the
 * startup naming the property, the value and the fix: no or malformed endpoints (a user or
 * password in one, a path, query or fragment), http:// with an SSL bundle, an SSL bundle the
 * application does not define or that cannot be used ({@link EtcdSslBundleCheck}), an authority
 * without a bundle, a user without a password, a call timeout not below the renew deadline. The
 * password is never shown, nor the user info of an endpoint.
 */
final class EtcdSettingsCheck {

  static final String PREFIX = ElectionSettingsResolver.PREFIX + ".etcd";

  private EtcdSettingsCheck() {
  }

  /** The endpoints, each {@code http://host:port} or {@code https://host:port}, all alike. */
  static List<URI> endpoints(Etcd etcd, String election) {
    if (etcd.endpoints().isEmpty()) {
      throw new InvalidLeaderElectionPropertyException(PREFIX + ".endpoints", null,
          "must name at least one etcd endpoint, because election '" + election
              + "' has lock=etcd",
          "set it to your etcd endpoints, such as https://etcd-0:2379,https://etcd-1:2379, or "
              + "define an io.etcd.jetcd.Client bean");
    }
    List<URI> endpoints = etcd.endpoints().stream().map(EtcdEndpointCheck::endpoint).toList();
    boolean https = "https".equals(endpoints.get(0).getScheme());
    for (int i = 0; i < endpoints.size(); i++) {
      if ("https".equals(endpoints.get(i).getScheme()) != https) {
        throw new InvalidLeaderElectionPropertyException(PREFIX + ".endpoints[" + i + "]",
            etcd.endpoints().get(i), "mixes " + endpoints.get(i).getScheme() + ":// with "
                + endpoints.get(0).getScheme() + "://", "use https:// for every endpoint, or "
                + "http:// for every endpoint");
      }
    }
    if (!https && etcd.ssl().bundle() != null && !etcd.ssl().bundle().isBlank()) {
      throw new InvalidLeaderElectionPropertyException(PREFIX + ".endpoints",
          String.join(",", etcd.endpoints()), "must be https:// when " + PREFIX
              + ".ssl.bundle is set", "use https:// endpoints, or remove " + PREFIX
              + ".ssl.bundle");
    }
    return endpoints;
  }

  /**
   * The TLS of the connection: from the SSL bundle {@code ssl.bundle} names, or for https://
   * endpoints without one the JVM's trusted CAs (null), and {@code ssl.authority}.
   *
   * @param bundles Spring Boot's SSL bundles, or null when the application has none
   * @throws InvalidLeaderElectionPropertyException when the bundle does not exist, cannot be
   *     loaded or has a client key that cannot be used ({@link EtcdSslBundleCheck})
   */
  static @Nullable EtcdTls tls(Etcd etcd, @Nullable SslBundles bundles) {
    String name = etcd.ssl().bundle();
    String authority = etcd.ssl().authority();
    EtcdTls tls = null;
    if (name != null && !name.isBlank()) {
      SslBundle bundle;
      try {
        if (bundles == null) {
          throw new NoSuchSslBundleException(name, "no SSL bundles are configured");
        }
        bundle = bundles.getBundle(name.strip());
      } catch (NoSuchSslBundleException e) {
        throw new InvalidLeaderElectionPropertyException(PREFIX + ".ssl.bundle", name,
            "names no SSL bundle of this application", "define it under spring.ssl.bundle.pem."
                + name.strip() + " (or .jks), with the CA that signed etcd's certificates as "
                + "truststore and, for --client-cert-auth, the client certificate and key as "
                + "keystore");
      }
      tls = EtcdSslBundleCheck.tls(name.strip(), bundle);
    }
    if (authority != null && !authority.isBlank()) {
      if (tls == null) {
        throw new InvalidLeaderElectionPropertyException(PREFIX + ".ssl.authority", authority,
            "needs " + PREFIX + ".ssl.bundle, whose trust material verifies the certificate "
                + "against it", "set " + PREFIX + ".ssl.bundle, or remove the authority");
      }
      tls = tls.withAuthority(authority.strip());
    }
    return tls;
  }

  /** A user and a password go together; the password is never shown. */
  static void credentials(Etcd etcd) {
    if (etcd.username() != null && etcd.password() == null) {
      throw new InvalidLeaderElectionPropertyException(PREFIX + ".password", null,
          "must be set with " + PREFIX + ".username", "set the password of etcd user '"
              + etcd.username() + "', or remove the user name");
    }
    if (etcd.username() == null && etcd.password() != null) {
      throw new InvalidLeaderElectionPropertyException(PREFIX + ".username", null,
          "must be set with " + PREFIX + ".password", "set the etcd user the password is for");
    }
    if (etcd.username() != null && etcd.username().isBlank()) {
      throw new InvalidLeaderElectionPropertyException(PREFIX + ".username", etcd.username(),
          "must not be blank", "set the etcd user, or remove the property");
    }
  }

  /** The key of an election: the prefix followed by its lease name. */
  static String key(Etcd etcd, String leaseName) {
    if (etcd.keyPrefix().isBlank() || etcd.keyPrefix().chars().anyMatch(Character::isISOControl)) {
      throw new InvalidLeaderElectionPropertyException(PREFIX + ".key-prefix", etcd.keyPrefix(),
          "must be non-blank text without control characters",
          "remove it for the default /leaderelection/, or use a prefix such as /my-team/");
    }
    return etcd.keyPrefix() + leaseName;
  }

  /** The call timeout: as set, and below the renew deadline, or half the renew deadline. */
  static Duration callTimeout(Etcd etcd, LockRequest request) {
    Duration renewDeadline = request.timings().renewDeadline();
    Duration timeout = etcd.callTimeout();
    if (timeout == null) {
      return ElectionLocks.requestTimeout(request.timings());
    }
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(renewDeadline) >= 0) {
      throw new InvalidLeaderElectionPropertyException(PREFIX + ".call-timeout", format(timeout),
          "must be more than zero and less than the renew deadline (" + format(renewDeadline)
              + ") of election '" + request.election() + "', so that a leader whose calls hang "
              + "still steps down on time", "remove it (the default is half the renew deadline) "
              + "or set it below " + format(renewDeadline));
    }
    return timeout;
  }
}
