package dev.leaderelection.spring;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaModifier.PUBLIC;
import static com.tngtech.archunit.core.domain.properties.HasModifiers.Predicates.modifier;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import dev.leaderelection.kubernetes.KubernetesApiException;
import dev.leaderelection.kubernetes.KubernetesLocks;
import dev.leaderelection.kubernetes.KubernetesNames;
import dev.leaderelection.kubernetes.coordinated.CoordinatedElectionUnavailableException;
import dev.leaderelection.kubernetes.events.ShardTransitionEvents;
import dev.leaderelection.kubernetes.events.TransitionEvents;
import dev.leaderelection.spring.autoconfigure.ElectionContributor;
import dev.leaderelection.spring.autoconfigure.ContributedDetails;
import dev.leaderelection.spring.autoconfigure.GroupContributor;
import dev.leaderelection.spring.autoconfigure.LeaderElectionProperties;
import dev.leaderelection.spring.autoconfigure.LeaderElections;
import dev.leaderelection.spring.autoconfigure.endpoint.ElectionDescriptor;
import dev.leaderelection.spring.autoconfigure.endpoint.GroupDescriptor;
import dev.leaderelection.spring.autoconfigure.endpoint.LeaderElectionEndpoint;
import dev.leaderelection.testing.ArchitectureRules;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.boot.autoconfigure.AutoConfiguration;

/** The starter's main code keeps the layout and the design rules of CONTRIBUTING.md. */
@AnalyzeClasses(packages = "dev.leaderelection.spring",
    importOptions = ImportOption.DoNotIncludeTests.class)
class StarterArchitectureTest {

  private static final String AUTOCONFIGURE = "dev.leaderelection.spring.autoconfigure";

  /**
   * Public types outside the user API: each is needed by Spring Boot (the properties) or by
   * another package of the starter, and documented as internal if users need not touch it.
   */
  private static final Class<?>[] PUBLIC_OUTSIDE_THE_USER_API = {
      LeaderElectionProperties.class, LeaderElections.class, ElectionContributor.class,
      LeaderElectionEndpoint.class, ElectionDescriptor.class, GroupDescriptor.class,
      GroupContributor.class, ContributedDetails.class};

  @ArchTest
  static void autoConfigurationsShouldBePublicAndFinal(JavaClasses starter) {
    classes().that().areAnnotatedWith(AutoConfiguration.class)
        .should().bePublic().andShould().haveModifier(JavaModifier.FINAL)
        .check(starter);
  }

  @ArchTest
  static void autoConfigurationsShouldBeExactlyThoseOfTheImportsFile(JavaClasses starter)
      throws IOException {
    Set<String> annotated = starter.stream()
        .filter(type -> type.isAnnotatedWith(AutoConfiguration.class))
        .map(JavaClass::getName).collect(Collectors.toSet());
    String imports;
    try (InputStream in = StarterArchitectureTest.class.getResourceAsStream("/META-INF/spring/"
        + "org.springframework.boot.autoconfigure.AutoConfiguration.imports")) {
      imports = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(Arrays.stream(imports.split("\\R")).map(String::trim)
        .filter(line -> !line.isEmpty() && !line.startsWith("#")))
        .containsExactlyInAnyOrderElementsOf(annotated);
  }

  /** CONTRIBUTING.md, design rules: no static mutable state (final, and of an immutable type). */
  @ArchTest
  static void staticFieldsShouldBeConstants(JavaClasses starter) {
    ArchitectureRules.NO_STATIC_MUTABLE_STATE.check(starter);
  }

  @ArchTest
  static void publicTypesOutsideTheUserApiShouldBeAutoConfigurationsOrAllowed(
      JavaClasses starter) {
    noClasses().that().resideOutsideOfPackage("dev.leaderelection.spring")
        .and().areNotAnnotatedWith(AutoConfiguration.class)
        .and().doNotBelongToAnyOf(PUBLIC_OUTSIDE_THE_USER_API)
        .should().bePublic()
        .because("types are package-private unless users or another package need them")
        .check(starter);
  }

  @ArchTest
  static void starterShouldUseOnlyPublicTypesOfTheCore(JavaClasses starter) {
    noClasses().should().dependOnClassesThat(resideInAPackage("dev.leaderelection")
            .or(resideInAPackage("dev.leaderelection.kubernetes..")).and(not(modifier(PUBLIC))))
        .check(starter);
  }

  /**
   * The Kubernetes module's API. Its other public types (such as {@code ApiCalls} or
   * {@code WatchStream}) are internal to it, public only for its own sub-packages.
   */
  @ArchTest
  static void starterShouldUseOnlyTheApiOfTheKubernetesModule(JavaClasses starter) {
    noClasses().should().dependOnClassesThat(resideInAPackage("dev.leaderelection.kubernetes..")
            .and(not(belongToAnyOf(KubernetesLocks.class, KubernetesApiException.class,
                KubernetesNames.class, TransitionEvents.class, ShardTransitionEvents.class,
                CoordinatedElectionUnavailableException.class))))
        .check(starter);
  }

  @ArchTest
  static void userApiShouldNotDependOnTheAutoConfiguration(JavaClasses starter) {
    noClasses().that().resideInAPackage("dev.leaderelection.spring")
        .should().dependOnClassesThat().resideInAPackage(AUTOCONFIGURE + "..")
        .check(starter);
  }

  /** So that electors work without Actuator or Micrometer, and each concern stands alone. */
  @ArchTest
  static void healthMetricsAndTheGuardShouldDependOnlyOnTheElectionsPackage(JavaClasses starter) {
    slices().matching(AUTOCONFIGURE + ".(*)..").should().notDependOnEachOther().check(starter);
    noClasses().that().resideInAPackage(AUTOCONFIGURE)
        .should().dependOnClassesThat().resideInAnyPackage(AUTOCONFIGURE + ".health..",
            AUTOCONFIGURE + ".metrics..", AUTOCONFIGURE + ".onleader..")
        .check(starter);
  }

  /**
   * The places to adapt when KubernetesLocks changes: where it is made, and where it is used (the
   * locks, the Events recorded on them by elections and groups, and the candidacies of
   * coordinated elections).
   */
  @ArchTest
  static void onlyTheKubernetesBackendShouldCreateKubernetesLocks(JavaClasses starter) {
    noClasses().that().doNotHaveFullyQualifiedName(AUTOCONFIGURE + ".KubernetesLockFactory")
        .and().doNotHaveFullyQualifiedName(AUTOCONFIGURE
            + ".LeaderElectionKubernetesAutoConfiguration")
        .and().doNotHaveFullyQualifiedName(AUTOCONFIGURE + ".LeaderElectionAutoConfiguration")
        .and().doNotHaveFullyQualifiedName(AUTOCONFIGURE + ".KubernetesEventsContributor")
        .and().doNotHaveFullyQualifiedName(AUTOCONFIGURE + ".KubernetesGroupEventsContributor")
        .and().doNotHaveFullyQualifiedName(AUTOCONFIGURE
            + ".LeaderElectionGroupsAutoConfiguration")
        .and().doNotHaveFullyQualifiedName(AUTOCONFIGURE + ".KubernetesCandidacyContributor")
        .should().dependOnClassesThat()
        .haveFullyQualifiedName("dev.leaderelection.kubernetes.KubernetesLocks")
        .check(starter);
  }
}
