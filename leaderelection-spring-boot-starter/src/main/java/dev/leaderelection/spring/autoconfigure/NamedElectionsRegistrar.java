package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.LeaderElector;
import java.util.Map;
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
 * Registers a {@code <name>LeaderElector} bean for every election under
 * {@code leader-election.elections}, unless a bean of that name exists.
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
    Map<String, Object> elections = Binder.get(environment)
        .bind(ElectionSettingsResolver.PREFIX + ".elections",
            Bindable.mapOf(String.class, Object.class))
        .orElseGet(Map::of);
    for (String election : elections.keySet()) {
      String beanName = ElectionSettings.beanName(election);
      if (registry.containsBeanDefinition(beanName)) {
        continue;
      }
      RootBeanDefinition definition = new RootBeanDefinition(LeaderElector.class);
      definition.setFactoryBeanName("leaderElectorFactory");
      definition.setFactoryMethodName("create");
      definition.getConstructorArgumentValues().addGenericArgumentValue(election);
      definition.setDestroyMethodName(AbstractBeanDefinition.INFER_METHOD);
      definition.setAutowireCandidate(true);
      definition.setDefaultCandidate(false);
      registry.registerBeanDefinition(beanName, definition);
    }
  }
}
