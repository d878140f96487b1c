package dev.leaderelection.etcd;

import dev.leaderelection.internal.ClientKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files of an {@link EtcdTls} before Netty does, so that each mistake is one
 * {@link IllegalArgumentException} naming the file and the fix when the lock is built: a missing
 * file, a body that is no certificate or key, a key the TLS client cannot present (only RSA and
 * EC keys are; an Ed25519 key would silently not be sent), a key that is not the certificate's.
 */
final class PemFiles {

  private static final Pattern PEM_BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");

  private PemFiles() {
  }

  /** The certificates in {@code file}, the first one first; {@code what} names the file. */
  static X509Certificate[] certificates(Path file, String what) {
    readable(file, what);
    try (InputStream in = Files.newInputStream(file)) {
      X509Certificate[] certificates = CertificateFactory.getInstance("X.509")
          .generateCertificates(in).toArray(X509Certificate[]::new);
      if (certificates.length == 0) {
        throw new CertificateException("it holds no certificate");
      }
      return certificates;
    } catch (IOException | CertificateException | RuntimeException e) {
      throw new IllegalArgumentException("The etcd TLS " + what + " file " + file + " holds no "
          + "readable PEM certificate (" + e.getMessage() + "); it must hold PEM certificates, "
          + "each between -----BEGIN CERTIFICATE----- and -----END CERTIFICATE-----", e);
    }
  }

  /**
   * The PKCS#8 private key in {@code keyFile}, checked to be an RSA or EC key and the key of
   * {@code certificate}, read from {@code certificateFile}.
   */
  static PrivateKey clientKey(Path keyFile, Path certificateFile, X509Certificate certificate) {
    readable(keyFile, "client key");
    String algorithm = null;
    PrivateKey key = null;
    try {
      Matcher block = PEM_BLOCK.matcher(Files.readString(keyFile, StandardCharsets.ISO_8859_1));
      if (!block.find() || !block.group(1).equals("PRIVATE KEY")) {
        throw new IllegalArgumentException("no -----BEGIN PRIVATE KEY----- block");
      }
      byte[] der = Base64.getMimeDecoder().decode(block.group(2));
      // The kinds of key tried, in order; only RSA and EC keys can be presented.
      List<String> kinds =
          List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA", "X25519", "X448");
      for (int i = 0; key == null && i < kinds.size(); i++) {
        try {
          key = KeyFactory.getInstance(kinds.get(i)).generatePrivate(new PKCS8EncodedKeySpec(der));
          algorithm = kinds.get(i);
        } catch (GeneralSecurityException notThisKind) {
          // try the next kind
        }
      }
      if (key == null) {
        throw new IllegalArgumentException("no RSA, EC or other known key in it");
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("The etcd TLS client key file " + keyFile + " holds no "
          + "readable private key (" + e.getMessage() + "); it must be PEM between -----BEGIN "
          + "PRIVATE KEY----- and -----END PRIVATE KEY----- (PKCS#8); convert a PKCS#1 or SEC1 "
          + "key with openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem", e);
    }
    if (!ClientKeys.isPresentable(key)) {
      throw new IllegalArgumentException("The etcd TLS client key file " + keyFile + " holds an "
          + algorithm + " key, which the TLS client cannot present; use an RSA or EC key and "
          + "its certificate");
    }
    if (!ClientKeys.isKeyOf(key, certificate.getPublicKey())) {
      throw new IllegalArgumentException("The etcd TLS client key file " + keyFile + " is not "
          + "the key of the client certificate file " + certificateFile + "; give the key the "
          + "certificate was issued for");
    }
    return key;
  }

  private static void readable(Path file, String what) {
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException("The etcd TLS " + what + " file " + file
          + " does not exist or cannot be read");
    }
  }
}
