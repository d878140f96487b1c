package dev.leaderelection.spring.autoconfigure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the starter's contributors add to the details of each election and each sharded group
 * (such as a problem recording Kubernetes Events, or a stalled coordinated election): the one
 * reading that health and the endpoint both show. Read anew on every call; thread-safe.
 *
 * <p>Internal to the starter: public only so that its sub-packages can reach it.
 *
 * @since 0.2.0
 */
public final class ContributedDetails {

  private final List<ElectionContributor> electionContributors;
  private final List<GroupContributor> groupContributors;

  /** @param electionContributors and {@code groupContributors} in their order */
  public ContributedDetails(List<ElectionContributor> electionContributors,
      List<GroupContributor> groupContributors) {
    this.electionContributors = List.copyOf(electionContributors);
    this.groupContributors = List.copyOf(groupContributors);
  }

  /** The details of {@code election} ({@code default} for the top-level one), in order. */
  public Map<String, Object> election(String election) {
    Map<String, Object> details = new LinkedHashMap<>();
    electionContributors.forEach(contributor -> details.putAll(
        contributor.healthDetails(election)));
    return details;
  }

  /** The details of {@code group}, in order. */
  public Map<String, Object> group(String group) {
    Map<String, Object> details = new LinkedHashMap<>();
    groupContributors.forEach(contributor -> details.putAll(contributor.healthDetails(group)));
    return details;
  }
}
