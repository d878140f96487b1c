package dev.leaderelection.benchmarks;

import java.util.Optional;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * JMH's average time of an {@code @OnLeader} call on the leader, of the same plain call, and of
 * the call through a Spring AOP proxy with a no-op advice.
 */
record OnLeaderOverhead(double onLeaderNanos, double plainNanos, double springProxyNanos) {

  double overheadNanos() {
    return onLeaderNanos - plainNanos;
  }

  static Optional<OnLeaderOverhead> measure(BenchmarkRunner.Mode mode) throws RunnerException {
    boolean quick = mode == BenchmarkRunner.Mode.QUICK;
    Options options = new OptionsBuilder()
        .include(OnLeaderBenchmark.class.getName())
        .forks(quick ? 0 : 2)
        .warmupIterations(quick ? 1 : 3)
        .warmupTime(TimeValue.milliseconds(quick ? 300 : 1000))
        .measurementIterations(quick ? 1 : 5)
        .measurementTime(TimeValue.milliseconds(quick ? 300 : 1000))
        .build();
    double onLeader = Double.NaN;
    double plain = Double.NaN;
    double springProxy = Double.NaN;
    for (RunResult result : new Runner(options).run()) {
      String benchmark = result.getParams().getBenchmark();
      double score = result.getPrimaryResult().getScore();
      if (benchmark.endsWith(".onLeader")) {
        onLeader = score;
      } else if (benchmark.endsWith(".plain")) {
        plain = score;
      } else if (benchmark.endsWith(".springProxy")) {
        springProxy = score;
      }
    }
    return Optional.of(new OnLeaderOverhead(onLeader, plain, springProxy));
  }
}
