package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.LeaderElector;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The election names {@code @OnLeader} may use, known from configuration before any elector
 * exists, and the lookup of their electors by bean name.
 */
final class OnLeaderElections {

  private final BeanFactory beanFactory;
  private final Set<String> names;

  OnLeaderElections(BeanFactory beanFactory, Environment environment) {
    this.beanFactory = beanFactory;
    this.names = configuredNames(environment);
  }

  /** {@code ""} is the default election. */
  static String normalize(String election) {
    return election.isEmpty() ? LeaderElectionProperties.DEFAULT_ELECTION : election;
  }

  boolean isConfigured(String election) {
    return names.contains(normalize(election));
  }

  Set<String> names() {
    return names;
  }

  /** The elector of an election: its bean, or for the default election the only elector. */
  LeaderElector elector(String election) {
    String beanName = ElectionSettings.beanName(normalize(election));
    if (beanFactory.containsBean(beanName)
        || !LeaderElectionProperties.DEFAULT_ELECTION.equals(normalize(election))) {
      return beanFactory.getBean(beanName, LeaderElector.class);
    }
    return beanFactory.getBean(LeaderElector.class);
  }

  private static Set<String> configuredNames(Environment environment) {
    Binder binder = Binder.get(environment);
    Set<String> names = new TreeSet<>(binder.bind(ElectionSettingsResolver.PREFIX + ".elections",
        Bindable.mapOf(String.class, Object.class)).orElseGet(java.util.Map::of).keySet());
    if (binder.bind(ElectionSettingsResolver.PREFIX + ".lease-name", String.class).isBound()) {
      names.add(LeaderElectionProperties.DEFAULT_ELECTION);
    }
    return names;
  }
}
