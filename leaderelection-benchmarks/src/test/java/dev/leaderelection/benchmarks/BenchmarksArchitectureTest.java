package dev.leaderelection.benchmarks;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.leaderelection.testing.ArchitectureRules;

/** The benchmarks keep the design's rules too (JMH's generated code aside). */
@AnalyzeClasses(packages = "dev.leaderelection.benchmarks", importOptions = {
    ImportOption.DoNotIncludeTests.class, BenchmarksArchitectureTest.NotGenerated.class})
class BenchmarksArchitectureTest {

  /** Leaves out the classes JMH generates. */
  static final class NotGenerated implements ImportOption {

    @Override
    public boolean includes(Location location) {
      return !location.contains("/jmh_generated/");
    }
  }

  @ArchTest
  static final ArchRule noStaticMutableState = ArchitectureRules.NO_STATIC_MUTABLE_STATE;
}
