package dev.leaderelection.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

class IdentityGeneratorTests {

  @TempDir
  Path directory;

  @Test
  void podNameShouldComeBeforeEveryOtherHostName() throws IOException {
    Path kernel = Files.writeString(directory.resolve("hostname"), "node-7\n");
    MockEnvironment environment = new MockEnvironment().withProperty("POD_NAME", "web-7d9f")
        .withProperty("HOSTNAME", "other");

    assertThat(IdentityGenerator.host(environment, kernel)).isEqualTo("web-7d9f");
  }

  @Test
  void hostWithoutVariablesShouldBeTheKernelsNameWithoutResolvingIt() throws IOException {
    Path kernel = Files.writeString(directory.resolve("hostname"), "node-7\n");

    assertThat(IdentityGenerator.host(new MockEnvironment(), kernel)).isEqualTo("node-7");
  }

  @Test
  void hostWithoutKernelNameShouldFallBackToTheResolversName() {
    String host = IdentityGenerator.host(new MockEnvironment(), directory.resolve("absent"));

    assertThat(host).isNotBlank().doesNotContain("\n");
  }
}
