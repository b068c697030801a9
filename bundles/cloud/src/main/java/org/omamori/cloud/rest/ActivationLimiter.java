package org.omamori.cloud.rest;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token buckets of {@link ActivationLimits}. {@link #admit} takes one token from the client's
 * bucket and one from the global bucket, or refuses and says how long to wait. A refusal is
 * logged at most once per interval per address (and once for the global limit), with the number
 * held back, so a flood does not flood the log; nothing of the request is logged.
 */
final class ActivationLimiter {

    private static final Logger LOG = LoggerFactory.getLogger(ActivationLimiter.class);
    private static final double NANOS_PER_MINUTE = 60e9;

    /** Why and how long: the client should wait {@code retryAfter}. */
    record Refusal(Duration retryAfter, boolean global) {
    }

    private final ActivationLimits limits;
    private final LongSupplier nanos;
    private final Consumer<String> log;
    private final Bucket global;
    /** Least recently used first: the oldest address is forgotten when the table is full. */
    private final LinkedHashMap<String, Bucket> addresses;

    ActivationLimiter(ActivationLimits limits, LongSupplier nanos, Consumer<String> log) {
        this.limits = limits;
        this.nanos = nanos;
        this.log = log;
        long now = nanos.getAsLong();
        this.global = new Bucket(limits.global(), now);
        this.addresses = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > limits.maxAddresses();
            }
        };
    }

    ActivationLimiter(ActivationLimits limits) {
        this(limits, System::nanoTime, LOG::warn);
    }

    /** Empty when the call may go on (a token of each bucket is taken), else the refusal. */
    synchronized Optional<Refusal> admit(InetAddress client) {
        long now = nanos.getAsLong();
        String key = key(client);
        Bucket own = addresses.computeIfAbsent(key, k -> new Bucket(limits.perAddress(), now));
        if (!own.take(now)) {
            if (own.logDue(now)) {
                log.accept("activation attempts from " + key + " over the limit (" + limits.perAddress().burst() + " at once, "
                        + limits.perAddress().perMinute() + " a minute): refused with 429 (" + own.heldBack()
                        + " more refused since the last line)");
            }
            return Optional.of(new Refusal(own.untilToken(), false));
        }
        if (!global.take(now)) {
            own.giveBack();
            if (global.logDue(now)) {
                log.accept("activation attempts from all addresses over the limit (" + limits.global().burst() + " at once, "
                        + limits.global().perMinute() + " a minute): refused with 429, latest from " + key + " ("
                        + global.heldBack() + " more refused since the last line)");
            }
            return Optional.of(new Refusal(global.untilToken(), true));
        }
        return Optional.empty();
    }

    synchronized int trackedAddresses() {
        return addresses.size();
    }

    /** An IPv4 address as is; an IPv6 address by its /64. */
    static String key(InetAddress client) {
        if (client instanceof Inet6Address) {
            byte[] a = client.getAddress();
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                b.append(Integer.toHexString(((a[i] & 0xff) << 8) | (a[i + 1] & 0xff))).append(':');
            }
            return b.append(":/64").toString();
        }
        return client.getHostAddress();
    }

    /** One token bucket and its log budget; guarded by the limiter's lock. */
    private final class Bucket {
        private final int burst;
        private final double perNano;
        private final long logNanos;
        private double tokens;
        private long last;
        private long nextLog = Long.MIN_VALUE;
        private long refused;

        Bucket(ActivationLimits.Bucket shape, long now) {
            this.burst = shape.burst();
            this.perNano = shape.perMinute() / NANOS_PER_MINUTE;
            this.logNanos = limits.logInterval().toNanos();
            this.tokens = burst;
            this.last = now;
        }

        boolean take(long now) {
            tokens = Math.min(burst, tokens + (now - last) * perNano);
            last = now;
            if (tokens < 1) {
                refused++;
                return false;
            }
            tokens -= 1;
            return true;
        }

        void giveBack() {
            tokens = Math.min(burst, tokens + 1);
        }

        /** Until a whole token is there, at least a second (Retry-After counts seconds). */
        Duration untilToken() {
            long nanosToToken = (long) Math.ceil((1 - tokens) / perNano);
            return Duration.ofSeconds(Math.max(1, (nanosToToken + 999_999_999L) / 1_000_000_000L));
        }

        boolean logDue(long now) {
            if (nextLog != Long.MIN_VALUE && now - nextLog < 0) {
                return false;
            }
            nextLog = now + logNanos;
            return true;
        }

        /** Refusals since the last line, this one not counted. */
        long heldBack() {
            long held = refused - 1;
            refused = 0;
            return held;
        }
    }
}
