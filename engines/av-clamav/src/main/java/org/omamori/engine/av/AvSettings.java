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
 * @param cacheTime      how long clamd's answer for a small body is reused for the same content
 *                       (byte for byte equal); zero turns the cache off. A signature update reaches
 *                       content seen before within this time.
 */
public record AvSettings(ClamdAddress clamd, boolean failOpen, long maxScanBytes, Duration scanTimeout, int maxConnections,
                         Duration cacheTime) {

    /** Bodies up to this size are held and their answers cached; larger ones stream straight to clamd. */
    public static final int CACHEABLE_BYTES = 1 << 20;

    public static final AvSettings DEFAULTS = new AvSettings(new ClamdAddress("127.0.0.1", 3399), true,
            64L * 1024 * 1024, Duration.ofSeconds(30), 16, Duration.ofSeconds(60));

    /** With the default cache time. */
    public AvSettings(ClamdAddress clamd, boolean failOpen, long maxScanBytes, Duration scanTimeout, int maxConnections) {
        this(clamd, failOpen, maxScanBytes, scanTimeout, maxConnections, DEFAULTS.cacheTime());
    }

    public AvSettings {
        Objects.requireNonNull(cacheTime, "cacheTime");
        if (cacheTime.isNegative()) {
            throw new IllegalArgumentException("cacheTime must not be negative: " + cacheTime);
        }
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
