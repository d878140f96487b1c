package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.internal.ClientKeys;
import dev.leaderelection.etcd.EtcdTls;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.interfaces.EdECKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslManagerBundle;

/**
 * The TLS of {@code leader-election.etcd.ssl.bundle}, loaded and checked at startup, so that each
 * mistake fails naming the property, the bundle and the fix instead of a long stack trace or a
 * failed handshake later: a bundle whose files cannot be read, a client key the etcd client
 * cannot present (only RSA and EC keys are; an Ed25519 key would silently not be sent and etcd
 * answer {@code certificate_required}), a client key that is not its certificate's.
 */
final class EtcdSslBundleCheck {

  private static final String PROPERTY = EtcdSettingsCheck.PREFIX + ".ssl.bundle";

  private EtcdSslBundleCheck() {
  }

  /** The TLS of the bundle named {@code name}: its trust material and client certificate. */
  static EtcdTls tls(String name, SslBundle bundle) {
    KeyStore keyStore;
    EtcdTls tls;
    try {
      keyStore = bundle.getStores().getKeyStore();
      SslManagerBundle managers = bundle.getManagers();
      tls = EtcdTls.using(managers.getTrustManagerFactory(),
          keyStore != null ? managers.getKeyManagerFactory() : null);
    } catch (RuntimeException e) {
      throw unloadable(name, e);
    }
    if (keyStore != null) {
      clientKeys(name, bundle, keyStore).forEach(entry -> check(name, entry));
    }
    return tls;
  }

  private static List<ClientKey> clientKeys(String name, SslBundle bundle, KeyStore store) {
    String alias = bundle.getKey().getAlias();
    String password = bundle.getKey().getPassword() != null ? bundle.getKey().getPassword()
        : bundle.getStores().getKeyStorePassword();
    char[] secret = password == null ? new char[0] : password.toCharArray();
    List<ClientKey> keys = new ArrayList<>();
    try {
      for (String each : alias != null ? List.of(alias) : Collections.list(store.aliases())) {
        if (store.isKeyEntry(each)) {
          keys.add(new ClientKey(store.getKey(each, secret), store.getCertificateChain(each)));
        }
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      throw unloadable(name, e);
    }
    return keys;
  }

  private static void check(String name, ClientKey entry) {
    String fix = "give the SSL bundle '" + name + "' ";
    String where = " (spring.ssl.bundle.pem." + name + ".keystore, or .jks." + name
        + ".keystore)";
    String algorithm = entry.key() instanceof EdECKey edwards ? edwards.getParams().getName()
        : entry.key().getAlgorithm();
    if (!(entry.key() instanceof PrivateKey key)
        || !ClientKeys.isPresentable(key)) {
      throw new InvalidLeaderElectionPropertyException(PROPERTY, name, "names an SSL bundle "
          + "whose client key is an " + algorithm + " key, which the etcd client cannot present "
          + "(it presents RSA and EC keys)", fix + "an RSA or EC client key and its certificate"
          + where);
    }
    if (entry.chain() == null || entry.chain().length == 0
        || !ClientKeys.isKeyOf(key, entry.chain()[0].getPublicKey())) {
      throw new InvalidLeaderElectionPropertyException(PROPERTY, name, "names an SSL bundle "
          + "whose client key is not the key of its certificate", fix + "the private key its "
          + "client certificate was issued for" + where);
    }
  }

  private static InvalidLeaderElectionPropertyException unloadable(String name,
      Exception cause) {
    return new InvalidLeaderElectionPropertyException(PROPERTY, name, "names an SSL bundle that "
        + "cannot be loaded (" + cause.getMessage() + ")", "fix the files of the SSL bundle '"
        + name + "' (spring.ssl.bundle.pem." + name + ", or .jks." + name + "): certificates "
        + "PEM between -----BEGIN CERTIFICATE----- and -----END CERTIFICATE-----, the private "
        + "key PEM (PKCS#8, PKCS#1 or SEC1), a keystore with its password", cause);
  }

  private record ClientKey(Key key, Certificate[] chain) {
  }
}
