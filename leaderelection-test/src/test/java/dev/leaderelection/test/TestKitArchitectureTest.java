package dev.leaderelection.test;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.leaderelection.testing.ArchitectureRules;

/** The test kit keeps the design's rules too. */
@AnalyzeClasses(packages = "dev.leaderelection.test",
    importOptions = ImportOption.DoNotIncludeTests.class)
class TestKitArchitectureTest {

  @ArchTest
  static final ArchRule noStaticMutableState = ArchitectureRules.NO_STATIC_MUTABLE_STATE;
}
