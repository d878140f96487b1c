package dev.leaderelection.simulation;

/** What an election runs on and how candidates are chosen. */
enum Family {
  /** A Lease (one store), watched. */
  LEASE,
  /** A Lease, candidates of different priorities preempting each other. */
  PRIORITY,
  /** The real migrating lock over two stores (an old lock and a Lease), polled. */
  MIGRATING,
  /** Coordinated: a model of the API server's controller names the leader. */
  COORDINATED
}
