package org.omamori.spool;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a spool keeps its events.
 *
 * @param directory    folder of the segment files, the cursor and the quarantine (made if missing)
 * @param maxBytes     bound of the segment files together; past it the oldest access-log segments go
 * @param segmentBytes a segment file is sealed and a new one begun past this size; also the
 *                     granularity of drops
 * @param syncInterval how often written segments are forced to the disk; {@link Duration#ZERO}
 *                     forces before every {@code publish} returns (survives power loss, slower)
 */
public record SpoolSettings(Path directory, long maxBytes, long segmentBytes, Duration syncInterval) {

    public static final long DEFAULT_MAX_BYTES = 256L * 1024 * 1024;
    public static final long DEFAULT_SEGMENT_BYTES = 4L * 1024 * 1024;
    public static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofSeconds(1);

    public SpoolSettings {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(syncInterval, "syncInterval");
        if (segmentBytes < 4096) {
            throw new IllegalArgumentException("segmentBytes must be at least 4096: " + segmentBytes);
        }
        if (maxBytes < 2 * segmentBytes) {
            throw new IllegalArgumentException("maxBytes (" + maxBytes + ") must be at least two segments (2 x " + segmentBytes + ")");
        }
        if (syncInterval.isNegative()) {
            throw new IllegalArgumentException("syncInterval must not be negative: " + syncInterval);
        }
    }

    /** The defaults: 256 MiB in 4 MiB segments, forced every second. */
    public static SpoolSettings in(Path directory) {
        return new SpoolSettings(directory, DEFAULT_MAX_BYTES, DEFAULT_SEGMENT_BYTES, DEFAULT_SYNC_INTERVAL);
    }

    public SpoolSettings withMaxBytes(long bytes) {
        return new SpoolSettings(directory, bytes, segmentBytes, syncInterval);
    }

    public SpoolSettings withSegmentBytes(long bytes) {
        return new SpoolSettings(directory, maxBytes, bytes, syncInterval);
    }

    public SpoolSettings withSyncInterval(Duration interval) {
        return new SpoolSettings(directory, maxBytes, segmentBytes, interval);
    }
}
