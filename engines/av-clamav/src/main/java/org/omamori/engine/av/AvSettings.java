package org.omamori.engine.av;

import java.nio.file.Path;
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

    /** {@code clamdSocket}'s default: {@link #DEFAULT_SOCKET} in the home when it connects, else TCP. Blank means the same. */
    public static final String AUTO_SOCKET = "auto";

    /** {@code clamdSocket=none}: TCP only. */
    public static final String NO_SOCKET = "none";

    /** The local socket scripts/clamd.sh makes (mode 660, clamd's group), relative to the appliance's home. */
    public static final String DEFAULT_SOCKET = "run/clamd/clamd.sock";

    /**
     * Where clamd is, from the configuration: {@code clamdSocket} {@value #AUTO_SOCKET} (or blank)
     * is {@value #DEFAULT_SOCKET} in {@code home} whenever it connects and TCP {@code host:port}
     * while it does not (absent, refused, not permitted); {@value #NO_SOCKET} is TCP only; a path
     * is that socket only (relative to {@code home}), as before there was a default.
     */
    public static ClamdAddress clamd(Path home, String socket, String host, int port) {
        String s = socket.strip();
        if (s.equalsIgnoreCase(NO_SOCKET)) {
            return new ClamdAddress(host, port);
        }
        if (s.isEmpty() || s.equalsIgnoreCase(AUTO_SOCKET)) {
            return ClamdAddress.localSocketOr(home.resolve(DEFAULT_SOCKET), new ClamdAddress(host, port));
        }
        return ClamdAddress.localSocket(home.resolve(s));
    }

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
