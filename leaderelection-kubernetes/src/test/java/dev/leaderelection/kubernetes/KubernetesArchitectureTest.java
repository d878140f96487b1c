package dev.leaderelection.kubernetes;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.leaderelection.kubernetes.coordinated.CoordinatedElectionUnavailableException;
import dev.leaderelection.kubernetes.coordinated.LeaseCandidacy;
import dev.leaderelection.kubernetes.events.EventSender;
import dev.leaderelection.kubernetes.events.ShardTransitionEvents;
import dev.leaderelection.kubernetes.events.TransitionEvents;
import dev.leaderelection.kubernetes.members.LeaseMembership;
import dev.leaderelection.kubernetes.watch.WatchRegistry;
import dev.leaderelection.kubernetes.watch.WatchStream;
import dev.leaderelection.kubernetes.watch.WatchSubscription;
import dev.leaderelection.testing.ArchitectureRules;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The Kubernetes module's design, kept true by rules over its main classes. */
@AnalyzeClasses(packages = "dev.leaderelection.kubernetes",
    importOptions = {ImportOption.DoNotIncludeTests.class,
        ArchitectureRules.DoNotIncludeTestJars.class})
class KubernetesArchitectureTest {

  /** The module's API: what applications and the starter use. */
  private static final Class<?>[] API = {KubernetesLocks.class, KubernetesApiException.class,
      KubernetesNames.class, TransitionEvents.class, ShardTransitionEvents.class,
      CoordinatedElectionUnavailableException.class};

  /**
   * Public types outside the API, each documented as internal: public only because another
   * package of this module needs it (the sub-packages reach the API server through the first
   * four, coordinated election and group membership watch with a WatchStream and renew with a
   * RenewAttempts, and the locks' package makes or uses the rest).
   */
  private static final Class<?>[] PUBLIC_FOR_THE_MODULES_PACKAGES = {ApiCalls.class,
      LockClient.class, ObjectApi.class, ObjectReference.class, WatchRegistry.class,
      WatchSubscription.class, WatchStream.class, EventSender.class, LeaseCandidacy.class,
      LeaseMembership.class, RenewAttempts.class};

  @ArchTest
  static final ArchRule publicTypesShouldBeTheApiOrNeededByAnotherPackage = noClasses()
      .that().doNotBelongToAnyOf(API).and().doNotBelongToAnyOf(PUBLIC_FOR_THE_MODULES_PACKAGES)
      .should().bePublic()
      .because("types are package-private unless users or another package need them");

  @ArchTest
  static final ArchRule kubernetesLocksShouldNotDependOnSpring = noClasses()
      .should().dependOnClassesThat().resideInAPackage("org.springframework..")
      .because("plain Java applications use the Kubernetes locks; the starter adapts them");

  @ArchTest
  static final ArchRule noStaticMutableState = ArchitectureRules.NO_STATIC_MUTABLE_STATE;

  @Test
  void noMainClassShouldExceedFourHundredLines() {
    assertThat(ArchitectureRules.sourceFilesLongerThan(Path.of("src/main/java"), 400)).isEmpty();
  }
}
