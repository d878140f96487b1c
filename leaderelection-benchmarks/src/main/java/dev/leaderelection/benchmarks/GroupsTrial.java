package dev.leaderelection.benchmarks;

import dev.leaderelection.benchmarks.GroupsRunner.Approach;
import dev.leaderelection.benchmarks.GroupsRunner.ChangeRow;
import dev.leaderelection.benchmarks.GroupsRunner.Rates;
import dev.leaderelection.benchmarks.GroupsRunner.Result;
import dev.leaderelection.benchmarks.GroupsRunner.Setup;
import dev.leaderelection.benchmarks.GroupsRunner.Steady;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One approach on one setup, in a namespace of its own: M members settle, then a join, a
 * graceful leave and a SIGKILL, each measured from the events every member printed.
 */
final class GroupsTrial {

  private final GroupsRunner runner;
  private final Setup setup;
  private final Approach approach;
  private final Rates baseline;
  private final String namespace;
  private final List<ShardEvent> events = Collections.synchronizedList(new ArrayList<>());
  private final List<GroupMember> started = new ArrayList<>();
  private final List<GroupMember> live = new ArrayList<>();

  GroupsTrial(GroupsRunner runner, Setup setup, Approach approach, Rates baseline) {
    this.runner = runner;
    this.setup = setup;
    this.approach = approach;
    this.baseline = baseline;
    this.namespace = runner.newNamespace();
  }

  Result run() throws Exception {
    String label = String.format(Locale.ROOT, "groups: %s, %d shards over %d members (%s)",
        approach.label, setup.shards(), setup.members(), setup.timings().label());
    try {
      for (int i = 0; i < setup.members(); i++) {
        join();
      }
      long stableFrom = live.stream().mapToLong(GroupMember::readyNanos).max().orElseThrow();
      long steadyAt = awaitSettled(stableFrom, stableFrom + setup.quiet().toNanos());
      ShardTimeline.State state = timeline().stateAt(steadyAt);
      Steady steady = new Steady(state.counts(identities()), state.unowned(),
          runner.rates().minus(baseline));
      ScaleRunner.progress("%s: steady %s, spread %d, unowned %d, %s lease writes/min, %s "
              + "requests/min", label, steady.counts(), steady.spread(), steady.unowned(),
          steady.rates().writes().text(), steady.rates().requests().text());

      List<ChangeRow> changes = new ArrayList<>();
      GroupMember joiner = join();
      changes.add(measure("join", joiner, joiner.readyNanos()));

      GroupMember leaver = GroupsRunner.holdingMost(live, timeline(), System.nanoTime());
      live.remove(leaver);
      long terminated = leaver.terminate();
      boolean exited = leaver.awaitExit(setup.timings().leaseSeconds() + 10L);
      gone(leaver, System.nanoTime(), exited ? "EXITED" : "NOT_EXITED");
      changes.add(measure("graceful leave", leaver, terminated));

      GroupMember victim = GroupsRunner.holdingMost(live, timeline(), System.nanoTime());
      live.remove(victim);
      long killed = victim.kill();
      gone(victim, killed, "KILLED");
      changes.add(measure("SIGKILL", victim, killed));

      for (GroupMember member : List.copyOf(live)) {
        live.remove(member);
        gone(member, member.kill(), "END_OF_RUN");
      }
      List<String> overlaps = timeline().overlaps();
      List<String> problems = started.stream().flatMap(member -> member.problems().stream()
          .map(line -> member.identity() + ": " + line)).toList();
      ScaleRunner.progress("%s: %d overlaps %s, %d problem lines %s", label, overlaps.size(),
          overlaps, problems.size(), problems);
      return new Result(setup, approach, steady, changes, overlaps, problems);
    } finally {
      started.forEach(GroupMember::destroy);
    }
  }

  /** Starts the next member and waits until it is ready. */
  private GroupMember join() throws Exception {
    String identity = "member-" + (char) ('a' + started.size());
    GroupMember member = runner.start(setup, approach, namespace, identity, events);
    started.add(member);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (member.readyNanos() < 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(identity + " not ready in 2 minutes: "
            + member.problems());
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
    live.add(member);
    return member;
  }

  private ChangeRow measure(String change, GroupMember member, long from)
      throws InterruptedException {
    long to = awaitSettled(from, from);
    ShardTimeline.Change figures = timeline().change(from, to, identities());
    ScaleRunner.progress("groups: %s, %d shards: %s of %s: %s (window %.1f s)", approach.label,
        setup.shards(), change, member.identity(), figures, (to - from) / 1e9);
    return new ChangeRow(change, member.identity(), figures, to - from);
  }

  /**
   * Waits until, at or after {@code notBefore}, every shard has one live holder and no event
   * came for {@link Setup#quiet()} since {@code from} or the last event, or until
   * {@link Setup#patience()} after {@code from}; returns that time.
   */
  private long awaitSettled(long from, long notBefore) throws InterruptedException {
    long quiet = setup.quiet().toNanos();
    long deadline = from + setup.patience().toNanos();
    while (true) {
      long now = System.nanoTime();
      ShardTimeline timeline = timeline();
      if (now >= notBefore && now - Math.max(from, timeline.lastEventNanos()) >= quiet
          && timeline.stateAt(now).allOwnedBy(identities()) || now >= deadline) {
        return now;
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }

  /** Records the loss of every shard {@code member} still held when it died at {@code nanos}. */
  private void gone(GroupMember member, long nanos, String reason) {
    events.addAll(timeline().goneAt(member.identity(), nanos, reason));
  }

  private ShardTimeline timeline() {
    synchronized (events) {
      return ShardTimeline.of(events, setup.shards());
    }
  }

  private List<String> identities() {
    return live.stream().map(GroupMember::identity).toList();
  }
}
