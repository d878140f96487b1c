package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.Identities;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.springframework.core.env.Environment;

/**
 * This process's identity: {@code leader-election.identity} if set, else POD_NAME (or HOSTNAME,
 * or the host name) followed by "_" and 8 random hex digits, as client-go's components do, so
 * that two processes never share an identity.
 */
final class IdentityGenerator {

  private IdentityGenerator() {
  }

  static String identity(LeaderElectionProperties properties, Environment environment) {
    if (properties.identity() != null) {
      String problem = Identities.problem(properties.identity());
      if (problem != null) {
        throw new InvalidLeaderElectionPropertyException(ElectionSettingsResolver.PREFIX
            + ".identity", Identities.printable(properties.identity()), problem,
            "use a name that is unique to this process, such as the pod's name, or leave it "
                + "unset for <POD_NAME or host name>_<8 random hex digits>");
      }
      return properties.identity();
    }
    byte[] random = new byte[4];
    new SecureRandom().nextBytes(random);
    return host(environment) + "_" + HexFormat.of().formatHex(random);
  }

  private static String host(Environment environment) {
    for (String variable : new String[] {"POD_NAME", "HOSTNAME"}) {
      String value = environment.getProperty(variable);
      if (value != null && !value.isBlank()) {
        return value.trim();
      }
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
