package dev.leaderelection;

import java.util.ArrayList;
import java.util.List;

/** Records notifications as {@code started 3}, {@code stopped 3 RELEASED}, {@code leader b}. */
public final class RecordingListener implements LeadershipListener {

  private final List<String> events = new ArrayList<>();
  private final List<LeaderContext> contexts = new ArrayList<>();

  @Override
  public synchronized void onStartedLeading(LeaderContext context) {
    contexts.add(context);
    events.add("started " + context.fencingToken());
  }

  @Override
  public synchronized void onStoppedLeading(LeaderContext context, StepDownReason reason) {
    events.add("stopped " + context.fencingToken() + " " + reason);
  }

  @Override
  public synchronized void onNewLeader(String identity) {
    events.add("leader " + identity);
  }

  public synchronized List<String> events() {
    return List.copyOf(events);
  }

  synchronized List<String> takeEvents() {
    List<String> taken = List.copyOf(events);
    events.clear();
    return taken;
  }

  synchronized LeaderContext lastContext() {
    return contexts.get(contexts.size() - 1);
  }
}
