package dev.leaderelection.kubernetes;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.leaderelection.testing.ArchitectureRules;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The Kubernetes module's design, kept true by rules over its main classes. */
@AnalyzeClasses(packages = "dev.leaderelection.kubernetes",
    importOptions = {ImportOption.DoNotIncludeTests.class,
        ArchitectureRules.DoNotIncludeTestJars.class})
class KubernetesArchitectureTest {

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
