package org.omamori.engine.av;

import java.time.Duration;
import java.util.Objects;

import org.omamori.engine.av.clamd.ClamdAddress;

/**
 * How the antivirus engine scans.
 *
 * @param clamd          where clamd listens (loopback)
 * @param failOpen       when a body cannot be scanned (clamd down, timeout, over the limit): pass
 *                       it and say "not scanned" (true), or block it (false)
 * @param maxScanBytes   decoded bytes of one body sent to clamd at most; keep it at or below
 *                       clamd's StreamMaxLength. A larger body is "not scanned: over the limit"
 * @param scanTimeout    how long clamd may take to answer one scan
 * @param maxConnections concurrent scans (one clamd connection each)
 */
public record AvSettings(ClamdAddress clamd, boolean failOpen, long maxScanBytes, Duration scanTimeout, int maxConnections) {

    public static final AvSettings DEFAULTS = new AvSettings(new ClamdAddress("127.0.0.1", 3399), true,
            64L * 1024 * 1024, Duration.ofSeconds(30), 16);

    public AvSettings {
        Objects.requireNonNull(clamd, "clamd");
        Objects.requireNonNull(scanTimeout, "scanTimeout");
        if (maxScanBytes <= 0) {
            throw new IllegalArgumentException("maxScanBytes must be positive: " + maxScanBytes);
        }
        if (maxConnections <= 0) {
            throw new IllegalArgumentException("maxConnections must be positive: " + maxConnections);
        }
    }
}
