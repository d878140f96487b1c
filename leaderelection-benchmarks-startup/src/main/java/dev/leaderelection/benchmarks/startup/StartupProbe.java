package dev.leaderelection.benchmarks.startup;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * A JVM that starts one small Spring Boot application once and prints how long it took from
 * {@code SpringApplication.run} to {@code ApplicationReadyEvent}:
 * {@code STARTUP variant=<v> millis=<m> cpuMillis=<c> processCpuMillis=<p> classes=<n>
 * blockingRequests=<r>}: the wall time, the CPU time of the main thread and of the whole JVM over
 * the same span (less disturbed than the wall time by other work on the machine), the classes
 * the JVM had loaded by then, and the API server requests the main thread made before then.
 *
 * <p>A variant is {@code <lock>-<aop>}: the lock is {@code baseline} (no starter on the
 * classpath), {@code in-memory}, or {@code kubernetes} (a Lease on the API server of the
 * kubeconfig given); {@code aop} adds an aspect advising one bean, as an application with
 * {@code @Transactional} or {@code @Async} has Spring AOP, with AspectJ on the classpath;
 * {@code no-aop} has neither. Each variant runs on its own classpath (written by this module's
 * build), which the probe checks. Arguments: variant, kubeconfig, namespace, lease name. With
 * {@code -Dprobe.steps=N} it also prints the N of Spring's startup steps that took the most CPU
 * time of their own ({@link CpuTimeStartup}).
 */
public final class StartupProbe {

  private static final String ASPECTJ = "org.aspectj.weaver.Advice";
  private static final String STARTER = "dev.leaderelection.spring.OnLeader";

  private StartupProbe() {
  }

  public static void main(String[] args) throws Exception {
    String variant = args[0];
    boolean aop = variant.endsWith("-aop") && !variant.endsWith("-no-aop");
    String lock = variant.substring(0, variant.length() - (aop ? "-aop" : "-no-aop").length());
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("logging.level.root", "WARN");
    properties.put("spring.main.banner-mode", "off");
    switch (lock) {
      case "baseline" -> { }
      case "in-memory" -> {
        properties.put("leader-election.lease-name", args[3]);
        properties.put("leader-election.lock", "in-memory");
      }
      case "kubernetes" -> {
        properties.put("leader-election.lease-name", args[3]);
        properties.put("leader-election.lock", "lease");
        properties.put("leader-election.kubernetes.namespace", args[2]);
      }
      default -> throw new IllegalArgumentException("unknown variant " + variant);
    }
    SpringApplication application = new SpringApplication(aop
        ? new Class<?>[] {Application.class, AopConfiguration.class}
        : new Class<?>[] {Application.class});
    application.setWebApplicationType(WebApplicationType.NONE);
    application.setDefaultProperties(properties);
    int steps = Integer.getInteger("probe.steps", 0);
    CpuTimeStartup startup = new CpuTimeStartup();
    if (steps > 0) {
      application.setApplicationStartup(startup);
    }
    Starter.Probe probe = lock.equals("kubernetes")
        ? Starter.kubernetes(application, args[1]) : null;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long[] atReady = new long[3]; // wall, main-thread CPU, process CPU (ns)
    application.addListeners(event -> {
      if (event instanceof ApplicationReadyEvent) {
        atReady[0] = System.nanoTime();
        atReady[1] = threads.getCurrentThreadCpuTime();
        atReady[2] = os.getProcessCpuTime();
        if (probe != null) {
          probe.ready().set(true);
        }
      }
    });
    long startCpu = threads.getCurrentThreadCpuTime();
    long startProcessCpu = os.getProcessCpuTime();
    long start = System.nanoTime();
    ConfigurableApplicationContext context = application.run();
    double millis = (atReady[0] - start) / 1e6;
    double cpuMillis = (atReady[1] - startCpu) / 1e6;
    double processCpuMillis = (atReady[2] - startProcessCpu) / 1e6;
    long classes = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
    // The application is what the variant says: its classpath (checked only now: a class not
    // found opens every jar, which must happen inside the measured time, as it does in any
    // application), the aspect applied, the election works.
    check(ASPECTJ, aop, variant);
    check(STARTER, !lock.equals("baseline"), variant);
    if (AopUtils.isAopProxy(context.getBean(Greeter.class)) != aop) {
      throw new IllegalStateException("the aspect applied: " + !aop + ", expected: " + aop);
    }
    if (!lock.equals("baseline")
        && context.getEnvironment().getProperty("leader-election.enabled", Boolean.class, true)) {
      Starter.awaitLeader(context);
    }
    if (steps > 0) {
      System.out.println(String.join("\n", startup.slowest(steps)));
    }
    // One write, so that no log line of another thread lands inside it.
    System.out.println(String.format(Locale.ROOT, "STARTUP variant=%s millis=%.1f cpuMillis=%.1f "
        + "processCpuMillis=%.1f classes=%d blockingRequests=%d", variant, millis, cpuMillis,
        processCpuMillis, classes, probe == null ? 0 : probe.blocking().get()));
    context.close();
    System.exit(0);
  }

  private static void check(String className, boolean expected, String variant) {
    if (ClassUtils.isPresent(className, StartupProbe.class.getClassLoader()) != expected) {
      throw new IllegalStateException(className + (expected ? " missing from" : " present on")
          + " the classpath of variant " + variant);
    }
  }

  /** The application: one {@code @OnLeader} job, as users write it, and one plain service. */
  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  public static class Application {

    @Bean
    Job job() {
      return new Job();
    }

    @Bean
    Greeter greeter() {
      return new Greeter();
    }
  }

  /**
   * A leader-only job; without the starter on the classpath the JVM ignores the annotation it
   * cannot load, and the job is a plain bean.
   */
  public static class Job {

    @dev.leaderelection.spring.OnLeader
    public String run() {
      return "ran";
    }
  }

  /** A service, which the AOP variants' aspect advises. */
  public static class Greeter {

    public String greet() {
      return "hello";
    }
  }

  /** Spring AOP in use: an aspect around the service's methods. */
  @Configuration(proxyBeanMethods = false)
  static class AopConfiguration {

    @Bean
    GreeterAspect greeterAspect() {
      return new GreeterAspect();
    }
  }

  /** A pass-through advice, as a transaction or timing aspect would be. */
  @Aspect
  public static class GreeterAspect {

    @Around("execution(* dev.leaderelection.benchmarks.startup.StartupProbe.Greeter.*(..))")
    public Object around(ProceedingJoinPoint call) throws Throwable {
      return call.proceed();
    }
  }
}
