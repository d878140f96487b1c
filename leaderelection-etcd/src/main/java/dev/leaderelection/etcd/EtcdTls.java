package dev.leaderelection.etcd;

import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How an {@link EtcdLeaseLock} talks TLS to etcd: the CA that signed etcd's serving certificates,
 * and optionally a client certificate with its private key (for etcd's
 * {@code --client-cert-auth}), all PEM files as operators hold them. The key must be PKCS#8
 * ({@code -----BEGIN PRIVATE KEY-----}); convert a PKCS#1 or SEC1 key with
 * {@code openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem}. {@code authority}
 * overrides the host name checked against etcd's certificate, for endpoints addressed by a name
 * the certificate does not carry.
 *
 * <p>Immutable; files are read when the lock is built.
 *
 * @param caFile the PEM CA certificate(s) to trust
 * @param certFile the PEM client certificate, or null for none
 * @param keyFile the PEM PKCS#8 private key of {@code certFile}, or null for none
 * @param authority the name to verify etcd's certificate against, or null for each endpoint's
 *     host
 * @since 0.2.0
 */
public record EtcdTls(Path caFile, @Nullable Path certFile, @Nullable Path keyFile,
    @Nullable String authority) {

  /** Validates that a client certificate and its key come together. */
  public EtcdTls {
    Objects.requireNonNull(caFile, "caFile");
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException("certFile and keyFile go together, but only "
          + (certFile == null ? "keyFile" : "certFile") + " is given");
    }
    if (authority != null && authority.isBlank()) {
      throw new IllegalArgumentException("authority must not be blank; leave it null instead");
    }
  }

  /** TLS that trusts the CA certificate(s) in {@code caFile}, without a client certificate. */
  public static EtcdTls trusting(Path caFile) {
    return new EtcdTls(caFile, null, null, null);
  }

  /** A copy that presents the client certificate {@code certFile} with its key. */
  public EtcdTls withClientCertificate(Path certFile, Path keyFile) {
    return new EtcdTls(caFile, Objects.requireNonNull(certFile, "certFile"),
        Objects.requireNonNull(keyFile, "keyFile"), authority);
  }

  /** A copy that verifies etcd's certificate against {@code authority}. */
  public EtcdTls withAuthority(String authority) {
    return new EtcdTls(caFile, certFile, keyFile, Objects.requireNonNull(authority, "authority"));
  }
}
