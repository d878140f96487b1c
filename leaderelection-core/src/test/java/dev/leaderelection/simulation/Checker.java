package dev.leaderelection.simulation;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.StepDownReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The invariants, checked after every event of a world (and where the simulated application
 * sees something happen): at most one leader at any instant; every term's fencing token above
 * every earlier one; no term begun while its elector is paused, resting or closed; started and
 * stopped callbacks paired, in order; the fenced resource never sees a token fall; nothing sent
 * after a close completed; every live elector has a task scheduled; and in the fault-free tail a
 * leader within the bound whenever a candidate competes. Throws {@link Violation}.
 *
 * <p>An operator who deletes or recreates the record asserts its holder is gone: terms active at
 * that moment are disowned (they may overlap the next until they notice), and for a grace period
 * (a lease duration and a renew deadline: until every elector noticed, and acquires whose write
 * landed before the reset have begun) overlaps, tokens and fenced writes are not compared; then
 * tokens and the fenced resource count afresh, since electors that never saw the history cannot
 * know it.
 */
final class Checker {

  private Violation first;
  private final World world;
  private final Trace trace;
  private final long settledAt;
  private final long boundNanos;
  private final long graceNanos;
  private long graceUntil = Long.MIN_VALUE;
  private final List<Node> nodes = new ArrayList<>();
  private final List<LeaderContext> disowned = new ArrayList<>();
  private long highestToken = Long.MIN_VALUE;
  private long fencedHighest = Long.MIN_VALUE;
  private @Nullable String fencedWriter;
  private long terms;
  private long leaderlessSince = -1;

  /**
   * @param settledAt from when (true time) liveness is checked: faults stopped, calls settled
   * @param boundNanos the longest time without a leader while a candidate competes
   */
  Checker(World world, Trace trace, long settledAt, long boundNanos, long graceNanos) {
    this.graceNanos = graceNanos;
    this.world = world;
    this.trace = trace;
    this.settledAt = settledAt;
    this.boundNanos = boundNanos;
  }

  long now() {
    return world.now();
  }

  void add(Node node) {
    nodes.add(node);
  }

  /** How many terms began. */
  long terms() {
    return terms;
  }

  /** Remembers the first violation, wherever thrown; every later event throws it again. */
  private Violation recorded(Violation violation) {
    if (first == null) {
      first = violation;
    }
    return first;
  }

  /** After every event. */
  void afterEvent() {
    if (first != null) {
      throw first; // found inside a call the election made, which may have swallowed it
    }
    Node leader = null;
    LeaderContext leading = null;
    boolean led = false;
    boolean competing = false;
    for (int i = 0; i < nodes.size(); i++) {
      Node node = nodes.get(i);
      if (node.process().crashed() || !node.started()) {
        continue;
      }
      if (!node.closeCalled() && node.process().pendingTasks() == 0) {
        throw recorded(new Violation("round left unfinished",
            node + " is live but has nothing scheduled and no call pending"));
      }
      competing |= node.competing();
      Optional<LeaderContext> term = node.elector().currentTerm();
      if (term.isEmpty()) {
        if (node.lastTerm != null && trace.enabled() && !node.lastTermOver) {
          node.lastTermOver = true;
          trace.add(node.process().name(), "no longer leads", node.lastTerm.fencingToken());
        }
        continue;
      }
      LeaderContext context = term.get();
      if (context != node.lastTerm) {
        began(node, context);
      }
      led = true;
      if (disowned.contains(context) || world.now() < graceUntil) {
        continue;
      }
      if (leader != null) {
        throw recorded(new Violation("two leaders", leader + " (token " + leading.fencingToken()
            + ") and " + node + " (token " + context.fencingToken() + ") both lead"));
      }
      leader = node;
      leading = context;
    }
    checkLiveness(led, competing);
  }

  private void began(Node node, LeaderContext context) {
    node.lastTerm = context;
    node.lastTermOver = false;
    terms++;
    long token = context.fencingToken();
    trace.add(node.process().name(), "began term", token);
    if (world.now() >= graceUntil) { // tokens of terms begun in the grace period do not count
      if (token <= highestToken) {
        throw recorded(new Violation("token regression", node + " began a term with token "
            + token + ", not above the highest earlier token " + highestToken));
      }
      highestToken = Math.max(highestToken, token);
    }
    if (node.elector().isPaused()) {
      throw recorded(new Violation("term while paused", node + " began term " + token
          + " while paused"));
    }
    if (node.resting()) {
      throw recorded(new Violation("term while resting", node + " began term " + token
          + " during a yield's back-off"));
    }
    if (node.closeCalled()) {
      throw recorded(new Violation("term while closed", node + " began term " + token
          + " after close"));
    }
  }

  private void checkLiveness(boolean led, boolean competing) {
    if (led || !competing) {
      leaderlessSince = -1;
      return;
    }
    long now = world.now();
    if (leaderlessSince < 0) {
      leaderlessSince = now;
    }
    long since = Math.max(leaderlessSince, settledAt);
    if (now >= settledAt && now - since > boundNanos) {
      throw recorded(new Violation("no leader", "no leader for " + (now - since) / 1_000_000
          + " ms in the fault-free tail while candidates compete (bound " + boundNanos / 1_000_000
          + " ms)"));
    }
  }

  /** A foreign writer deleted or recreated the record: see the class comment. */
  void historyReset() {
    for (Node node : nodes) {
      if (!node.process().crashed() && node.started()) {
        node.elector().currentTerm().ifPresent(disowned::add);
      }
    }
    highestToken = Long.MIN_VALUE;
    fencedHighest = Long.MIN_VALUE;
    graceUntil = world.now() + graceNanos;
  }

  void started(Node node, LeaderContext context) {
    if (node.openCallback != null) {
      throw recorded(new Violation("callbacks unpaired", node + " was told it started term "
          + context.fencingToken() + " before it was told term "
          + node.openCallback.fencingToken() + " stopped"));
    }
    node.openCallback = context;
    trace.add(node.process().name(), "onStartedLeading", context.fencingToken());
  }

  void stopped(Node node, LeaderContext context, StepDownReason reason) {
    if (node.openCallback != context) {
      throw recorded(new Violation("callbacks unpaired", node + " was told term "
          + context.fencingToken()
          + " stopped (" + reason + ") but the open term was " + (node.openCallback == null
          ? "none" : node.openCallback.fencingToken())));
    }
    node.openCallback = null;
    trace.add(node.process().name(), "onStoppedLeading " + reason, context.fencingToken());
  }

  void fencedWrite(Node node, LeaderContext context) {
    if (disowned.contains(context) || world.now() < graceUntil) {
      return;
    }
    long token = context.fencingToken();
    if (token < fencedHighest) {
      throw recorded(new Violation("stale fenced write", node + " wrote token " + token
          + " after " + fencedWriter + " wrote " + fencedHighest));
    }
    fencedHighest = token;
    fencedWriter = node.identity();
  }

  void sent(Node node) {
    if (node.closeDone()) {
      throw recorded(new Violation("call after close", node
          + " sent a lock call after its close completed"));
    }
  }
}
