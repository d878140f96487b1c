package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.internal.Endpoints;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Parses each of {@code leader-election.etcd.endpoints}, failing startup naming the property, the
 * value and the fix for anything but {@code http://host:port} or {@code https://host:port}: no
 * scheme or port, a path, query or fragment (which jetcd would silently drop), or a user and
 * password, which belong in {@code username} and {@code password}. No message shows the user
 * info of an endpoint.
 */
final class EtcdEndpointCheck {

  private static final String PROPERTY = EtcdSettingsCheck.PREFIX + ".endpoints";

  private EtcdEndpointCheck() {
  }

  /**
   * One of {@code leader-election.etcd.endpoints}: {@code http://} or {@code https://}, a host
   * and a port, nothing more (a bare / is allowed and dropped).
   */
  static URI endpoint(String endpoint) {
    String shown = Endpoints.withoutUserInfo(endpoint.strip());
    String rule = "must be http://host:port or https://host:port";
    String fix = "write each endpoint with its scheme and port, such as https://etcd-0:2379";
    URI uri;
    try {
      uri = new URI(endpoint.strip());
    } catch (URISyntaxException e) {
      throw new InvalidLeaderElectionPropertyException(PROPERTY, shown,
          rule + " (" + e.getReason() + ")", fix);
    }
    if (uri.getRawUserInfo() != null) {
      throw new InvalidLeaderElectionPropertyException(PROPERTY, shown,
          "must not carry a user or password", "remove the user and password from the "
              + "endpoint, and set " + EtcdSettingsCheck.PREFIX + ".username and "
              + EtcdSettingsCheck.PREFIX + ".password");
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null || uri.getPort() < 0) {
      throw new InvalidLeaderElectionPropertyException(PROPERTY, shown, rule, fix);
    }
    String path = uri.getRawPath();
    if (!(path == null || path.isEmpty() || path.equals("/")) || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new InvalidLeaderElectionPropertyException(PROPERTY, shown,
          rule + ", without a path, query or fragment", "remove what follows the port, as in "
              + uri.getScheme() + "://" + uri.getRawAuthority());
    }
    return URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
  }

}
