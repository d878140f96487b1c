package dev.leaderelection.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Every Java example in the README compiles against the library as built: as class members or as
 * statements, with {@code { ... }} standing for a body the reader writes, and a few names the
 * prose introduces ({@code lock}, {@code identity}, {@code worker}, {@code log}, and for etcd {@code etcdLock},
 * {@code client}, {@code context} and the TLS files) in scope.
 */
class ReadmeExamplesTest {

  private static final Pattern JAVA_BLOCK =
      Pattern.compile("^```java\\n(.*?)^```", Pattern.MULTILINE | Pattern.DOTALL);
  private static final String IMPORTS = """
      import dev.leaderelection.*;
      import dev.leaderelection.kubernetes.*;
      import dev.leaderelection.spring.*;
      import dev.leaderelection.test.*;
      import dev.leaderelection.etcd.*;
      import io.etcd.jetcd.ByteSequence;
      import io.etcd.jetcd.Client;
      import io.etcd.jetcd.kv.TxnResponse;
      import io.etcd.jetcd.op.Cmp;
      import io.etcd.jetcd.op.CmpTarget;
      import io.etcd.jetcd.op.Op;
      import io.etcd.jetcd.options.PutOption;
      import static java.nio.charset.StandardCharsets.UTF_8;
      import java.nio.file.Path;
      import static org.assertj.core.api.Assertions.assertThat;
      import io.kubernetes.client.openapi.ApiClient;
      import io.kubernetes.client.util.ClientBuilder;
      import java.time.Duration;
      import java.util.UUID;
      import org.junit.jupiter.api.Test;
      import org.springframework.beans.factory.annotation.Autowired;
      import org.springframework.context.annotation.Bean;
      import org.springframework.integration.annotation.InboundChannelAdapter;
      import org.springframework.integration.annotation.Poller;
      import org.springframework.integration.annotation.Role;
      import org.springframework.integration.core.MessageSource;
      import org.springframework.integration.support.MessageBuilder;
      import org.springframework.boot.test.context.SpringBootTest;
      import org.springframework.context.SmartLifecycle;
      import org.springframework.context.event.EventListener;
      import org.springframework.scheduling.annotation.Scheduled;
      import org.springframework.stereotype.Component;
      """;
  private static final String CONTEXT = """
      org.slf4j.Logger log;
      LeaseLock lock;
      String identity;
      Worker worker;
      interface Worker { void start(long fencingToken); void stop(); }
      EtcdLeaseLock etcdLock;
      Client client;
      LeaderContext context;
      ByteSequence report;
      Path caFile, certFile, keyFile;
      char[] password;
      interface ReportPublisher { void publish(); long published(); }
      """;

  @Test
  void everyReadmeJavaExampleShouldCompile() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    Matcher block = JAVA_BLOCK.matcher(readme);
    List<String> failures = new ArrayList<>();
    int examples = 0;
    while (block.find()) {
      examples++;
      int line = readme.substring(0, block.start()).split("\n", -1).length;
      String code = placeholdersFilled(block.group(1));
      String asMembers = compile("ReadmeExample" + line, CONTEXT + code);
      if (asMembers.isEmpty()) {
        continue;
      }
      String asStatements = compile("ReadmeExample" + line,
          CONTEXT + "void example() throws Exception {\n" + code + "\n}");
      if (!asStatements.isEmpty()) {
        failures.add("README line " + line + ":\n" + asStatements);
      }
    }

    assertThat(examples).as("Java examples in the README").isGreaterThanOrEqualTo(5);
    assertThat(failures).as("README examples that do not compile").isEmpty();
  }

  /** {@code { ... }} becomes an empty body (of an abstract class, for a class); "..." goes. */
  private static String placeholdersFilled(String code) {
    return code.replaceAll("(?m)^(\\s*(?:@\\w+\\s+)*)class (\\w+[^{\\n]*)\\{ \\.\\.\\. }",
            "$1abstract class $2{ }")
        .replace("{ ... }", "{ }")
        .replaceAll("(?m)^\\s*\\.\\.\\.\\s*$", "");
  }

  /** Compiles one example into target/; returns the diagnostics, empty when it compiled. */
  private static String compile(String className, String body) throws IOException {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    String source = IMPORTS + "abstract class " + className + " {\n" + body + "\n}\n";
    JavaFileObject file = new SimpleJavaFileObject(
        URI.create("string:///" + className + ".java"), JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return source;
      }
    };
    Path output = Files.createDirectories(Path.of("target", "readme-examples"));
    StringWriter diagnostics = new StringWriter();
    boolean compiled = compiler.getTask(diagnostics, null, null,
        List.of("-classpath", System.getProperty("java.class.path"), "-d", output.toString(),
            "-proc:none", "-Xlint:none"),
        null, List.of(file)).call();
    return compiled ? "" : diagnostics.toString();
  }
}
