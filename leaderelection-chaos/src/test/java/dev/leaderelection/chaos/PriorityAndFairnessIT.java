package dev.leaderelection.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.LeadershipListener;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.LeaseTimings;
import dev.leaderelection.StepDownReason;
import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spi.RecordWatcher;
import dev.leaderelection.testing.MarkedSection;
import io.kubernetes.client.openapi.ApiCallback;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoordinationV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMapList;
import io.kubernetes.client.util.Config;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Call;
import okhttp3.Dispatcher;
import okhttp3.Response;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.yaml.snakeyaml.Yaml;

/**
 * An overloaded API server (issue 30, section 2): kube-apiserver with its concurrency lowered
 * ({@value #MAX_REQUESTS} + {@value #MAX_MUTATING} requests in flight, shared out by API Priority
 * and Fairness) while the application's service account floods it with {@code LIST configmaps}
 * on a client of its own until it answers 429, and its leader (the same service account, as one
 * application's pods are) renews a Lease. First with the default flow schemas, where the Lease
 * requests queue in {@code workload-low} with the flood; then with the sample's FlowSchema and
 * PriorityLevelConfiguration ({@code leaderelection-sample-app/k8s/cluster/}), which give them a
 * priority level of their own. The harness watches the Lease as the administrator (exempt from
 * Priority and Fairness) and counts renewals and terms. It asserts that with the FlowSchema the
 * leader keeps its one term, and that the flood made the server shed load; the figures are
 * printed, and {@code -Dtraffic.mode=full} writes them to {@code docs/reliability.md}.
 */
class PriorityAndFairnessIT {

  static final int MAX_REQUESTS = 2;
  static final int MAX_MUTATING = 1;
  private static final String ACCOUNT = "leaderelection-sample";
  private static final LeaseTimings TIMINGS = LeaseTimings.of(Duration.ofSeconds(4),
      Duration.ofSeconds(3), Duration.ofSeconds(1));
  private static final Path PRIORITY_AND_FAIRNESS = Path.of("..", "leaderelection-sample-app",
      "k8s", "cluster", "priority-and-fairness.yaml");
  private static final String FLOW_CONTROL = "/apis/flowcontrol.apiserver.k8s.io/v1/";

  private static KubernetesStore store;
  private static ApiClient admin;

  /** What the leader went through while the flood ran. */
  record Figures(String flowSchemas, int flood, long floodAnswered, long floodRefused,
      long leaderRefused, int renewals, int missed, long longestGapMillis, int termsBegun,
      int termsLost) {

    String row() {
      return "| " + flowSchemas + " | " + flood + " in flight: " + floodAnswered + " answered, "
          + floodRefused + " refused (429) | " + leaderRefused + " | " + renewals + " | "
          + missed + " | " + longestGapMillis + " ms | " + termsBegun + " | " + termsLost + " |";
    }
  }

  @BeforeAll
  static void startServer() throws Exception {
    assumeTrue("true".equals(System.getenv("CI")) || Binaries.available(),
        "needs KUBE_LAUNCHER, ETCD_LAUNCHER and TOXIPROXY_SERVER, or Go to build them; skipped");
    Path work = Path.of("target", "priority-and-fairness-" + System.currentTimeMillis());
    store = KubernetesStore.start(work, "apf", List.of("--max-requests-inflight=" + MAX_REQUESTS,
        "--max-mutating-requests-inflight=" + MAX_MUTATING));
    admin = Config.fromConfig(store.kubeconfig().toString());
  }

  @AfterAll
  static void stopServer() {
    if (store != null) {
      store.close();
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void leaderShouldKeepItsLeaseUnderAFloodOnceItsLeaseRequestsHaveALevelOfTheirOwn()
      throws Exception {
    boolean full = System.getProperty("traffic.mode", "quick").toLowerCase(Locale.ROOT)
        .equals("full");
    int flood = Integer.getInteger("apf.flood", 400);
    Duration window = Duration.ofSeconds(Long.getLong("apf.windowSeconds", full ? 60 : 10));

    Figures defaults = run("apf-default", false, flood, window);
    Figures own = run("apf-own-level", true, flood, window);

    String report = report(List.of(defaults, own), window);
    System.out.println(report);
    if (full) {
      new MarkedSection(Path.of(System.getProperty("chaos.docsDir")).resolve("reliability.md"),
          "priority-and-fairness").write(report);
    }
    assertThat(defaults.floodRefused()).as("requests the overloaded server refused").isPositive();
    assertThat(own.termsBegun()).as("terms begun with the FlowSchema").isEqualTo(1);
    assertThat(own.termsLost()).as("terms lost with the FlowSchema").isZero();
  }

  private Figures run(String namespace, boolean ownLevel, int flood, Duration window)
      throws Exception {
    createNamespaceAndAccount(namespace);
    List<String> created = ownLevel ? applyPriorityAndFairness(namespace) : List.of();
    String user = "system:serviceaccount:" + namespace + ":" + ACCOUNT;
    AtomicLong leaderRefused = new AtomicLong();
    ApiClient leaderClient = Config.fromConfig(store.kubeconfig().toString());
    leaderClient.addDefaultHeader("Impersonate-User", user);
    leaderClient.setHttpClient(leaderClient.getHttpClient().newBuilder().addInterceptor(chain -> {
      Response response = chain.proceed(chain.request());
      if (response.code() == 429) {
        leaderRefused.incrementAndGet();
      }
      return response;
    }).build());
    List<Long> renewals = new CopyOnWriteArrayList<>();
    LeaseLock observed = KubernetesLocks.create(admin).lease(namespace, ACCOUNT,
        Duration.ofSeconds(5));
    AutoCloseable watch = observed.watch(new RecordWatcher() {
      @Override
      public void changed(Optional<LeaderRecord> record) {
        if (record.isPresent() && "pod-0".equals(record.get().holderIdentity())) {
          renewals.add(System.nanoTime());
        }
      }

      @Override
      public void broken(LeaseLockException cause) {
        // reconnects by itself
      }
    }).orElseThrow();
    AtomicInteger begun = new AtomicInteger();
    AtomicInteger lost = new AtomicInteger();
    KubernetesLocks locks = KubernetesLocks.create(leaderClient);
    Flood traffic = new Flood(user, namespace, flood);
    try (LeaderElector elector = LeaderElector.builder(locks.lease(namespace, ACCOUNT,
            TIMINGS.renewDeadline().dividedBy(2)), "pod-0")
        .timings(TIMINGS)
        .listener(new LeadershipListener() {
          @Override
          public void onStartedLeading(LeaderContext context) {
            begun.incrementAndGet();
          }

          @Override
          public void onStoppedLeading(LeaderContext context, StepDownReason reason) {
            lost.incrementAndGet();
          }
        })
        .build()) {
      elector.start();
      Awaitility.await().atMost(60, TimeUnit.SECONDS).until(elector::isLeader);
      traffic.start();
      Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> traffic.refused.get() > 0);
      long from = System.nanoTime();
      TimeUnit.NANOSECONDS.sleep(window.toNanos());
      long to = System.nanoTime();
      int termsLost = lost.get();
      traffic.stop();
      return figures(ownLevel ? "the sample's FlowSchema" : "the defaults", flood, traffic,
          leaderRefused.get(), renewals, from, to, begun.get(), termsLost);
    } finally {
      traffic.stop();
      locks.close();
      watch.close();
      for (int i = created.size() - 1; i >= 0; i--) {
        raw("DELETE", created.get(i), null);
      }
    }
  }

  /** The application's requests on a client of its own, {@code inFlight} kept in flight. */
  private static final class Flood {

    private final CoreV1Api api;
    private final String namespace;
    private final int inFlight;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    Flood(String user, String namespace, int inFlight) throws IOException {
      ApiClient client = Config.fromConfig(store.kubeconfig().toString());
      client.addDefaultHeader("Impersonate-User", user);
      Dispatcher dispatcher = new Dispatcher();
      dispatcher.setMaxRequests(inFlight);
      dispatcher.setMaxRequestsPerHost(inFlight);
      client.setHttpClient(client.getHttpClient().newBuilder().dispatcher(dispatcher).build());
      this.api = new CoreV1Api(client);
      this.namespace = namespace;
      this.inFlight = inFlight;
    }

    void start() {
      for (int i = 0; i < inFlight; i++) {
        send();
      }
    }

    void stop() {
      stopped.set(true);
    }

    private void send() {
      if (stopped.get()) {
        return;
      }
      try {
        api.listNamespacedConfigMap(namespace).executeAsync(new ApiCallback<V1ConfigMapList>() {
          @Override
          public void onFailure(ApiException e, int statusCode,
              Map<String, List<String>> headers) {
            if (statusCode == 429) {
              refused.incrementAndGet();
            }
            send();
          }

          @Override
          public void onSuccess(V1ConfigMapList result, int statusCode,
              Map<String, List<String>> headers) {
            answered.incrementAndGet();
            send();
          }

          @Override
          public void onUploadProgress(long written, long total, boolean done) {
          }

          @Override
          public void onDownloadProgress(long read, long total, boolean done) {
          }
        });
      } catch (ApiException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static Figures figures(String schemas, int flood, Flood traffic, long leaderRefused,
      List<Long> seen, long from, long to, int begun, int lost) {
    long retry = TIMINGS.retryPeriod().toNanos();
    long previous = seen.stream().filter(nanos -> nanos <= from).reduce((a, b) -> b)
        .orElse(from);
    List<Long> points = new ArrayList<>(seen.stream()
        .filter(nanos -> nanos > from && nanos <= to).sorted().toList());
    int renewals = points.size();
    points.add(to);
    int missed = 0;
    long longest = 0;
    for (long point : points) {
      long gap = point - previous;
      longest = Math.max(longest, gap);
      missed += (int) Math.max(0, gap / retry - 1);
      previous = point;
    }
    return new Figures(schemas, flood, traffic.answered.get(), traffic.refused.get(),
        leaderRefused, renewals, missed, TimeUnit.NANOSECONDS.toMillis(longest), begun, lost);
  }

  private static String report(List<Figures> all, Duration window) {
    StringBuilder report = new StringBuilder("## An overloaded API server\n\n")
        .append("Written by `./mvnw -pl leaderelection-chaos -am verify -Dtraffic.mode=full ")
        .append("-Dit.test=PriorityAndFairnessIT -Dtest=None ")
        .append("-Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false`")
        .append(" on ").append(Runtime.getRuntime().availableProcessors()).append(" cores. ")
        .append("kube-apiserver runs with `--max-requests-inflight=").append(MAX_REQUESTS)
        .append(" --max-mutating-requests-inflight=").append(MAX_MUTATING).append("`; the ")
        .append("application's service account keeps `LIST configmaps` requests in flight on a ")
        .append("client of its own while its leader (the same service account) renews a Lease ")
        .append("(").append(TIMINGS.leaseDuration().toSeconds()).append("s/")
        .append(TIMINGS.renewDeadline().toSeconds()).append("s/")
        .append(TIMINGS.retryPeriod().toSeconds()).append("s), for ")
        .append(window.toSeconds()).append(" s: with the default flow schemas, then with the ")
        .append("sample's FlowSchema, which gives its Lease requests a priority level of their ")
        .append("own (`leaderelection-sample-app/k8s/cluster/priority-and-fairness.yaml`).\n\n")
        .append("| flow schemas | the application's flood | leader's requests refused (429) | ")
        .append("renewals | missed renewals | longest gap | terms begun | terms lost |\n")
        .append("|---|---|---|---|---|---|---|---|\n");
    all.forEach(figures -> report.append(figures.row()).append('\n'));
    return report.toString();
  }

  /** The namespace, the sample's ServiceAccount, and its Role with list on configmaps too. */
  private static void createNamespaceAndAccount(String namespace) throws Exception {
    raw("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + namespace + "\"}}");
    String api = "/api/v1/namespaces/" + namespace;
    String rbac = "/apis/rbac.authorization.k8s.io/v1/namespaces/" + namespace;
    for (JsonObject manifest : manifests(Path.of("..", "leaderelection-sample-app", "k8s"),
        namespace)) {
      switch (manifest.get("kind").getAsString()) {
        case "ServiceAccount" -> raw("POST", api + "/serviceaccounts", manifest.toString());
        case "Role" -> {
          JsonObject rule = JsonParser.parseString("{\"apiGroups\":[\"\"],\"resources\":"
              + "[\"configmaps\"],\"verbs\":[\"list\"]}").getAsJsonObject();
          manifest.getAsJsonArray("rules").add(rule);
          raw("POST", rbac + "/roles", manifest.toString());
        }
        case "RoleBinding" -> raw("POST", rbac + "/rolebindings", manifest.toString());
        default -> {
          // the Deployment and Service are not needed here
        }
      }
    }
  }

  /**
   * Creates the sample's PriorityLevelConfiguration and FlowSchema for {@code namespace} and
   * waits until the server classifies the account's Lease requests by them; returns their paths.
   */
  private static List<String> applyPriorityAndFairness(String namespace) throws Exception {
    List<String> created = new ArrayList<>();
    Map<String, String> uids = new HashMap<>();
    for (JsonObject manifest : manifests(PRIORITY_AND_FAIRNESS.getParent(), namespace)) {
      String kind = manifest.get("kind").getAsString();
      String path = FLOW_CONTROL + (kind.equals("FlowSchema") ? "flowschemas"
          : "prioritylevelconfigurations");
      JsonObject metadata = JsonParser.parseString(raw("POST", path, manifest.toString()))
          .getAsJsonObject().getAsJsonObject("metadata");
      uids.put(kind, metadata.get("uid").getAsString());
      created.add(path + "/" + metadata.get("name").getAsString());
    }
    ApiClient account = Config.fromConfig(store.kubeconfig().toString());
    account.addDefaultHeader("Impersonate-User", "system:serviceaccount:" + namespace + ":"
        + ACCOUNT);
    CoordinationV1Api leases = new CoordinationV1Api(account);
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> {
      Map<String, List<String>> headers;
      try {
        headers = leases.readNamespacedLease(ACCOUNT, namespace).executeWithHttpInfo()
            .getHeaders();
      } catch (ApiException e) {
        headers = e.getResponseHeaders();
      }
      return headers != null && headers.entrySet().stream()
          .anyMatch(entry -> entry.getKey().equalsIgnoreCase("X-Kubernetes-PF-PriorityLevel-UID")
              && entry.getValue().contains(uids.get("PriorityLevelConfiguration")));
    });
    return created;
  }

  /** The manifests of {@code folder}, with {@code my-namespace} replaced by {@code namespace}. */
  private static List<JsonObject> manifests(Path folder, String namespace) throws IOException {
    Gson gson = new Gson();
    List<JsonObject> all = new ArrayList<>();
    try (var files = Files.list(folder)) {
      for (Path file : files.filter(path -> path.toString().endsWith(".yaml")).sorted().toList()) {
        String text = Files.readString(file).replace("my-namespace", namespace);
        for (Object document : new Yaml().loadAll(text)) {
          all.add(gson.toJsonTree(document).getAsJsonObject());
        }
      }
    }
    return all;
  }

  /** A request as the administrator; returns the answer's body. */
  private static String raw(String method, String path, String json) throws Exception {
    Map<String, String> headers = new HashMap<>();
    headers.put("Accept", "application/json");
    headers.put("Content-Type", "application/json");
    Call call = admin.buildCall(admin.getBasePath(), path, method, new ArrayList<>(),
        new ArrayList<>(), json == null ? null : json.getBytes(StandardCharsets.UTF_8), headers,
        new HashMap<>(), new HashMap<>(), new String[] {"BearerToken"}, null);
    try (Response response = call.execute()) {
      String body = response.body().string();
      if (!response.isSuccessful()) {
        throw new IllegalStateException(method + " " + path + " answered " + response.code()
            + ": " + body);
      }
      return body;
    }
  }
}
