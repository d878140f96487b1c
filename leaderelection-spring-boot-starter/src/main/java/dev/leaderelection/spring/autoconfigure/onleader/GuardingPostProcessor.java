package dev.leaderelection.spring.autoconfigure.onleader;

import java.lang.reflect.Method;
import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.aop.Pointcut;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * What the {@code @OnLeader} and {@code @OnShardOwner} processors share: a guard added to beans
 * whose methods (or class) its pointcut matches, before existing advisors and ordered before
 * {@code @Scheduled} processing, then every method of the guarded bean's class checked at startup.
 */
abstract class GuardingPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

  GuardingPostProcessor(Pointcut pointcut, MethodInterceptor guard) {
    this.advisor = new DefaultPointcutAdvisor(pointcut, guard);
    setBeforeExistingAdvisors(true);
    setOrder(Ordered.LOWEST_PRECEDENCE - 1);
  }

  @Override
  public final Object postProcessAfterInitialization(Object bean, String beanName) {
    Class<?> type = ClassUtils.getUserClass(AopUtils.getTargetClass(bean));
    if (!isEligible(type)) {
      return bean;
    }
    Object processed = super.postProcessAfterInitialization(bean, beanName);
    ReflectionUtils.doWithMethods(type, method -> validate(method, type, beanName),
        method -> !method.isBridge() && !method.isSynthetic()
            && method.getDeclaringClass() != Object.class);
    guarded(processed, type);
    return processed;
  }

  /**
   * Checks one method of a guarded bean's class (whether annotated or not).
   *
   * @throws org.springframework.beans.factory.BeanInitializationException naming the method and
   *     the rule it breaks
   */
  abstract void validate(Method method, Class<?> type, String beanName);

  /** After the bean was guarded and checked: nothing unless a subclass has more to do. */
  void guarded(Object processed, Class<?> type) {
  }
}
