package dev.leaderelection.etcd;

import dev.leaderelection.LeaseLockException;
import dev.leaderelection.spi.MembershipListener;
import io.etcd.jetcd.watch.WatchEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The members' keys under one prefix, as an {@link EtcdWatch} sees them, told to a
 * {@link MembershipListener}: the whole live set once the watch is confirmed (after every
 * reconnect too), then again after each watch response that changed it. A key is live while it
 * exists, that is while its member's etcd lease lives; its member's identity is the rest of the
 * key after the prefix. Called on the watch's thread only, so the listener hears one set at a
 * time, in etcd's order.
 */
final class MembersFeed implements EtcdWatch.Feed {

  private static final Logger log = LoggerFactory.getLogger(MembersFeed.class);

  /** The keys under the prefix and the store's revision when they were read. */
  record Listing(List<String> keys, long revision) {
  }

  private final String prefix;
  private final Supplier<Listing> lister;
  private final MembershipListener listener;
  private final Function<Throwable, LeaseLockException> failures;
  private final Set<String> live = new TreeSet<>();
  private @Nullable Listing read;

  /**
   * @param lister reads the keys under the prefix; throws {@link LeaseLockException} when it
   *     cannot
   * @param failures explains a failure of the watch
   */
  MembersFeed(String prefix, Supplier<Listing> lister, MembershipListener listener,
      Function<Throwable, LeaseLockException> failures) {
    this.prefix = prefix;
    this.lister = lister;
    this.listener = listener;
    this.failures = failures;
  }

  @Override
  public long read() {
    Listing listing = lister.get();
    read = listing;
    return listing.revision();
  }

  @Override
  public void connected() {
    Listing listing = read;
    if (listing != null) {
      live.clear();
      listing.keys().forEach(key -> identity(key).ifPresent(live::add));
    }
    deliver();
  }

  @Override
  public void received(List<WatchEvent> events) {
    boolean changed = false;
    for (WatchEvent event : events) {
      Optional<String> identity =
          identity(event.getKeyValue().getKey().toString(StandardCharsets.UTF_8));
      if (identity.isEmpty()) {
        continue;
      }
      changed |= switch (event.getEventType()) {
        case PUT -> live.add(identity.get());
        case DELETE -> live.remove(identity.get());
        default -> false;
      };
    }
    if (changed) {
      deliver();
    }
  }

  @Override
  public void broken(LeaseLockException cause) {
    try {
      listener.broken(cause);
    } catch (RuntimeException e) {
      log.warn("The membership listener {} failed on a broken watch", listener, e);
    }
  }

  @Override
  public LeaseLockException failure(Throwable cause) {
    return failures.apply(cause);
  }

  /** The identity a member key names: the key after the prefix, if it is under the prefix. */
  Optional<String> identity(String key) {
    return key.startsWith(prefix) && key.length() > prefix.length()
        ? Optional.of(key.substring(prefix.length())) : Optional.empty();
  }

  private void deliver() {
    Set<String> members = Set.copyOf(live);
    try {
      listener.membersChanged(members);
    } catch (RuntimeException e) {
      log.warn("The membership listener {} failed on the members {}", listener, members, e);
    }
  }
}
