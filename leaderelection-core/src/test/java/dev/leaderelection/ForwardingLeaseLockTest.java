package dev.leaderelection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.leaderelection.spi.ForwardingLeaseLock;
import dev.leaderelection.spi.InMemoryLeaseLock;
import dev.leaderelection.spi.LeaderRecord;
import dev.leaderelection.spi.LeaseLock;
import dev.leaderelection.spi.LockReference;
import dev.leaderelection.spi.RecordWatcher;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ForwardingLeaseLockTest {

  private static final LeaderRecord RECORD = LeaderRecord.builder().holderIdentity("a")
      .leaseDuration(Duration.ofSeconds(15)).leaseTransitions(3).version("7").build();

  /** A lock method LeaseLock gains later fails here until ForwardingLeaseLock forwards it. */
  @Test
  void everyLeaseLockMethodShouldBeOverridden() {
    List<String> notOverridden = lockMethods()
        .filter(method -> !overridden(method))
        .map(Method::toString)
        .toList();

    assertThat(notOverridden).isEmpty();
    assertThat(lockMethods()).as("the blocking, non-blocking, watch and description calls")
        .hasSizeGreaterThanOrEqualTo(9);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("lockMethods")
  void everyCallShouldReachTheDelegateWithItsArgumentsAndItsAnswer(Method method)
      throws Exception {
    Object answer = answerOf(method.getReturnType());
    List<String> reached = new ArrayList<>();
    LeaseLock delegate = (LeaseLock) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {LeaseLock.class}, (proxy, called, args) -> {
          reached.add(called.getName() + Arrays.toString(args == null ? new Object[0] : args));
          return answer;
        });
    Object[] args = Arrays.stream(method.getParameterTypes()).map(this::argumentOf).toArray();

    Object returned = method.invoke(new ForwardingLeaseLock(delegate) { }, args);

    assertThat(reached).as("the delegate's calls, the default methods' included")
        .containsExactly(method.getName() + Arrays.toString(args));
    assertThat(returned).isSameAs(answer);
  }

  @Test
  void subclassShouldSeeItsDelegate() {
    InMemoryLeaseLock store = new InMemoryLeaseLock("test");

    ForwardingLeaseLock lock = new ForwardingLeaseLock(store) {
      @Override
      public String describe() {
        return "observed " + delegate().describe();
      }
    };

    assertThat(lock.describe()).isEqualTo("observed " + store.describe());
    assertThat(lock.reference()).isEqualTo(store.reference());
  }

  @Test
  void missingDelegateShouldBeRejected() {
    assertThatNullPointerException().isThrownBy(() -> new ForwardingLeaseLock(null) { })
        .withMessage("delegate");
  }

  static Stream<Method> lockMethods() {
    return Arrays.stream(LeaseLock.class.getMethods())
        .filter(method -> !Modifier.isStatic(method.getModifiers()));
  }

  private static boolean overridden(Method method) {
    try {
      Method forwarding = ForwardingLeaseLock.class.getDeclaredMethod(method.getName(),
          method.getParameterTypes());
      return !Modifier.isAbstract(forwarding.getModifiers());
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  private Object argumentOf(Class<?> type) {
    if (type == LeaderRecord.class) {
      return RECORD;
    }
    if (type == RecordWatcher.class) {
      return new RecordWatcher() {
        @Override
        public void changed(Optional<LeaderRecord> record) {
        }

        @Override
        public void broken(LeaseLockException cause) {
        }
      };
    }
    throw new AssertionError("no argument for " + type);
  }

  /** An answer only the delegate gives, for every type a lock method returns. */
  private static Object answerOf(Class<?> type) {
    if (type == Optional.class) {
      return Optional.of(RECORD);
    }
    if (type == LeaderRecord.class) {
      return RECORD.withVersion("8");
    }
    if (type == CompletableFuture.class) {
      return new CompletableFuture<>();
    }
    if (type == String.class) {
      return "the delegate's description";
    }
    if (type == LockReference.class) {
      return new LockReference("Delegate", null, "the delegate");
    }
    throw new AssertionError("no answer of " + type);
  }
}
