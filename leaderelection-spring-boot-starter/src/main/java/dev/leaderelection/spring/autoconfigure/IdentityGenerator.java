package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.Identities;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.Environment;

/**
 * This process's identity: {@code leader-election.identity} if set, else POD_NAME (or HOSTNAME,
 * or the host name) followed by "_" and 8 random hex digits, as client-go's components do, so
 * that two processes never share an identity. A fixed identity (one written without a
 * placeholder such as {@code ${POD_NAME}}) gets a warning: every replica would share it.
 */
final class IdentityGenerator {

  private static final Logger log = LoggerFactory.getLogger(IdentityGenerator.class);
  private static final ConfigurationPropertyName IDENTITY =
      ConfigurationPropertyName.of(ElectionSettingsResolver.PREFIX + ".identity");

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
      if (!fromPlaceholder(environment)) {
        log.warn("{}.identity is set to '{}' for every process started with this configuration: "
            + "two replicas with one identity both believe they lead. Leave it unset for "
            + "<POD_NAME or host name>_<8 random hex digits>, or derive it from the pod, such as "
            + "${POD_NAME}", ElectionSettingsResolver.PREFIX,
            Identities.printable(properties.identity()));
      }
      return properties.identity();
    }
    byte[] random = new byte[4];
    new SecureRandom().nextBytes(random);
    return host(environment) + "_" + HexFormat.of().formatHex(random);
  }

  /** Whether the identity as written refers to something else, such as {@code ${POD_NAME}}. */
  private static boolean fromPlaceholder(Environment environment) {
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
      ConfigurationProperty property = source.getConfigurationProperty(IDENTITY);
      if (property != null) {
        return String.valueOf(property.getValue()).contains("${");
      }
    }
    return false;
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
