package dev.leaderelection.etcd;

import java.nio.file.Path;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/**
 * How an {@link EtcdLeaseLock} talks TLS to etcd: what verifies etcd's serving certificates, and
 * optionally a client certificate with its private key (for etcd's {@code --client-cert-auth}).
 * Either PEM files as operators hold them ({@link #trusting(Path)},
 * {@link #withClientCertificate(Path, Path)}; the key must be PKCS#8,
 * {@code -----BEGIN PRIVATE KEY-----}; convert a PKCS#1 or SEC1 key with
 * {@code openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem}), or JSSE managers, such as
 * a Spring Boot SSL bundle's ({@link #using(TrustManagerFactory, KeyManagerFactory)}).
 * {@link #withAuthority(String) authority} overrides the host name checked against etcd's
 * certificate, for endpoints addressed by a name the certificate does not carry.
 *
 * <p>Immutable; files are read when the lock is built, which fails with one
 * {@link IllegalArgumentException} naming the file and the fix when a file is missing, holds no
 * readable certificate or key, the client key is not RSA or EC (the only keys the TLS client
 * presents; an Ed25519 key would silently not be sent), or is not the client certificate's key.
 *
 * @since 0.2.0
 */
public final class EtcdTls {

  private final @Nullable Path caFile;
  private final @Nullable Path certFile;
  private final @Nullable Path keyFile;
  private final @Nullable TrustManagerFactory trustManagers;
  private final @Nullable KeyManagerFactory keyManagers;
  private final @Nullable String authority;

  private EtcdTls(@Nullable Path caFile, @Nullable Path certFile, @Nullable Path keyFile,
      @Nullable TrustManagerFactory trustManagers, @Nullable KeyManagerFactory keyManagers,
      @Nullable String authority) {
    this.caFile = caFile;
    this.certFile = certFile;
    this.keyFile = keyFile;
    this.trustManagers = trustManagers;
    this.keyManagers = keyManagers;
    this.authority = authority;
  }

  /** TLS that trusts the PEM CA certificate(s) in {@code caFile}, without a client certificate. */
  public static EtcdTls trusting(Path caFile) {
    return new EtcdTls(Objects.requireNonNull(caFile, "caFile"), null, null, null, null, null);
  }

  /**
   * TLS with JSSE managers: {@code trustManagers} verify etcd's certificates, and
   * {@code keyManagers}, if not null, present the client certificate.
   *
   * @since 0.3.0
   */
  public static EtcdTls using(TrustManagerFactory trustManagers,
      @Nullable KeyManagerFactory keyManagers) {
    return new EtcdTls(null, null, null, Objects.requireNonNull(trustManagers, "trustManagers"),
        keyManagers, null);
  }

  /**
   * A copy that presents the PEM client certificate {@code certFile} with its PKCS#8 key.
   *
   * @throws IllegalStateException when this TLS is made of JSSE managers
   */
  public EtcdTls withClientCertificate(Path certFile, Path keyFile) {
    if (caFile == null) {
      throw new IllegalStateException("a client certificate file goes with a CA file; give JSSE "
          + "managers the client certificate with using(trustManagers, keyManagers)");
    }
    return new EtcdTls(caFile, Objects.requireNonNull(certFile, "certFile"),
        Objects.requireNonNull(keyFile, "keyFile"), null, null, authority);
  }

  /**
   * A copy that verifies etcd's certificate against {@code authority}.
   *
   * @throws IllegalArgumentException when {@code authority} is blank
   */
  public EtcdTls withAuthority(String authority) {
    if (Objects.requireNonNull(authority, "authority").isBlank()) {
      throw new IllegalArgumentException("authority must not be blank");
    }
    return new EtcdTls(caFile, certFile, keyFile, trustManagers, keyManagers, authority);
  }

  @Nullable Path caFile() {
    return caFile;
  }

  @Nullable Path certFile() {
    return certFile;
  }

  @Nullable Path keyFile() {
    return keyFile;
  }

  @Nullable TrustManagerFactory trustManagers() {
    return trustManagers;
  }

  @Nullable KeyManagerFactory keyManagers() {
    return keyManagers;
  }

  @Nullable String authority() {
    return authority;
  }

  @Override
  public String toString() {
    return "EtcdTls[" + (caFile != null ? "caFile=" + caFile + ", certFile=" + certFile
        : "managers, client certificate=" + (keyManagers != null)) + ", authority=" + authority
        + "]";
  }
}
