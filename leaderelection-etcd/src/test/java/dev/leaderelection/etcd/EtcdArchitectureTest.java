package dev.leaderelection.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.leaderelection.testing.ArchitectureRules;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The etcd lock keeps the design's rules: no static mutable state, small classes. */
@AnalyzeClasses(packages = "dev.leaderelection.etcd",
    importOptions = {ImportOption.DoNotIncludeTests.class,
        ArchitectureRules.DoNotIncludeTestJars.class})
class EtcdArchitectureTest {

  @ArchTest
  static final ArchRule noStaticMutableState = ArchitectureRules.NO_STATIC_MUTABLE_STATE;

  @Test
  void mainClassesShouldStayUnder400Lines() {
    assertThat(ArchitectureRules.sourceFilesLongerThan(Path.of("src/main/java"), 400)).isEmpty();
  }
}
