package dev.leaderelection.sample;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.leaderelection.testing.ArchitectureRules;

/**
 * The sample, and the core and starter it runs on as users get them, hold no static state, and
 * only the core's API uses the election's internals.
 */
@AnalyzeClasses(packages = "dev.leaderelection", importOptions = {
    ImportOption.DoNotIncludeTests.class, ArchitectureRules.DoNotIncludeTestJars.class,
    SampleArchitectureTest.NotGeneratedBySpringAot.class})
class SampleArchitectureTest {

  /** Leaves out what Spring AOT generates for the sample (bean definitions, CGLIB proxies). */
  static final class NotGeneratedBySpringAot implements ImportOption {

    @Override
    public boolean includes(Location location) {
      return !location.contains("$$SpringCGLIB$$") && !location.contains("__");
    }
  }

  @ArchTest
  static final ArchRule noStaticMutableState = ArchitectureRules.NO_STATIC_MUTABLE_STATE;

  /** Checked here, where the library's modules are all on one class path, as users have them. */
  @ArchTest
  static final ArchRule electionInternalsShouldBeUsedOnlyByTheCoreApi =
      ArchitectureRules.ELECTION_INTERNALS_USED_ONLY_BY_THE_CORE_API;
}
