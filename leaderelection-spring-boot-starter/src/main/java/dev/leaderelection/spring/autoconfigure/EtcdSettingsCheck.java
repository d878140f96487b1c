package dev.leaderelection.spring.autoconfigure;

import static dev.leaderelection.internal.Durations.format;

import dev.leaderelection.spring.autoconfigure.LeaderElectionProperties.Etcd;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Checks {@code leader-election.etcd} before a connection is made, so that each mistake fails the
 * startup naming the property, the value and the fix: no or malformed endpoints, http:// with
 * TLS, TLS files that are missing, unreadable or not PEM (or a key that is not PKCS#8), a key
 * without its certificate, a user without a password, a call timeout not below the renew
 * deadline. The password is never shown.
 */
final class EtcdSettingsCheck {

  static final String PREFIX = ElectionSettingsResolver.PREFIX + ".etcd";
  private static final String CERTIFICATE = "-----BEGIN CERTIFICATE-----";
  private static final String PKCS8_KEY = "-----BEGIN PRIVATE KEY-----";

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
    List<URI> endpoints = etcd.endpoints().stream().map(EtcdSettingsCheck::endpoint).toList();
    boolean https = "https".equals(endpoints.get(0).getScheme());
    for (int i = 0; i < endpoints.size(); i++) {
      if ("https".equals(endpoints.get(i).getScheme()) != https) {
        throw new InvalidLeaderElectionPropertyException(PREFIX + ".endpoints[" + i + "]",
            etcd.endpoints().get(i), "mixes " + endpoints.get(i).getScheme() + ":// with "
                + endpoints.get(0).getScheme() + "://", "use https:// for every endpoint, or "
                + "http:// for every endpoint");
      }
    }
    if (!https && hasTls(etcd)) {
      throw new InvalidLeaderElectionPropertyException(PREFIX + ".endpoints",
          String.join(",", etcd.endpoints()), "must be https:// when " + PREFIX
              + ".tls is set", "use https:// endpoints, or remove " + PREFIX + ".tls");
    }
    return endpoints;
  }

  /** Whether any TLS file is set. */
  static boolean hasTls(Etcd etcd) {
    return etcd.tls().caFile() != null || etcd.tls().certFile() != null
        || etcd.tls().keyFile() != null;
  }

  /** The CA, certificate and key files, each readable PEM, the key PKCS#8 and with its cert. */
  static void tlsFiles(Etcd etcd) {
    LeaderElectionProperties.Tls tls = etcd.tls();
    if ((tls.certFile() == null) != (tls.keyFile() == null)) {
      String missing = tls.certFile() == null ? "cert-file" : "key-file";
      String given = tls.certFile() == null ? "key-file" : "cert-file";
      throw new InvalidLeaderElectionPropertyException(PREFIX + ".tls." + missing, null,
          "must be set with " + PREFIX + ".tls." + given + ": a client certificate and its key "
              + "go together", "set both, or neither");
    }
    if (tls.caFile() == null && tls.certFile() != null) {
      throw new InvalidLeaderElectionPropertyException(PREFIX + ".tls.ca-file", null,
          "must be set with a client certificate", "set it to the PEM file of the CA that "
              + "signed etcd's certificates");
    }
    pem(PREFIX + ".tls.ca-file", tls.caFile(), CERTIFICATE);
    pem(PREFIX + ".tls.cert-file", tls.certFile(), CERTIFICATE);
    pem(PREFIX + ".tls.key-file", tls.keyFile(), PKCS8_KEY);
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
  static Duration callTimeout(Etcd etcd, ElectionSettings settings) {
    Duration renewDeadline = settings.timings().renewDeadline();
    Duration timeout = etcd.callTimeout();
    if (timeout == null) {
      return ElectionLocks.requestTimeout(settings);
    }
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(renewDeadline) >= 0) {
      throw new InvalidLeaderElectionPropertyException(PREFIX + ".call-timeout", format(timeout),
          "must be more than zero and less than the renew deadline (" + format(renewDeadline)
              + ") of election '" + settings.name() + "', so that a leader whose calls hang "
              + "still steps down on time", "remove it (the default is half the renew deadline) "
              + "or set it below " + format(renewDeadline));
    }
    return timeout;
  }

  private static URI endpoint(String endpoint) {
    String rule = "must be http://host:port or https://host:port";
    String fix = "write each endpoint with its scheme and port, such as https://etcd-0:2379";
    URI uri;
    try {
      uri = new URI(endpoint.strip());
    } catch (URISyntaxException e) {
      throw new InvalidLeaderElectionPropertyException(PREFIX + ".endpoints", endpoint,
          rule + " (" + e.getReason() + ")", fix);
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null || uri.getPort() < 0 || uri.getUserInfo() != null) {
      throw new InvalidLeaderElectionPropertyException(PREFIX + ".endpoints", endpoint, rule,
          fix);
    }
    return uri;
  }

  private static void pem(String property, @Nullable String file, String header) {
    if (file == null) {
      return;
    }
    Path path = Path.of(file);
    String text;
    try {
      text = Files.isReadable(path) && Files.isRegularFile(path)
          ? new String(Files.readAllBytes(path), StandardCharsets.ISO_8859_1) : null;
    } catch (IOException | RuntimeException e) {
      text = null;
    }
    if (text == null) {
      throw new InvalidLeaderElectionPropertyException(property, file,
          "does not exist or cannot be read by this process", "point it at a readable PEM file");
    }
    if (!text.contains(header)) {
      boolean otherKey = text.contains("-----BEGIN RSA PRIVATE KEY-----")
          || text.contains("-----BEGIN EC PRIVATE KEY-----");
      throw new InvalidLeaderElectionPropertyException(property, file, otherKey
          ? "holds a PKCS#1 or SEC1 key, not the PKCS#8 key (" + header + ") jetcd reads"
          : "holds no PEM block " + header, otherKey
          ? "convert it: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key-pkcs8.pem"
          : "point it at the PEM file, not DER or another format");
    }
  }
}
