package dev.leaderelection.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/**
 * Checks of a TLS client key, made before a connection so that a key the client cannot use fails
 * at startup, not at the first handshake. Used by the etcd module's PEM files and the starter's
 * SSL bundles alike.
 */
public final class ClientKeys {

  private static final String CHALLENGE = "leaderelection: is this the certificate's key?";

  private ClientKeys() {
  }

  /** Whether Netty's TLS client (gRPC's, jetcd's) presents a certificate for a key of this kind. */
  public static boolean isPresentable(PrivateKey key) {
    return key.getAlgorithm().equals("RSA") || key.getAlgorithm().equals("EC");
  }

  /** Whether {@code key} (RSA or EC) signs what {@code publicKey}, its certificate's, verifies. */
  public static boolean isKeyOf(PrivateKey key, PublicKey publicKey) {
    if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
      return false;
    }
    String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    byte[] challenge = CHALLENGE.getBytes(StandardCharsets.UTF_8);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      return verifier.verify(signer.sign());
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
