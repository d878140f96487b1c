package dev.leaderelection.group;

import dev.leaderelection.ElectionThreads;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * A group's threads: the shards' election threads and the balancing executor, each the
 * application's (never closed here) or the group's own (closed with the group).
 */
final class GroupThreads {

  private final ElectionThreads electionThreads;
  private final Executor balancing;
  private final @Nullable ElectionThreads ownElectionThreads;
  private final @Nullable ExecutorService ownBalancing;

  private GroupThreads(ElectionThreads electionThreads, Executor balancing,
      @Nullable ElectionThreads ownElectionThreads, @Nullable ExecutorService ownBalancing) {
    this.electionThreads = electionThreads;
    this.balancing = balancing;
    this.ownElectionThreads = ownElectionThreads;
    this.ownBalancing = ownBalancing;
  }

  /** The given threads, or the group's own where none is given. */
  static GroupThreads of(@Nullable ElectionThreads given, @Nullable Executor givenBalancing) {
    ElectionThreads own = given == null
        ? ElectionThreads.create(ElectionThreads.DEFAULT_LOCK_CALL_THREADS) : null;
    ExecutorService ownBalancing = givenBalancing == null
        ? Executors.newSingleThreadExecutor(runnable -> {
          Thread thread = new Thread(runnable, "leader-election-group-balancing");
          thread.setDaemon(true);
          return thread;
        }) : null;
    return new GroupThreads(given != null ? given : own,
        givenBalancing != null ? givenBalancing : ownBalancing, own, ownBalancing);
  }

  ElectionThreads electionThreads() {
    return electionThreads;
  }

  Executor balancing() {
    return balancing;
  }

  /** Closes the group's own threads; the application's stay as they are. */
  void close() {
    if (ownBalancing != null) {
      ownBalancing.shutdown();
    }
    if (ownElectionThreads != null) {
      ownElectionThreads.close();
    }
  }
}
