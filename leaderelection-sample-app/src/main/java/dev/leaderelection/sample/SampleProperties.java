package dev.leaderelection.sample;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the sample's leader-only work.
 *
 * @param reportInterval How often the leader publishes a report
 * @param reportLog A file each published report is appended to (one line per report), or none
 * @param sweepInterval How often the leader-scoped sweeper removes expired records
 */
@ConfigurationProperties("sample")
public record SampleProperties(
    @DefaultValue("5s") Duration reportInterval,
    @Nullable Path reportLog,
    @DefaultValue("1s") Duration sweepInterval) {
}
