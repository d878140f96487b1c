package dev.leaderelection.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.leaderelection.spi.ForwardingLeaseLock;
import dev.leaderelection.spi.InMemoryLeaseLock;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A renewal holds its caller's thread when its request is sent on that thread, and only then,
 * against a real local HTTP server: a future already done when the call returns is not proof
 * (on a busy machine the response can come first).
 */
class RenewTimesTest {

  private HttpServer server;
  private final RenewTimes times = new RenewTimes(16, TimeUnit.SECONDS.toNanos(2));
  private OkHttpClient client;
  private Request request;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    client = new OkHttpClient.Builder().addInterceptor(times.callerThreadSends()).build();
    request = new Request.Builder()
        .url("http://127.0.0.1:" + server.getAddress().getPort() + "/").build();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
    client.dispatcher().executorService().shutdown();
  }

  @Test
  void renewalSentOnTheCallersThreadShouldCountAsHoldingIt() throws Exception {
    LeaseLock lock = times.timing(new Sending(record -> {
      try (Response response = client.newCall(request).execute()) {
        return CompletableFuture.completedFuture(record);
      }
    }));

    RenewTimes.Figures figures = renewTwice(lock);

    assertThat(figures.renewals()).isEqualTo(1);
    assertThat(figures.withoutThread()).isZero();
  }

  @Test
  void renewalAnsweredBeforeTheCallReturnsShouldCountAsHoldingNoThread() throws Exception {
    LeaseLock lock = times.timing(new Sending(record -> {
      CompletableFuture<LeaderRecord> stored = new CompletableFuture<>();
      CountDownLatch answered = new CountDownLatch(1);
      client.newCall(request).enqueue(new Callback() {
        @Override
        public void onResponse(Call call, Response response) {
          response.close();
          stored.complete(record);
          answered.countDown();
        }

        @Override
        public void onFailure(Call call, IOException e) {
          stored.completeExceptionally(e);
          answered.countDown();
        }
      });
      // The caller is descheduled until the dispatcher's thread has the answer.
      answered.await(10, TimeUnit.SECONDS);
      return stored;
    }));

    RenewTimes.Figures figures = renewTwice(lock);

    assertThat(figures.renewals()).isEqualTo(1);
    assertThat(figures.withoutThread()).isEqualTo(1);
  }

  /** The first renewal only sets the pace; the second is recorded. */
  private RenewTimes.Figures renewTwice(LeaseLock lock) {
    LeaderRecord record = LeaderRecord.builder().holderIdentity("a").build();
    times.start();
    lock.updateAsync(record).join();
    lock.updateAsync(record).join();
    return times.stop();
  }

  /** A lock whose non-blocking update sends a request as {@code send} does. */
  private static final class Sending extends ForwardingLeaseLock {

    private final Send send;

    Sending(Send send) {
      super(new InMemoryLeaseLock("renew-times"));
      this.send = send;
    }

    @Override
    public CompletableFuture<LeaderRecord> updateAsync(LeaderRecord record) {
      try {
        return send.send(record);
      } catch (Exception e) {
        return CompletableFuture.failedFuture(e);
      }
    }
  }

  private interface Send {
    CompletableFuture<LeaderRecord> send(LeaderRecord record) throws Exception;
  }
}
