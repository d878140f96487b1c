package dev.leaderelection.sample;

import dev.leaderelection.LeaderContext;
import dev.leaderelection.LeaderElector;
import dev.leaderelection.spi.LeaderRecord;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /status}: this instance's identity, role, the leader and the leader-only work. */
@RestController
class StatusController {

  private final LeaderElector elector;
  private final ReportPublisher reports;
  private final ExpiredRecordSweeper sweeper;

  StatusController(LeaderElector elector, ReportPublisher reports,
      ExpiredRecordSweeper sweeper) {
    this.elector = elector;
    this.reports = reports;
    this.sweeper = sweeper;
  }

  @GetMapping("/status")
  Status status() {
    return new Status(elector.identity(), elector.isLeader() ? "LEADER" : "FOLLOWER",
        elector.leader().orElse(null),
        elector.currentTerm().map(LeaderContext::fencingToken)
            .orElseGet(() -> (long) elector.observedRecord()
                .map(LeaderRecord::leaseTransitions).orElse(0)),
        elector.lock().describe(), reports.published(), sweeper.sweeps());
  }

  /**
   * @param fencingToken the token of the current (or last observed) term
   * @param reportsPublished how many times this instance ran the leader-only report job
   * @param sweeps how many sweeps the leader-scoped sweeper made in this instance
   */
  record Status(String identity, String role, String leader, long fencingToken, String lease,
      long reportsPublished, long sweeps) {
  }
}
