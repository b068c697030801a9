package org.omamori.ids;

import java.time.Duration;

/**
 * The bounds that keep a replay's memory independent of the capture: what exceeds them is
 * counted and reported in the summary, never held.
 *
 * @param maxFlows                 TCP connections tracked at once; the least recently active is closed to make room
 * @param idleTimeout              a connection silent this long (in capture time) is closed
 * @param maxWaitingBytesPerStream out-of-order data held for one direction before its hole is given up
 * @param maxWaitingBytes          out-of-order data held across all connections
 * @param maxHeadBytes             longest HTTP request or response head (start line and headers)
 * @param maxHeaders               most header fields in one head
 * @param maxOpenExchanges         HTTP requests of one connection awaiting their response (pipelining)
 * @param maxOpenInspections       inspections open at once across all connections
 */
public record ReplayLimits(int maxFlows, Duration idleTimeout, long maxWaitingBytesPerStream, long maxWaitingBytes,
                           int maxHeadBytes, int maxHeaders, int maxOpenExchanges, int maxOpenInspections) {

    public static final ReplayLimits DEFAULTS = new ReplayLimits(50_000, Duration.ofMinutes(10), 1L << 20, 128L << 20,
            64 << 10, 256, 32, 8192);

    public ReplayLimits {
        if (maxFlows < 1 || maxWaitingBytesPerStream < 1 || maxWaitingBytes < 1 || maxHeadBytes < 64 || maxHeaders < 1
                || maxOpenExchanges < 1 || maxOpenInspections < 1 || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("replay limits must be positive (heads at least 64 bytes): " + this);
        }
    }

    /** The same limits with another flow cap. */
    public ReplayLimits withMaxFlows(int flows) {
        return new ReplayLimits(flows, idleTimeout, maxWaitingBytesPerStream, maxWaitingBytes, maxHeadBytes, maxHeaders,
                maxOpenExchanges, maxOpenInspections);
    }
}
