package org.omamori.uplink;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: the n-th wait in a row is uniformly random between zero
 * and {@code min(cap, base * 2^n)}, so many appliances failing together do not retry together.
 * Not thread-safe: one per retry loop.
 */
public final class Backoff {

    private final long baseMillis;
    private final long capMillis;
    private int attempt;

    public Backoff(Duration base, Duration cap) {
        this.baseMillis = Math.max(1, base.toMillis());
        this.capMillis = Math.max(baseMillis, cap.toMillis());
    }

    /** The ceiling of the next wait. */
    public Duration ceiling() {
        long ceiling = attempt >= 40 ? capMillis : Math.min(capMillis, baseMillis << attempt);
        return Duration.ofMillis(ceiling < 0 ? capMillis : ceiling);
    }

    /** The next wait; each call doubles the ceiling up to the cap. */
    public Duration next() {
        long ceiling = ceiling().toMillis();
        attempt++;
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

    /** Waits in a row so far. */
    public int attempts() {
        return attempt;
    }

    public void reset() {
        attempt = 0;
    }
}
