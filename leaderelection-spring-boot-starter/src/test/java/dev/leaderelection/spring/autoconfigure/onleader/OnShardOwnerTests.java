package dev.leaderelection.spring.autoconfigure.onleader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import dev.leaderelection.group.ShardGroup;
import dev.leaderelection.spring.OnShardOwner;
import dev.leaderelection.spring.autoconfigure.StarterContexts;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The {@code @OnShardOwner} guard in one replica: its checks at startup and its calls. */
class OnShardOwnerTests {

  private final ApplicationContextRunner runner = StarterContexts.bare()
      .withPropertyValues("leader-election.lock=in-memory",
          "leader-election.groups.tenants.shards=4");

  @Test
  void ownerOfEveryShardShouldRunEveryKeyAndTheOthersNone() {
    // the group competes only once ready, so "before the shard is owned" cannot race its start
    runner.withPropertyValues("leader-election.wait-for-readiness=true")
        .withBean(ApplicationAvailabilityBean.class).withBean(Guarded.class).run(context -> {
      ShardGroup tenants = context.getBean(ShardGroup.class);
      Guarded guarded = context.getBean(Guarded.class);
      assertThat(guarded.byPosition("acme")).as("before the shard is owned").isNull();
      AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
      await().atMost(Duration.ofSeconds(10)).until(() -> tenants.ownedShards().size() == 4);
      assertThat(guarded.byPosition("acme")).isEqualTo("acme");
      assertThat(guarded.byName(new Tenant("globex"))).isEqualTo("globex");
    });
  }

  @Test
  void nullKeyShouldFailTheCallNamingTheKey() {
    runner.withBean(Guarded.class).run(context ->
        assertThatIllegalArgumentException()
            .isThrownBy(() -> context.getBean(Guarded.class).byPosition(null))
            .withMessage("The key #p0 of @OnShardOwner method Guarded.byPosition() is null for "
                + "this call; a key must have a value to go to a shard of group 'tenants'"));
  }

  @Test
  void unconfiguredGroupShouldFailTheStartupNamingIt() {
    runner.withBean(OtherGroup.class).run(context ->
        assertThat(context.getStartupFailure()).rootCause().hasMessage("@OnShardOwner method "
            + "OtherGroup.run() of bean 'onShardOwnerTests.OtherGroup' follows group 'orders', "
            + "which is not configured; configured groups: [tenants] (set "
            + "leader-election.groups.orders.shards)"));
  }

  @Test
  void primitiveReturnShouldFailTheStartupAsOnLeaderDoes() {
    runner.withBean(Primitive.class).run(context ->
        assertThat(context.getStartupFailure()).rootCause().hasMessage("@OnShardOwner method "
            + "Primitive.count() of bean 'onShardOwnerTests.Primitive' returns int, but "
            + "@OnShardOwner methods must return void, an object or an Optional: on an instance "
            + "that does not own the key's shard the call is skipped and returns null or "
            + "Optional.empty()"));
  }

  @Test
  void keyThatIsNotSpelShouldFailTheStartup() {
    runner.withBean(BadKey.class).run(context ->
        assertThat(context.getStartupFailure()).hasMessageContaining(
            "@OnShardOwner method BadKey.run() of bean 'onShardOwnerTests.BadKey' has the key "
                + "'#tenant +', which is not a SpEL expression (Expression [#tenant +] @8: "
                + "EL1042E: Problem parsing right operand); write one over the method's "
                + "arguments, such as #tenantId or #p0"));
  }

  record Tenant(String id) {
  }

  static class Guarded {

    @OnShardOwner(group = "tenants", key = "#p0")
    public String byPosition(String tenant) {
      return tenant;
    }

    @OnShardOwner(group = "tenants", key = "#tenant.id()")
    public String byName(Tenant tenant) {
      return tenant.id();
    }
  }

  static class OtherGroup {

    @OnShardOwner(group = "orders", key = "#id")
    public void run(String id) {
    }
  }

  static class Primitive {

    @OnShardOwner(group = "tenants", key = "#id")
    public int count(String id) {
      return 1;
    }
  }

  static class BadKey {

    @OnShardOwner(group = "tenants", key = "#tenant +")
    public void run(String tenant) {
    }
  }
}
