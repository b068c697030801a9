package org.omamori.monitor.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A reading from the database kept for a few seconds, so scrapes and health probes (a load
 * balancer may ask every second, Prometheus every 15 s, every node of the cluster) never hammer
 * it: at most one read per {@code ttl}, and one at a time. A read that throws is not kept.
 */
final class Cached<T> {

    private final Supplier<T> read;
    private final Duration ttl;
    private final Clock clock;
    private T value;
    private Instant readAt;

    Cached(Supplier<T> read, Duration ttl, Clock clock) {
        this.read = Objects.requireNonNull(read, "read");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    synchronized T get() {
        Instant now = clock.instant();
        if (readAt == null || !now.isBefore(readAt.plus(ttl))) {
            value = read.get();
            readAt = now;
        }
        return value;
    }
}
