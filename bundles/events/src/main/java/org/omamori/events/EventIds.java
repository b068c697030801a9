package org.omamori.events;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * Makes event ids that are unique and strictly increasing within one appliance run, even when
 * many are made in one millisecond or the clock steps back: the 12-bit sequence field counts
 * within a millisecond and the time is never allowed to go backwards (RFC 9562 §6.2, method 1).
 */
public final class EventIds {

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    /**
     * Random bytes drawn a block at a time: each call into the platform's generator costs a lock and
     * a SHA-1 of its mixing whatever it returns, which per event was a visible part of a busy DNS
     * filter's time (bench/README.md, DNS filter against unbound).
     */
    private final byte[] pool = new byte[512];
    private int used = pool.length;
    private long lastMillis;
    private int sequence;

    public EventIds(Clock clock) {
        this.clock = clock;
    }

    public EventIds() {
        this(Clock.systemUTC());
    }

    public synchronized EventId next() {
        long now = clock.millis();
        if (now > lastMillis) {
            lastMillis = now;
            sequence = (int) (randomLong() & 0x7FF); // start low in the range: room to count
        } else if (++sequence > 0xFFF) {
            lastMillis++; // borrow from the next millisecond rather than repeat
            sequence = 0;
        }
        long msb = (lastMillis << 16) | 0x7000L | sequence;
        long lsb = (randomLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new EventId(new UUID(msb, lsb));
    }

    private long randomLong() {
        if (used + Long.BYTES > pool.length) {
            random.nextBytes(pool);
            used = 0;
        }
        long v = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            v = (v << 8) | (pool[used + i] & 0xff);
        }
        used += Long.BYTES;
        return v;
    }
}
