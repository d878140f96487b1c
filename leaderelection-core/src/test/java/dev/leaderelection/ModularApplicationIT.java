package dev.leaderelection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leaderelection.testing.ChildJvm;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * An application on the module path uses the core's jar as a module: it requires
 * {@code dev.leaderelection.core}, leads an election, and cannot compile against the packages the
 * core does not export to it.
 */
class ModularApplicationIT {

  private static final Path WORK = Path.of("target", "modular-application");

  private static final String MODULE_INFO = """
      module example.app {
        requires dev.leaderelection.core;
      }
      """;

  private static final String MAIN = """
      package example.app;

      import dev.leaderelection.spi.InMemoryLeaseLock;
      import dev.leaderelection.LeaderElector;
      import java.time.Duration;

      public final class Main {
        public static void main(String[] args) throws Exception {
          LeaderElector elector = LeaderElector.builder(new InMemoryLeaseLock("modular"), "app")
              .timings(dev.leaderelection.LeaseTimings.DEFAULTS).build();
          elector.start();
          long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
          while (!elector.isLeader() && System.nanoTime() < deadline) {
            Thread.sleep(10);
          }
          System.out.println("module " + LeaderElector.class.getModule().getName() + " led: "
              + elector.isLeader());
          elector.close();
        }
      }
      """;

  private static final String INTERNAL_USE = """
      package example.app;

      final class UsesInternals {
        Object codec = dev.leaderelection.internal.LeaderRecordJson.class;
      }
      """;

  private static final String ELECTION_INTERNALS_USE = """
      package example.app;

      final class UsesElectionInternals {
        Object election = dev.leaderelection.internal.election.Election.class;
      }
      """;

  @Test
  void applicationOnTheModulePathShouldLeadThroughTheCoreModule() throws Exception {
    Path sources = write("leads", Map.of("module-info.java", MODULE_INFO,
        "example/app/Main.java", MAIN));
    Path classes = WORK.resolve("leads-classes");

    assertThat(compile(sources, classes)).as("compiler output").isEmpty();

    Process run = ChildJvm.builder(List.of("--module-path",
            modulePath() + File.pathSeparator + classes, "-m", "example.app/example.app.Main"))
        .redirectErrorStream(true).start();
    assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("the application ended").isTrue();
    String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(run.exitValue()).as(output).isZero();
    assertThat(output).contains("module dev.leaderelection.core led: true");
  }

  @Test
  void applicationShouldNotCompileAgainstTheInternalPackage() throws Exception {
    Path sources = write("internals", Map.of("module-info.java", MODULE_INFO,
        "example/app/UsesInternals.java", INTERNAL_USE));

    assertThat(compile(sources, WORK.resolve("internals-classes")))
        .contains("dev.leaderelection.internal").contains("not visible");
  }

  @Test
  void applicationShouldNotCompileAgainstTheElectionInternals() throws Exception {
    Path sources = write("election-internals", Map.of("module-info.java", MODULE_INFO,
        "example/app/UsesElectionInternals.java", ELECTION_INTERNALS_USE));

    assertThat(compile(sources, WORK.resolve("election-internals-classes")))
        .contains("package dev.leaderelection.internal.election is not visible");
  }

  /** The core's jar and the modules it requires, from this test's class path. */
  private static String modulePath() throws IOException {
    List<String> entries = new ArrayList<>();
    try (Stream<Path> built = Files.list(Path.of("target"))) {
      built.filter(path -> {
        String name = path.getFileName().toString();
        return name.startsWith("leaderelection-core-") && name.endsWith(".jar")
            && Stream.of("-sources", "-javadoc", "-tests").noneMatch(name::contains);
      }).map(Path::toString).forEach(entries::add);
    }
    assertThat(entries).as("the core's jar, built by the package phase").hasSize(1);
    Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> Stream.of("slf4j-api-", "gson-", "jspecify-")
            .anyMatch(name -> Path.of(entry).getFileName().toString().startsWith(name)))
        .forEach(entries::add);
    return String.join(File.pathSeparator, entries);
  }

  private static Path write(String name, Map<String, String> files) throws IOException {
    Path root = WORK.resolve(name);
    for (Map.Entry<String, String> file : files.entrySet()) {
      Path path = root.resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.writeString(path, file.getValue());
    }
    return root;
  }

  /** Compiles every source under {@code sources} as a module; returns javac's errors. */
  private static String compile(Path sources, Path classes) throws IOException {
    List<String> arguments = new ArrayList<>(List.of("--module-path", modulePath(), "-d",
        Files.createDirectories(classes).toString(), "-proc:none"));
    try (Stream<Path> walk = Files.walk(sources)) {
      walk.map(Path::toString).filter(path -> path.endsWith(".java")).forEach(arguments::add);
    }
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int status = ToolProvider.getSystemJavaCompiler()
        .run(null, errors, errors, arguments.toArray(String[]::new));
    return status == 0 ? "" : errors.toString(StandardCharsets.UTF_8);
  }
}
