package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.internal.Identities;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
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
 * that two processes never share an identity; for coordinated elections the host part is made a
 * valid Kubernetes name instead, followed by "-" and the same hex digits. A fixed identity (one
 * written without a placeholder such as {@code ${POD_NAME}}) gets a warning: every replica would
 * share it.
 */
final class IdentityGenerator {

  private static final Logger log = LoggerFactory.getLogger(IdentityGenerator.class);
  private static final ConfigurationPropertyName IDENTITY =
      ConfigurationPropertyName.of(ElectionSettingsResolver.PREFIX + ".identity");

  /** Where Linux tells the host name without resolving it. */
  private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

  /** The longest host part of a generated object name: a DNS label's limit. */
  static final int MAX_HOST_PART = 63;

  private IdentityGenerator() {
  }

  /**
   * This process's identity, from the property or generated.
   *
   * @throws InvalidLeaderElectionPropertyException when the property is not a valid identity
   */
  static ProcessIdentity identity(LeaderElectionProperties properties, Environment environment) {
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
      return ProcessIdentity.configured(properties.identity());
    }
    // Unique, not secret: 32 bits of ThreadLocalRandom (seeded from the clocks) tell processes
    // of one host apart, without loading and seeding SecureRandom's SHA1PRNG (about 40 classes,
    // a few milliseconds of startup).
    String random = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    String host = host(environment, KERNEL_HOSTNAME);
    return new ProcessIdentity(host + "_" + random, objectName(host) + "-" + random, false);
  }

  /**
   * {@code host} as the start of a Kubernetes object name: lower case, only letters, digits,
   * '-' and '.', each dot-separated part starting and ending with a letter or digit, at most
   * {@value #MAX_HOST_PART} characters.
   */
  static String objectName(String host) {
    String name = Arrays.stream(host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-")
            .split("\\."))
        .map(part -> part.replaceAll("^-+|-+$", ""))
        .filter(part -> !part.isEmpty())
        .collect(Collectors.joining("."));
    if (name.length() > MAX_HOST_PART) {
      name = name.substring(0, MAX_HOST_PART).replaceAll("[.-]+$", "");
    }
    return name.isEmpty() ? "instance" : name;
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

  /**
   * The host part: {@code POD_NAME} or {@code HOSTNAME}, else the kernel's host name where Linux
   * tells it ({@code hostnameFile}), else the name {@link InetAddress#getLocalHost()} gives,
   * which resolves it first (a DNS lookup at startup, slow where the name has no address).
   */
  static String host(Environment environment, Path hostnameFile) {
    for (String variable : new String[] {"POD_NAME", "HOSTNAME"}) {
      String value = environment.getProperty(variable);
      if (value != null && !value.isBlank()) {
        return value.trim();
      }
    }
    try {
      String kernel = Files.readString(hostnameFile).trim();
      if (!kernel.isEmpty()) {
        return kernel;
      }
    } catch (IOException | RuntimeException notLinux) {
      // no such file: ask the resolver
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
