package dev.leaderelection.etcd;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Configures an {@link EtcdLeaseLock} (or, with {@link #buildGroupMembership}, a group's
 * {@link EtcdGroupMembership}): the connection (endpoints, TLS, user name and password) or the
 * application's jetcd {@link ClientBuilder}, from which the lock makes and owns a jetcd client
 * whose every call carries a gRPC deadline of the request timeout; or a jetcd {@link Client} the
 * application already has, which the lock uses as it is and never closes. Each setting is
 * checked when it is set; {@link #build()} checks that they fit together.
 *
 * <pre>{@code
 * EtcdLeaseLock lock = EtcdLeaseLock.builder("report-job")
 *     .endpoints("https://etcd-0:2379", "https://etcd-1:2379", "https://etcd-2:2379")
 *     .tls(EtcdTls.trusting(caFile).withClientCertificate(certFile, keyFile))
 *     .credentials("report-job", password)
 *     .requestTimeout(Duration.ofSeconds(5))
 *     .build();
 * }</pre>
 *
 * <p>Not thread-safe: configure it on one thread. {@link #toString()} never shows the password.
 *
 * @since 0.2.0
 */
public final class EtcdLeaseLockBuilder {

  /** The prefix of the default key: {@code /leaderelection/<name>}. */
  public static final String DEFAULT_KEY_PREFIX = "/leaderelection/";

  private final String name;
  private String key;
  private boolean keyGiven;
  private List<URI> endpoints = List.of();
  private @Nullable EtcdTls tls;
  private @Nullable String user;
  private char @Nullable [] password;
  private Duration requestTimeout = Duration.ofSeconds(5);
  private @Nullable Client client;
  private @Nullable ClientBuilder clientBuilder;

  EtcdLeaseLockBuilder(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank() || name.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("name must be non-blank text without control "
          + "characters, but is '" + name.strip() + "'");
    }
    this.name = name;
    this.key = DEFAULT_KEY_PREFIX + name;
  }

  /**
   * The etcd endpoints, such as {@code https://etcd-0:2379}; calls are balanced over them.
   *
   * @throws IllegalArgumentException when an endpoint is not {@code http://host:port} or
   *     {@code https://host:port}: no port, a path, query or fragment, or a user and password
   *     (give those to {@link #credentials(String, char[])}; the message never shows them)
   */
  public EtcdLeaseLockBuilder endpoints(String... endpoints) {
    return endpoints(Arrays.asList(endpoints));
  }

  /**
   * The etcd endpoints, such as {@code https://etcd-0:2379}; calls are balanced over them.
   *
   * @throws IllegalArgumentException as {@link #endpoints(String...)}
   */
  public EtcdLeaseLockBuilder endpoints(List<String> endpoints) {
    List<URI> parsed = new ArrayList<>();
    for (String endpoint : Objects.requireNonNull(endpoints, "endpoints")) {
      parsed.add(EtcdClients.endpoint(endpoint));
    }
    if (parsed.isEmpty()) {
      throw new IllegalArgumentException("endpoints must name at least one etcd endpoint");
    }
    this.endpoints = List.copyOf(parsed);
    return this;
  }

  /** Talks TLS to the endpoints (which must then be {@code https://}). */
  public EtcdLeaseLockBuilder tls(EtcdTls tls) {
    this.tls = Objects.requireNonNull(tls, "tls");
    return this;
  }

  /**
   * Authenticates as {@code user} (etcd's {@code --auth} users). The password is copied; it never
   * appears in a log line, an exception message or {@code toString()}.
   */
  public EtcdLeaseLockBuilder credentials(String user, char[] password) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    if (user.isBlank()) {
      throw new IllegalArgumentException("user must not be blank");
    }
    this.user = user;
    this.password = password.clone();
    return this;
  }

  /** Authenticates as {@code user}; see {@link #credentials(String, char[])}. */
  public EtcdLeaseLockBuilder credentials(String user, String password) {
    return credentials(user, Objects.requireNonNull(password, "password").toCharArray());
  }

  /**
   * Uses the application's jetcd client instead of making one; the lock never closes it.
   * Excludes endpoints, TLS and credentials, which belong to the client. The lock stops waiting
   * for a call after the request timeout, but jetcd has no per-call deadline, so the call itself
   * carries none to gRPC and etcd and may still reach etcd later, unless the application's
   * client sets deadlines itself; {@link #clientFrom(ClientBuilder)} bounds every call.
   */
  public EtcdLeaseLockBuilder client(Client client) {
    this.client = Objects.requireNonNull(client, "client");
    return this;
  }

  /**
   * Makes the lock's client from a copy of the application's jetcd builder (its endpoints, TLS,
   * credentials, namespace, executor and interceptors; the builder itself is not changed), adding
   * a gRPC deadline of the request timeout to every call, so a call the lock gave up on is
   * abandoned by gRPC and etcd too. The lock owns that client and closes it on
   * {@link EtcdLeaseLock#close()}. Excludes endpoints, TLS, credentials and {@link #client}.
   *
   * @since 0.2.0
   */
  public EtcdLeaseLockBuilder clientFrom(ClientBuilder builder) {
    this.clientBuilder = Objects.requireNonNull(builder, "builder");
    return this;
  }

  /**
   * The longest any one call may take (default 5 s); must be shorter than the election's renew
   * deadline, so a leader whose calls hang still steps down on time.
   */
  public EtcdLeaseLockBuilder requestTimeout(Duration requestTimeout) {
    if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException(
          "requestTimeout is " + requestTimeout + " but must be greater than zero");
    }
    this.requestTimeout = requestTimeout;
    return this;
  }

  /**
   * The key holding the record, instead of {@code /leaderelection/<name>}; for
   * {@link #buildGroupMembership}, the group's key, under which the members' keys are
   * ({@code <key>/members/<identity>}), instead of {@code /leaderelection/groups/<name>}.
   */
  public EtcdLeaseLockBuilder key(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("key must not be empty");
    }
    this.key = key;
    this.keyGiven = true;
    return this;
  }

  /**
   * Builds the lock; with a connection rather than a client, the lock makes a jetcd client and
   * closes it on {@link EtcdLeaseLock#close()}. Connecting happens on the first call.
   *
   * @throws IllegalArgumentException when the settings do not fit together or a TLS file cannot
   *     be read
   */
  public EtcdLeaseLock build() {
    Client given = client;
    ClientBuilder application = clientBuilder;
    checkConnection(given, application);
    if (given != null) {
      return new EtcdLeaseLock(given, false, key, DescribedClient.endpointsOf(given),
          requestTimeout);
    }
    if (application != null) {
      Client made = EtcdClients.fromApplicationBuilder(application, requestTimeout);
      return new EtcdLeaseLock(made, true, key, application.target(), requestTimeout);
    }
    Client made = EtcdClients.create(endpoints, tls, user, password, requestTimeout);
    return new EtcdLeaseLock(made, true, key, EtcdClients.describe(endpoints), requestTimeout);
  }

  /**
   * Builds, instead of a lock, the membership of the group this builder names, on the same
   * connection settings: each member's key is
   * {@code /leaderelection/groups/<name>/members/<identity>} (or
   * {@code <key>/members/<identity>} when {@link #key} was set), on an etcd lease of
   * {@code memberTtl}. With a connection rather than a client, the membership makes a jetcd client
   * and closes it on {@link EtcdGroupMembership#close()}. Connecting happens on the first call.
   *
   * @param memberTtl how long a member that stopped keeping its lease alive (it died or was cut
   *     off from etcd) stays a member: whole seconds (a fraction counts as a second), longer than
   *     the request timeout; usually the election's lease duration. etcd raises a TTL below its
   *     minimum (one and a half election timeouts, 2 s by default) to that minimum
   * @throws IllegalArgumentException when the settings do not fit together, the TTL is not longer
   *     than the request timeout, or a TLS file cannot be read
   * @since 0.2.0
   */
  public EtcdGroupMembership buildGroupMembership(Duration memberTtl) {
    if (memberTtl == null || memberTtl.compareTo(requestTimeout) <= 0) {
      throw new IllegalArgumentException("memberTtl is " + memberTtl + " but must be longer than "
          + "the request timeout, " + requestTimeout);
    }
    long ttlSeconds = memberTtl.plusNanos(999_999_999L).getSeconds();
    String groupKey = keyGiven ? key : DEFAULT_KEY_PREFIX + "groups/" + name;
    Client given = client;
    ClientBuilder application = clientBuilder;
    checkConnection(given, application);
    if (given != null) {
      return new EtcdGroupMembership(given, false, name, groupKey,
          DescribedClient.endpointsOf(given), ttlSeconds, requestTimeout);
    }
    if (application != null) {
      Client made = EtcdClients.fromApplicationBuilder(application, requestTimeout);
      return new EtcdGroupMembership(made, true, name, groupKey, application.target(), ttlSeconds,
          requestTimeout);
    }
    Client made = EtcdClients.create(endpoints, tls, user, password, requestTimeout);
    return new EtcdGroupMembership(made, true, name, groupKey, EtcdClients.describe(endpoints),
        ttlSeconds, requestTimeout);
  }

  /**
   * Makes, instead of a lock, a jetcd client from this builder's connection settings (or from
   * the application's builder given to {@link #clientFrom}) whose every unary call carries a gRPC
   * deadline of the request timeout, as the client a lock makes does: for many locks and group
   * memberships to share through {@link #client(Client)}, one connection instead of one each.
   * The caller owns it and closes it after the locks and memberships on it. The name and key are
   * not used. Connecting happens on the first call.
   *
   * @throws IllegalArgumentException when the settings do not fit together, a TLS file cannot be
   *     read, or {@link #client(Client)} was given (share that one instead)
   * @since 0.2.0
   */
  public Client buildClient() {
    if (client != null) {
      throw new IllegalArgumentException("client(...) was given: share that client instead of "
          + "building one");
    }
    ClientBuilder application = clientBuilder;
    checkConnection(null, application);
    return application != null
        ? new DescribedClient(EtcdClients.fromApplicationBuilder(application, requestTimeout),
            application.target())
        : new DescribedClient(EtcdClients.create(endpoints, tls, user, password, requestTimeout),
            EtcdClients.describe(endpoints));
  }

  private void checkConnection(@Nullable Client given, @Nullable ClientBuilder application) {
    if (given != null && application != null) {
      throw new IllegalArgumentException("client(...) and clientFrom(...) exclude each other");
    }
    if ((given != null || application != null)
        && (!endpoints.isEmpty() || tls != null || user != null)) {
      throw new IllegalArgumentException((given != null ? "client" : "clientFrom") + "(...) "
          + "excludes endpoints, tls and credentials, which belong to the client");
    }
    if (given == null && application == null && endpoints.isEmpty()) {
      throw new IllegalArgumentException("endpoints (or a client) are required for the etcd "
          + "lock '" + name + "'");
    }
  }

  @Override
  public String toString() {
    return "EtcdLeaseLockBuilder[name=" + name + ", key=" + key + ", endpoints="
        + (client != null ? "(the application's client)"
            : clientBuilder != null ? clientBuilder.target() : EtcdClients.describe(endpoints))
        + ", tls=" + (tls != null) + ", user=" + (user == null ? "(none)" : user)
        + (password == null ? "" : ", password=(hidden)")
        + ", requestTimeout=" + requestTimeout + "]";
  }
}
