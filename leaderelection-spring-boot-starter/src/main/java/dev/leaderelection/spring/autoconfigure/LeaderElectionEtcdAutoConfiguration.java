package dev.leaderelection.spring.autoconfigure;

import dev.leaderelection.etcd.EtcdLeaseLock;
import io.etcd.jetcd.Client;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * The {@code etcd} backend ({@code leader-election.lock=etcd}, or {@code auto} where no
 * Kubernetes API is configured and etcd is), when {@code dev.leaderelection:leaderelection-etcd}
 * is on the classpath: each election's lock is a key under
 * {@code leader-election.etcd.key-prefix}, reached through the application's {@link Client} bean
 * if it has exactly one, else through {@code leader-election.etcd} (TLS from the SSL bundle
 * {@code leader-election.etcd.ssl.bundle} names).
 *
 * @since 0.2.0
 */
@AutoConfiguration(before = LeaderElectionAutoConfiguration.class)
@ConditionalOnClass({EtcdLeaseLock.class, Client.class})
@Conditional({OnLeaderElectionEnabledCondition.class, OnSupportedSpringBootCondition.class})
@EnableConfigurationProperties(LeaderElectionProperties.class)
public final class LeaderElectionEtcdAutoConfiguration {

  @Bean
  JetcdElectionLocks leaderElectionEtcdLocks(LeaderElectionProperties properties,
      ObjectProvider<Client> clients, ObjectProvider<SslBundles> sslBundles) {
    return new JetcdElectionLocks(properties.etcd(), clients.getIfUnique(), sslBundles);
  }
}
