package dev.leaderelection.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.leaderelection.LeaseLockException;
import dev.leaderelection.spi.MembershipListener;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.watch.WatchEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The members' keys as the prefix watch sees them, told as whole sets: no etcd, no sleeping. */
class MembersFeedTest {

  private static final String PREFIX = "/leaderelection/groups/tenants/members/";

  private final Deque<MembersFeed.Listing> listings = new ArrayDeque<>();
  private final List<Object> heard = new ArrayList<>();
  private final MembersFeed feed = new MembersFeed(PREFIX, listings::remove, new Listener(),
      cause -> new EtcdCalls(PREFIX, "http://127.0.0.1:2379", Duration.ofSeconds(1))
          .failure("watch", cause));

  @Test
  void confirmedWatchShouldDeliverTheMembersReadByTheirIdentities() {
    listings.add(new MembersFeed.Listing(List.of(PREFIX + "pod-b_2", PREFIX + "pod-a_1",
        PREFIX + "team/pod-c_3"), 41));

    assertThat(feed.read()).isEqualTo(41);
    assertThat(heard).isEmpty();
    feed.connected();

    assertThat(heard).containsExactly(Set.of("pod-a_1", "pod-b_2", "team/pod-c_3"));
  }

  @Test
  void joinsAndLeavesShouldDeliverTheWholeSetOncePerResponseThatChangedIt() {
    connectedWith("a");

    feed.received(List.of(put("b"), put("c")));
    feed.received(List.of(delete("a")));
    feed.received(List.of(put("b"))); // written again: no change
    feed.received(List.of(delete("x"))); // never a member: no change

    assertThat(heard).containsExactly(Set.of("a"), Set.of("a", "b", "c"), Set.of("b", "c"));
  }

  @Test
  void keysOutsideThePrefixShouldBeIgnored() {
    connectedWith("a");

    feed.received(List.of(event("/leaderelection/groups/tenants/term", WatchEvent.EventType.PUT),
        event(PREFIX, WatchEvent.EventType.PUT)));

    assertThat(heard).containsExactly(Set.of("a"));
    assertThat(feed.identity(PREFIX + "a")).contains("a");
    assertThat(feed.identity(PREFIX)).isEmpty();
  }

  @Test
  void reconnectShouldReportTheBreakThenDeliverTheWholeSetReadAgainEvenWhenUnchanged() {
    connectedWith("a", "b");

    feed.broken(new LeaseLockException("etcd restarted"));
    listings.add(new MembersFeed.Listing(List.of(PREFIX + "a", PREFIX + "b"), 90));
    feed.read();
    feed.connected();
    listings.add(new MembersFeed.Listing(List.of(PREFIX + "b"), 95));
    feed.read();
    feed.connected();

    assertThat(heard).containsExactly(Set.of("a", "b"), "broken: etcd restarted",
        Set.of("a", "b"), Set.of("b"));
  }

  @Test
  void failingListenerShouldNotStopTheFeed() {
    List<Set<String>> delivered = new ArrayList<>();
    MembersFeed failing = new MembersFeed(PREFIX, listings::remove, new MembershipListener() {
      @Override
      public void membersChanged(Set<String> members) {
        delivered.add(members);
        throw new IllegalStateException("listener bug");
      }
    }, cause -> new LeaseLockException("watch failed", cause));
    listings.add(new MembersFeed.Listing(List.of(PREFIX + "a"), 3));
    failing.read();

    failing.connected();
    failing.received(List.of(put("b")));

    assertThat(delivered).containsExactly(Set.of("a"), Set.of("a", "b"));
  }

  @Test
  void deliveredSetsShouldBeImmutable() {
    connectedWith("a");

    @SuppressWarnings("unchecked")
    Set<String> members = (Set<String>) heard.get(0);

    assertThat(members).isUnmodifiable();
  }

  private void connectedWith(String... identities) {
    listings.add(new MembersFeed.Listing(
        Arrays.stream(identities).map(identity -> PREFIX + identity).toList(), 10));
    feed.read();
    feed.connected();
  }

  private static WatchEvent put(String identity) {
    return event(PREFIX + identity, WatchEvent.EventType.PUT);
  }

  private static WatchEvent delete(String identity) {
    return event(PREFIX + identity, WatchEvent.EventType.DELETE);
  }

  private static WatchEvent event(String key, WatchEvent.EventType type) {
    KeyValue value = new KeyValue(io.etcd.jetcd.api.KeyValue.newBuilder()
        .setKey(ByteString.copyFromUtf8(key)).build(), ByteSequence.EMPTY);
    return new WatchEvent(value, value, type);
  }

  private final class Listener implements MembershipListener {

    @Override
    public void membersChanged(Set<String> members) {
      heard.add(members);
    }

    @Override
    public void broken(LeaseLockException cause) {
      heard.add("broken: " + cause.getMessage());
    }
  }
}
