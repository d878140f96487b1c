/**
 * A {@link dev.leaderelection.spi.LeaseLock} held in etcd v3: {@link
 * dev.leaderelection.etcd.EtcdLeaseLock}, one key holding the record as the JSON of client-go's
 * {@code LeaderElectionRecord}, written in transactions guarded by the key's revisions, and
 * watched so that followers send nothing while the leader renews; and the members of a sharded
 * group, {@link dev.leaderelection.etcd.EtcdGroupMembership}, each a key on an etcd lease,
 * watched by prefix.
 */
@NullMarked
package dev.leaderelection.etcd;

import org.jspecify.annotations.NullMarked;
