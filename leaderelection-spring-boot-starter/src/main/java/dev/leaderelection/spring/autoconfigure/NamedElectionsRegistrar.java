package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.LeaderElector;
import dev.leaderelection.group.ShardGroup;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Reads which elections are configured, once, before any properties bean exists, and registers
 * the result as the {@link LeaderElections} bean, with a {@code <name>LeaderElector} bean for
 * every election under {@code leader-election.elections} and a {@code <name>ShardGroup} bean for
 * every group under {@code leader-election.groups}, unless a bean of that name exists.
 * Only the names are read here: the values are bound, and their errors reported, by
 * {@link LeaderElectionProperties}.
 */
final class NamedElectionsRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

  private Environment environment;

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void registerBeanDefinitions(AnnotationMetadata metadata,
      BeanDefinitionRegistry registry) {
    Binder binder = Binder.get(environment);
    Set<String> named = new TreeSet<>(binder.bind(ElectionSettingsResolver.PREFIX + ".elections",
        Bindable.mapOf(String.class, Object.class)).orElseGet(Map::of).keySet());
    Set<String> all = new TreeSet<>(named);
    if (binder.bind(ElectionSettingsResolver.PREFIX + ".lease-name", String.class).isBound()) {
      all.add(LeaderElectionProperties.DEFAULT_ELECTION);
    }
    Set<String> groups = new TreeSet<>(binder.bind(ElectionSettingsResolver.PREFIX + ".groups",
        Bindable.mapOf(String.class, Object.class)).orElseGet(Map::of).keySet());
    for (String group : groups) {
      String beanName = GroupSettings.beanName(group);
      if (!registry.containsBeanDefinition(beanName)) {
        registry.registerBeanDefinition(beanName, shardGroup(group));
      }
    }
    Map<String, String> electorBeans = new LinkedHashMap<>();
    for (String election : named) {
      String beanName = ElectionSettings.beanName(election);
      electorBeans.put(election, beanName);
      if (!registry.containsBeanDefinition(beanName)) {
        registry.registerBeanDefinition(beanName, elector(election));
      }
    }
    // Constructor arguments and factory methods, not instance suppliers: Spring AOT (and so a
    // native image) can only reproduce definitions it can read.
    RootBeanDefinition elections = new RootBeanDefinition(LeaderElections.class);
    elections.getConstructorArgumentValues().addIndexedArgumentValue(0, all);
    elections.getConstructorArgumentValues().addIndexedArgumentValue(1, electorBeans);
    elections.getConstructorArgumentValues().addIndexedArgumentValue(2, groups);
    elections.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
    registry.registerBeanDefinition(LeaderElections.class.getName(), elections);
  }

  /** Made by the {@code shardGroupFactory} bean; started and closed by its lifecycle. */
  private static RootBeanDefinition shardGroup(String group) {
    RootBeanDefinition definition = new RootBeanDefinition();
    definition.setFactoryBeanName(LeaderElectionGroupsAutoConfiguration.FACTORY_BEAN);
    definition.setFactoryMethodName("create");
    definition.getConstructorArgumentValues().addIndexedArgumentValue(0, group);
    definition.setTargetType(ShardGroup.class);
    definition.setDestroyMethodName(AbstractBeanDefinition.INFER_METHOD);
    return definition;
  }

  /**
   * Made by the {@code leaderElectorFactory} bean. Not a default candidate: injecting a plain
   * {@code LeaderElector} still gets the default.
   */
  private static RootBeanDefinition elector(String election) {
    RootBeanDefinition definition = new RootBeanDefinition();
    definition.setFactoryBeanName(LeaderElectionAutoConfiguration.FACTORY_BEAN);
    definition.setFactoryMethodName("create");
    definition.getConstructorArgumentValues().addIndexedArgumentValue(0, election);
    definition.setTargetType(LeaderElector.class);
    definition.setDestroyMethodName(AbstractBeanDefinition.INFER_METHOD);
    definition.setAutowireCandidate(true);
    definition.setDefaultCandidate(false);
    return definition;
  }
}
