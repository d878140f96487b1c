package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.group.ShardGroup;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;

/**
 * The elections of the application, known from configuration before any elector exists, and the
 * elector of each. Read once from {@code leader-election.lease-name} and
 * {@code leader-election.elections} when the electors' beans are registered; the
 * {@code @OnLeader} guard, health and the settings all use this one reading.
 *
 * <p>Internal to the starter: public only so that its sub-packages can reach it. Applications
 * inject the {@code LeaderElector} beans.
 *
 * @since 0.1.0
 */
public final class LeaderElections implements BeanFactoryAware {

  private final SortedSet<String> names;
  private final Map<String, String> namedElectorBeans;
  private final SortedSet<String> groups;
  private @Nullable BeanFactory beanFactory;

  /**
   * @param names every configured election, {@code default} included when it is configured
   * @param namedElectorBeans the bean name of each named election's elector
   * @param groups every sharded group under {@code leader-election.groups}
   */
  LeaderElections(Set<String> names, Map<String, String> namedElectorBeans, Set<String> groups) {
    this.names = new TreeSet<>(names);
    this.namedElectorBeans = Map.copyOf(namedElectorBeans);
    this.groups = new TreeSet<>(groups);
  }

  /**
   * The {@code ShardGroup} of a configured group: its bean {@code <name>ShardGroup}.
   *
   * @throws IllegalArgumentException when no such group is configured
   */
  public ShardGroup group(String name) {
    if (!groups.contains(name)) {
      throw new IllegalArgumentException("No group named '" + name + "' is configured");
    }
    return beans().getBean(GroupSettings.beanName(name), ShardGroup.class);
  }

  /** The configured sharded groups, sorted by name. */
  public SortedSet<String> groups() {
    return Collections.unmodifiableSortedSet(groups);
  }

  /** Set by the container: where the electors are looked up. */
  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.beanFactory = beanFactory;
  }

  private BeanFactory beans() {
    BeanFactory current = beanFactory;
    if (current == null) {
      throw new IllegalStateException("LeaderElections is used before its bean factory is set");
    }
    return current;
  }

  /** The name of an election as {@code @OnLeader} gives it: {@code ""} is the default election. */
  public static String normalize(String election) {
    return election.isEmpty() ? LeaderElectionProperties.DEFAULT_ELECTION : election;
  }

  /**
   * An elector's role as health and the endpoint show it: {@code LEADER}; {@code FOLLOWER} when
   * another holder was observed; {@code CANDIDATE} when none was.
   */
  public static String role(LeaderElector elector) {
    return elector.isLeader() ? "LEADER"
        : elector.leader().isPresent() ? "FOLLOWER" : "CANDIDATE";
  }

  /**
   * Whether a group is balanced as health and the endpoint show it: this replica has seen the
   * members, decided its fair share and owns exactly that many shards. A share of 0 counts as
   * decided only with more members (this replica included) than shards, since the group reports
   * 0 before its first decision too.
   */
  public static boolean isBalanced(ShardGroup group) {
    Set<String> members = new HashSet<>(group.members());
    if (members.isEmpty()) {
      return false;
    }
    members.add(group.identity());
    int share = group.fairShare();
    return (share > 0 || members.size() > group.shards())
        && group.ownedShards().size() == share;
  }

  /** The configured elections, sorted by name. */
  public SortedSet<String> names() {
    return Collections.unmodifiableSortedSet(names);
  }

  /** Whether {@code election} ({@code ""} for the default one) is configured. */
  public boolean isConfigured(String election) {
    return names.contains(normalize(election));
  }

  /**
   * Fails as the starter does when no election and no group at all is configured, naming
   * {@code leader-election.lease-name}.
   */
  public void requireAny() {
    if (names.isEmpty() && groups.isEmpty()) {
      throw ElectionSettingsResolver.leaseNameNotSet();
    }
  }

  /**
   * The elector of a configured election: for the default election the application's only
   * {@code LeaderElector} (the starter's or its own), for a named one its bean.
   *
   * @throws IllegalArgumentException when no such election is configured
   */
  public LeaderElector elector(String election) {
    String name = normalize(election);
    if (LeaderElectionProperties.DEFAULT_ELECTION.equals(name)) {
      return beans().getBean(LeaderElector.class);
    }
    String bean = namedElectorBeans.get(name);
    if (bean == null) {
      throw new IllegalArgumentException("No election named '" + name + "' is configured");
    }
    return beans().getBean(bean, LeaderElector.class);
  }
}
