package dev.leaderelection.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * On a {@code @SpringBootTest} (or any test of an application context): every election of the
 * application, default and named, and every shard of its sharded groups, is held on an in-memory
 * lock of this JVM whatever its properties say (each group's membership too), and a
 * {@link LeadershipControl} bean grants and revokes leadership and shards on demand. The
 * application starts as the leader of every election and the owner of every shard, as a single
 * replica would.
 *
 * <pre>{@code
 * @SpringBootTest
 * @AutoConfigureLeadershipControl
 * class ReportJobTests {
 *   @Autowired LeadershipControl leadership;
 *
 *   @Test
 *   void followerShouldNotSend() {
 *     leadership.revoke("reports");
 *     ...
 *   }
 * }
 * }</pre>
 *
 * @since 0.2.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration(LeadershipControlAutoConfiguration.class)
public @interface AutoConfigureLeadershipControl {
}
