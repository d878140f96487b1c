/**
 * A {@link dev.leaderelection.spi.LeaseLock} held in etcd v3: {@link
 * dev.leaderelection.etcd.EtcdLeaseLock}, one key holding the record as the JSON of client-go's
 * {@code LeaderElectionRecord}, written in transactions guarded by the key's revisions, and
 * watched so that followers send nothing while the leader renews.
 */
@NullMarked
package dev.leaderelection.etcd;

import org.jspecify.annotations.NullMarked;
