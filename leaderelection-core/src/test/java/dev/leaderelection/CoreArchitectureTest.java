package dev.leaderelection;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.leaderelection.internal.election.Election;
import dev.leaderelection.internal.election.ElectionConfig;
import dev.leaderelection.group.ShardGroup;
import dev.leaderelection.group.ShardKeys;
import dev.leaderelection.group.ShardListener;
import dev.leaderelection.group.ShardLocks;
import dev.leaderelection.group.ElectorCustomizer;
import dev.leaderelection.group.ShardFailure;
import dev.leaderelection.group.ShardOwner;
import dev.leaderelection.internal.election.OwnThreads;
import dev.leaderelection.testing.ArchitectureRules;

/** The core's design, kept true by rules over its main classes. */
@AnalyzeClasses(packages = "dev.leaderelection", importOptions = ImportOption.DoNotIncludeTests.class)
class CoreArchitectureTest {

  @ArchTest
  static final ArchRule coreShouldNotDependOnSpring = noClasses()
      .should().dependOnClassesThat().resideInAPackage("org.springframework..")
      .because("the core serves applications without Spring; the starter adapts it");

  @ArchTest
  static final ArchRule coreShouldNotDependOnABackend = noClasses()
      .should().dependOnClassesThat().resideInAnyPackage("dev.leaderelection.kubernetes..",
          "dev.leaderelection.etcd..", "io.kubernetes..", "io.etcd..", "io.grpc..")
      .because("the election knows its lock only through LeaseLock, so every backend is "
          + "interchangeable; each backend is a module of its own, and the core's pom has none "
          + "of their dependencies");

  @ArchTest
  static final ArchRule noStaticMutableState = ArchitectureRules.NO_STATIC_MUTABLE_STATE;

  @ArchTest
  static final ArchRule electionInternalsShouldBeUsedOnlyByTheApi =
      ArchitectureRules.ELECTION_INTERNALS_USED_ONLY_BY_THE_CORE_API;

  @ArchTest
  static final ArchRule electionInternalsShouldBePublicOnlyForTheApi = noClasses()
      .that().resideInAPackage("dev.leaderelection.internal.election")
      .and().doNotBelongToAnyOf(Election.class, ElectionConfig.class, OwnThreads.class)
      .should().bePublic()
      .because("the rest of the election is package-private: LeaderElector runs on Election and "
          + "ElectionConfig, and its builder and ElectionThreads make threads with OwnThreads");

  @ArchTest
  static final ArchRule groupMechanicsShouldBeHidden = noClasses()
      .that().resideInAPackage("dev.leaderelection.group")
      .and().doNotBelongToAnyOf(ShardGroup.class, ShardKeys.class, ShardListener.class,
          ShardOwner.class, ShardFailure.class, ShardLocks.class, ElectorCustomizer.class)
      .should().bePublic()
      .because("a group's API is the group, its builder's callbacks, its listener, its owners "
          + "and the key hash; the "
          + "balancing decision and the electors' mechanics may change in any release");
}
