package org.omamori.cloud.ingest;

import java.time.Duration;

/**
 * What the ingest accepts.
 *
 * @param maxBodyBytes    largest request body; the API promises at least 8 MiB
 * @param futureTolerance how far after the cloud's clock an event's time may be (the API says 10 minutes)
 * @param maxAge          how far before the cloud's clock an event's time may be: the retention
 *                        (90 days by default, the monitor's {@code retentionDays}); an older event
 *                        would be deleted by the next retention run, or mailed as new
 */
public record IngestLimits(long maxBodyBytes, Duration futureTolerance, Duration maxAge) {

    public static final long API_MIN_BODY = 8L * 1024 * 1024;
    /** The store's retention, the monitor's {@code retentionDays} default. */
    public static final Duration RETENTION = Duration.ofDays(90);

    public IngestLimits {
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("maxBodyBytes must be at least 1024: " + maxBodyBytes);
        }
        if (futureTolerance == null || futureTolerance.isNegative()) {
            throw new IllegalArgumentException("futureTolerance must not be negative: " + futureTolerance);
        }
        if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive: " + maxAge);
        }
    }

    /** Events up to the {@link #RETENTION} old. */
    public IngestLimits(long maxBodyBytes, Duration futureTolerance) {
        this(maxBodyBytes, futureTolerance, RETENTION);
    }

    /** 8 MiB bodies, events up to 10 minutes ahead of the cloud's clock and 90 days behind it. */
    public static IngestLimits defaults() {
        return new IngestLimits(API_MIN_BODY, Duration.ofMinutes(10), RETENTION);
    }
}
