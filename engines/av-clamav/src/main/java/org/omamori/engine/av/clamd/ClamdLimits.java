package org.omamori.engine.av.clamd;

import java.time.Duration;
import java.util.Objects;

/**
 * How far the client trusts the daemon and the network.
 *
 * @param connectTimeout  longest wait for a connection slot and then for the TCP connect
 * @param scanTimeout     longest wait for clamd's reply once a scan is finished, and for any one stalled write
 * @param maxConnections  connections to clamd open at once (scans plus commands); keep near clamd's MaxThreads
 * @param maxStreamBytes  bytes of one stream sent at most; keep at or below clamd's StreamMaxLength
 * @param chunkBytes      INSTREAM chunk size: smaller pieces are gathered up to it (one buffer per scan), larger ones split
 */
public record ClamdLimits(Duration connectTimeout, Duration scanTimeout, int maxConnections, long maxStreamBytes,
                          int chunkBytes) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final int DEFAULT_CHUNK_BYTES = 256 * 1024;

    /** Sized for scripts/clamd.sh: StreamMaxLength 64M, MaxThreads 8. */
    public static final ClamdLimits DEFAULTS = new ClamdLimits(DEFAULT_CONNECT_TIMEOUT, Duration.ofSeconds(30), 16,
            64L * 1024 * 1024, DEFAULT_CHUNK_BYTES);

    public ClamdLimits {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(scanTimeout, "scanTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive: " + connectTimeout);
        }
        if (scanTimeout.isNegative() || scanTimeout.isZero()) {
            throw new IllegalArgumentException("scanTimeout must be positive: " + scanTimeout);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1: " + maxConnections);
        }
        if (maxStreamBytes < 1) {
            throw new IllegalArgumentException("maxStreamBytes must be positive: " + maxStreamBytes);
        }
        if (chunkBytes < 1) {
            throw new IllegalArgumentException("chunkBytes must be positive: " + chunkBytes);
        }
    }

    /** The usual limits with the default connect timeout and chunk size. */
    public static ClamdLimits of(Duration scanTimeout, int maxConnections, long maxStreamBytes) {
        return new ClamdLimits(DEFAULT_CONNECT_TIMEOUT, scanTimeout, maxConnections, maxStreamBytes, DEFAULT_CHUNK_BYTES);
    }

    public ClamdLimits withConnectTimeout(Duration value) {
        return new ClamdLimits(value, scanTimeout, maxConnections, maxStreamBytes, chunkBytes);
    }

    public ClamdLimits withScanTimeout(Duration value) {
        return new ClamdLimits(connectTimeout, value, maxConnections, maxStreamBytes, chunkBytes);
    }

    public ClamdLimits withMaxConnections(int value) {
        return new ClamdLimits(connectTimeout, scanTimeout, value, maxStreamBytes, chunkBytes);
    }

    public ClamdLimits withMaxStreamBytes(long value) {
        return new ClamdLimits(connectTimeout, scanTimeout, maxConnections, value, chunkBytes);
    }

    public ClamdLimits withChunkBytes(int value) {
        return new ClamdLimits(connectTimeout, scanTimeout, maxConnections, maxStreamBytes, value);
    }
}
