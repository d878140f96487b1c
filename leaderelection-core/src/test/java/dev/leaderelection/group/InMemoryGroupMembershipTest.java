package dev.leaderelection.group;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.spi.InMemoryGroupMembership;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The in-memory membership: joins, leaves and expiries, each delivered as the whole live set. */
class InMemoryGroupMembershipTest {

  private final InMemoryGroupMembership membership = new InMemoryGroupMembership("tenants");
  private final List<Set<String>> seen = new ArrayList<>();

  @Test
  void watchShouldDeliverTheLiveSetAtOnceThenEveryChange() throws Exception {
    AutoCloseable a = membership.join("a");
    membership.watch(seen::add);
    AutoCloseable b = membership.join("b");
    a.close();
    membership.expire("b");

    assertThat(seen).containsExactly(Set.of("a"), Set.of("a", "b"), Set.of("b"), Set.of());
    b.close();
    assertThat(seen).as("closing an expired announcement changes nothing").hasSize(4);
  }

  @Test
  void closingAnExpiredAnnouncementShouldNotRemoveALaterJoinOfTheSameIdentity() throws Exception {
    AutoCloseable first = membership.join("a");
    membership.expire("a");
    membership.join("a");

    first.close();

    assertThat(membership.members()).containsExactly("a");
  }

  @Test
  void closedWatchShouldReceiveNothingMore() throws Exception {
    AutoCloseable watch = membership.watch(seen::add);
    watch.close();

    membership.join("a");

    assertThat(seen).containsExactly(Set.of());
  }
}
