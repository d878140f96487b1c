package dev.leaderelection.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Design rules every module's main code keeps, for its architecture tests. */
public final class ArchitectureRules {

  /**
   * No static mutable state (the design's rule 10): every static field is final and of a type
   * that cannot hold changing state (no collection, map, array, atomic or builder).
   */
  public static final ArchRule NO_STATIC_MUTABLE_STATE = fields().that().areStatic()
      .and().doNotHaveModifier(JavaModifier.SYNTHETIC)
      .should(new ArchCondition<JavaField>("be constants: final and of an immutable type") {
        @Override
        public void check(JavaField field, ConditionEvents events) {
          if (!field.getModifiers().contains(JavaModifier.FINAL)) {
            events.add(SimpleConditionEvent.violated(field, field.getFullName() + " is static "
                + "but not final"));
          } else if (isMutableType(field.getRawType())) {
            events.add(SimpleConditionEvent.violated(field, field.getFullName() + " is a static "
                + field.getRawType().getSimpleName() + ", which holds changing state"));
          }
        }
      })
      .because("state shared by every election in a JVM leaks between applications and tests; "
          + "the object that needs it owns it");

  /**
   * The election's internals ({@code dev.leaderelection.internal.election}) are the core's own:
   * besides that package, only the API package, whose {@code LeaderElector} runs on them, uses
   * them. The core's module exports the package to no module; this rule also covers code on the
   * class path, where exports do not apply.
   */
  public static final ArchRule ELECTION_INTERNALS_USED_ONLY_BY_THE_CORE_API = noClasses()
      .that().resideOutsideOfPackages("dev.leaderelection", "dev.leaderelection.internal.election")
      .should().dependOnClassesThat().resideInAPackage("dev.leaderelection.internal.election")
      .because("the election's internals may change in any release; locks, the starter and "
          + "applications use the API and the SPI");

  private ArchitectureRules() {
  }

  /** Leaves out test jars (such as the core's {@code -tests.jar}): rules are for main code. */
  public static final class DoNotIncludeTestJars implements ImportOption {

    @Override
    public boolean includes(Location location) {
      return !location.contains("-tests.jar");
    }
  }

  /**
   * The Java source files under {@code root} longer than {@code maxLines} lines, each as
   * {@code path (lines)}.
   */
  public static List<String> sourceFilesLongerThan(Path root, int maxLines) {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(file -> file.toString().endsWith(".java"))
          .map(file -> Map.entry(root.relativize(file), lines(file)))
          .filter(entry -> entry.getValue() > maxLines)
          .map(entry -> entry.getKey() + " (" + entry.getValue() + " lines)")
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The number of lines of one source file. */
  public static long lines(Path file) {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isMutableType(JavaClass type) {
    return type.isArray() || type.isAssignableTo(java.util.Collection.class)
        || type.isAssignableTo(java.util.Map.class)
        || type.isAssignableTo(StringBuilder.class)
        || type.getPackageName().equals("java.util.concurrent.atomic");
  }
}
