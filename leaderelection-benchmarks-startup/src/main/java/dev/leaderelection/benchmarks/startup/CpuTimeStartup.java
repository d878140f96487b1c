package dev.leaderelection.benchmarks.startup;

import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.springframework.core.metrics.ApplicationStartup;
import org.springframework.core.metrics.StartupStep;

/**
 * Spring's startup steps timed in CPU time of the thread that runs them (the main thread), so
 * that other work on the machine disturbs them less than it does wall time; each step's own time
 * excludes its nested steps'. For finding where startup time goes, not for the figure itself.
 */
final class CpuTimeStartup implements ApplicationStartup {

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
  private final Deque<Step> open = new ArrayDeque<>();
  private final List<Step> ended = new ArrayList<>();
  private long ids;

  @Override
  public StartupStep start(String name) {
    Step step = new Step(++ids, name, open.isEmpty() ? null : open.peek().id,
        threads.getCurrentThreadCpuTime(), classes.getTotalLoadedClassCount());
    if (Thread.currentThread().getName().equals("main")) {
      open.push(step);
    }
    return step;
  }

  /**
   * The {@code count} steps of most own time: own and total milliseconds, the classes loaded
   * meanwhile by the whole JVM (own), name and tags.
   */
  List<String> slowest(int count) {
    return ended.stream().sorted(Comparator.comparingLong((Step step) -> step.own).reversed())
        .limit(count).map(step -> String.format(Locale.ROOT, "STEP %7.2f %7.2f %5d %s%s",
            step.own / 1e6, step.total / 1e6, step.ownClasses, step.name, step.tags)).toList();
  }

  private final class Step implements StartupStep {

    private final long id;
    private final String name;
    private final Long parent;
    private final long start;
    private final long startClasses;
    private final StringBuilder tags = new StringBuilder();
    private long nested;
    private long nestedClasses;
    private long total;
    private long own;
    private long ownClasses;

    Step(long id, String name, Long parent, long start, long startClasses) {
      this.id = id;
      this.name = name;
      this.parent = parent;
      this.start = start;
      this.startClasses = startClasses;
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public long getId() {
      return id;
    }

    @Override
    public Long getParentId() {
      return parent;
    }

    @Override
    public StartupStep tag(String key, String value) {
      if (!key.equals("beanType")) {
        tags.append(' ').append(key).append('=').append(value.replaceAll("@[0-9a-f]+$", ""));
      }
      return this;
    }

    @Override
    public StartupStep tag(String key, Supplier<String> value) {
      return tag(key, value.get());
    }

    @Override
    public Tags getTags() {
      return () -> List.<Tag>of().iterator();
    }

    @Override
    public void end() {
      if (open.peek() != this) {
        return; // not the main thread's
      }
      open.pop();
      total = threads.getCurrentThreadCpuTime() - start;
      own = total - nested;
      long totalClasses = classes.getTotalLoadedClassCount() - startClasses;
      ownClasses = totalClasses - nestedClasses;
      if (!open.isEmpty()) {
        open.peek().nested += total;
        open.peek().nestedClasses += totalClasses;
      }
      ended.add(this);
    }
  }
}
