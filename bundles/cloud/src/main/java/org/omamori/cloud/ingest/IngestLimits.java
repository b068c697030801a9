package org.omamori.cloud.ingest;

import java.time.Duration;

/**
 * What the ingest accepts.
 *
 * @param maxBodyBytes    largest request body; the API promises at least 8 MiB
 * @param futureTolerance how far after the cloud's clock an event's time may be (the API says 10 minutes)
 */
public record IngestLimits(long maxBodyBytes, Duration futureTolerance) {

    public static final long API_MIN_BODY = 8L * 1024 * 1024;

    public IngestLimits {
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("maxBodyBytes must be at least 1024: " + maxBodyBytes);
        }
        if (futureTolerance == null || futureTolerance.isNegative()) {
            throw new IllegalArgumentException("futureTolerance must not be negative: " + futureTolerance);
        }
    }

    /** 8 MiB bodies, events up to 10 minutes ahead of the cloud's clock. */
    public static IngestLimits defaults() {
        return new IngestLimits(API_MIN_BODY, Duration.ofMinutes(10));
    }
}
