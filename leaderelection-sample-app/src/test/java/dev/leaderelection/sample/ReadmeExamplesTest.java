package dev.leaderelection.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Every Java example of the documentation ({@code README.md}, {@code CONTRIBUTING.md} and
 * {@code docs/*.md}) compiles against the library as built: as class members or as statements,
 * with {@code { ... }} standing for a body the reader writes, and a few names the prose introduces
 * ({@code lock}, {@code identity}, {@code worker}, {@code log}, and for etcd {@code etcdLock},
 * {@code client}, {@code context} and the TLS files) in scope.
 */
class ReadmeExamplesTest {

  private static final Pattern JAVA_BLOCK =
      Pattern.compile("^ *```java\\n(.*?)^ *```", Pattern.MULTILINE | Pattern.DOTALL);
  private static final Pattern NOT_IN_A_NAME = Pattern.compile("[^A-Za-z0-9]");
  private static final String IMPORTS = """
      import dev.leaderelection.*;
      import dev.leaderelection.spi.*;
      import dev.leaderelection.group.*;
      import dev.leaderelection.contract.*;
      import dev.leaderelection.kubernetes.*;
      import dev.leaderelection.kubernetes.coordinated.*;
      import dev.leaderelection.kubernetes.events.*;
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
      import java.util.List;
      import java.util.UUID;
      import java.util.stream.IntStream;
      import org.junit.jupiter.api.BeforeEach;
      import org.junit.jupiter.api.Test;
      import org.springframework.beans.factory.annotation.Autowired;
      import org.springframework.context.annotation.Bean;
      import org.springframework.integration.annotation.InboundChannelAdapter;
      import org.springframework.integration.annotation.Poller;
      import org.springframework.integration.annotation.Role;
      import org.springframework.integration.core.MessageSource;
      import org.springframework.integration.support.MessageBuilder;
      import org.springframework.boot.test.context.SpringBootTest;
      import org.springframework.boot.autoconfigure.AutoConfiguration;
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
      interface Billing { void bill(String tenantId); java.util.List<String> billed(); }
      """;

  @Test
  void everyJavaExampleOfTheDocumentationShouldCompile() throws IOException {
    List<String> failures = new ArrayList<>();
    Map<String, Integer> examplesByPage = new TreeMap<>();
    for (Path page : Docs.pages()) {
      String text = Docs.read(page);
      Matcher block = JAVA_BLOCK.matcher(text);
      while (block.find()) {
        examplesByPage.merge(Docs.name(page), 1, Integer::sum);
        int line = Docs.lineOf(text, block.start());
        String className = "DocsExample_" + NOT_IN_A_NAME.matcher(Docs.name(page))
            .replaceAll("_") + "_" + line;
        String code = placeholdersFilled(block.group(1));
        String asMembers = compile(className, CONTEXT + code);
        if (asMembers.isEmpty()) {
          continue;
        }
        String asStatements = compile(className,
            CONTEXT + "void example() throws Exception {\n" + code + "\n}");
        if (!asStatements.isEmpty()) {
          failures.add(Docs.name(page) + " line " + line + ":\n" + asStatements);
        }
      }
    }

    assertThat(examplesByPage.values().stream().mapToInt(Integer::intValue).sum())
        .as("Java examples in the documentation (%s)", examplesByPage)
        .isGreaterThanOrEqualTo(10);
    assertThat(examplesByPage).as("pages with Java examples")
        .containsKeys("README.md", "docs/spring-boot.md", "docs/plain-java.md",
            "docs/kubernetes.md", "docs/etcd.md");
    assertThat(failures).as("Java examples that do not compile").isEmpty();
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
    Path output = Files.createDirectories(Path.of("target", "docs-examples"));
    StringWriter diagnostics = new StringWriter();
    boolean compiled = compiler.getTask(diagnostics, null, null,
        List.of("-classpath", System.getProperty("java.class.path"), "-d", output.toString(),
            "-proc:none", "-Xlint:none"),
        null, List.of(file)).call();
    return compiled ? "" : diagnostics.toString();
  }
}
