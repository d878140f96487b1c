package dev.leaderelection.etcd.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A throw-away CA and certificates signed by it, written as PEM files the way operators hold
 * them (certificates, and PKCS#8 private keys), for TLS tests. EC P-256 keys unless a test asks
 * for another kind, valid for a day.
 */
public final class TestCertificates {

  private final Path dir;
  private final KeyPair caKeys;
  private final X509Certificate ca;
  private final AtomicLong serial = new AtomicLong(1);

  private TestCertificates(Path dir) throws GeneralSecurityException, IOException {
    this.dir = dir;
    this.caKeys = keys("EC");
    this.ca = sign(new X500Name("CN=leaderelection test CA"), caKeys, caKeys.getPrivate(),
        new X500Name("CN=leaderelection test CA"), true, List.of());
    write("ca.pem", ca);
  }

  /** A new CA whose files go to {@code dir}. */
  public static TestCertificates createIn(Path dir) {
    try {
      Files.createDirectories(dir);
      return new TestCertificates(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The CA certificate file. */
  public Path caFile() {
    return dir.resolve("ca.pem");
  }

  /**
   * A serving certificate for the given names (IP addresses or DNS names); returns the
   * certificate file, with the key beside it as {@code <name>-key.pem}.
   */
  public Path server(String name, List<String> subjectAltNames) {
    // Client authentication too: etcd's gateway dials its own server with this certificate.
    return issue(name, name, "EC", subjectAltNames, KeyPurposeId.id_kp_serverAuth,
        KeyPurposeId.id_kp_clientAuth);
  }

  /** A client certificate whose common name is {@code commonName}. */
  public Path client(String name, String commonName) {
    return issue(name, commonName, "EC", List.of(), KeyPurposeId.id_kp_clientAuth);
  }

  /**
   * A client certificate for a key of {@code keyAlgorithm} ({@code RSA}, {@code EC},
   * {@code Ed25519}, ...), still signed by the CA's EC key.
   */
  public Path client(String name, String commonName, String keyAlgorithm) {
    return issue(name, commonName, keyAlgorithm, List.of(), KeyPurposeId.id_kp_clientAuth);
  }

  /** The private key file of the certificate file {@code certificate}. */
  public static Path keyOf(Path certificate) {
    String file = certificate.getFileName().toString();
    return certificate.resolveSibling(file.replace(".pem", "-key.pem"));
  }

  private Path issue(String name, String commonName, String keyAlgorithm, List<String> names,
      KeyPurposeId... purposes) {
    try {
      KeyPair keys = keys(keyAlgorithm);
      X509Certificate certificate = sign(new X500Name("CN=" + commonName), keys,
          caKeys.getPrivate(), new X500Name(ca.getSubjectX500Principal().getName()), false,
          names, purposes);
      Path file = write(name + ".pem", certificate);
      try (Writer out = Files.newBufferedWriter(keyOf(file));
          JcaPEMWriter pem = new JcaPEMWriter(out)) {
        pem.writeObject(new PemObject("PRIVATE KEY", keys.getPrivate().getEncoded()));
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private X509Certificate sign(X500Name subject, KeyPair subjectKeys, PrivateKey issuerKey,
      X500Name issuer, boolean isCa, List<String> names, KeyPurposeId... purposes)
      throws GeneralSecurityException, IOException {
    Instant now = Instant.now();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
        BigInteger.valueOf(serial.getAndIncrement()), Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(1))), subject, subjectKeys.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(isCa
        ? KeyUsage.keyCertSign | KeyUsage.digitalSignature
        : KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
    if (purposes.length > 0) {
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
    }
    if (!names.isEmpty()) {
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
          names.stream().map(name -> new GeneralName(Character.isDigit(name.charAt(0))
              ? GeneralName.iPAddress : GeneralName.dNSName, name)).toArray(GeneralName[]::new)));
    }
    try {
      return new JcaX509CertificateConverter().getCertificate(builder.build(
          new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    } catch (org.bouncycastle.operator.OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private Path write(String file, X509Certificate certificate) throws IOException {
    Path path = dir.resolve(file);
    try (Writer out = Files.newBufferedWriter(path); JcaPEMWriter pem = new JcaPEMWriter(out)) {
      pem.writeObject(certificate);
    }
    return path;
  }

  private static KeyPair keys(String algorithm) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
    if (algorithm.equals("EC")) {
      generator.initialize(new ECGenParameterSpec("secp256r1"));
    } else if (algorithm.equals("RSA")) {
      generator.initialize(2048);
    }
    return generator.generateKeyPair();
  }
}
