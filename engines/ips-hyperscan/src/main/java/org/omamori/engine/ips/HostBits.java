package org.omamori.engine.ips;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.omamori.engine.ips.rules.Xbit;

/**
 * The rules' {@code xbits} (Suricata's "Xbits Keyword"): bits per host or per address pair shared
 * by every connection, each with the time it expires (set again, it lives on from then). A key is
 * the bit's name and the address (ip_src/ip_dst) or both addresses in a fixed order (ip_pair,
 * either direction). At most {@link #MAX_BITS} bits are held: past that, expired ones go, and a set
 * that still finds no room is not kept (a later isset then does not hold).
 */
final class HostBits {

    static final int MAX_BITS = 100_000;

    private final Map<String, Long> expiry = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    HostBits(LongSupplier clock) {
        this.clock = clock;
    }

    boolean isSet(String key) {
        Long until = expiry.get(key);
        return until != null && clock.getAsLong() - until < 0;
    }

    void set(String key, int seconds) {
        long now = clock.getAsLong();
        if (expiry.size() >= MAX_BITS && !expiry.containsKey(key)) {
            expiry.values().removeIf(until -> now - until >= 0);
            if (expiry.size() >= MAX_BITS) {
                return;
            }
        }
        expiry.put(key, now + seconds * 1_000_000_000L);
    }

    void unset(String key) {
        expiry.remove(key);
    }

    /** Whether every isset/isnotset of {@code xbits} holds for a match on {@code side} of {@code c}. */
    boolean hold(Xbit[] xbits, org.omamori.api.engine.Connection c, Side side) {
        for (Xbit x : xbits) {
            if (x.op() == Xbit.Op.ISSET || x.op() == Xbit.Op.ISNOTSET) {
                if (isSet(Tracking.xbitKey(x, c, side)) != (x.op() == Xbit.Op.ISSET)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The set/unset/toggle of {@code xbits} for a match that fired. */
    void apply(Xbit[] xbits, org.omamori.api.engine.Connection c, Side side) {
        for (Xbit x : xbits) {
            String key = Tracking.xbitKey(x, c, side);
            switch (x.op()) {
                case SET -> set(key, x.expireSeconds());
                case UNSET -> unset(key);
                case TOGGLE -> {
                    if (isSet(key)) {
                        unset(key);
                    } else {
                        set(key, x.expireSeconds());
                    }
                }
                default -> {
                }
            }
        }
    }

    /** The key of bit {@code x} for a match from {@code src} to {@code dst}. */
    static String key(Xbit x, byte[] src, byte[] dst) {
        String s = new String(src, java.nio.charset.StandardCharsets.ISO_8859_1);
        String d = new String(dst, java.nio.charset.StandardCharsets.ISO_8859_1);
        return switch (x.track()) {
            case IP_SRC -> x.name() + "\u0000h" + s;
            case IP_DST -> x.name() + "\u0000h" + d;
            case IP_PAIR -> x.name() + "\u0000p" + (s.compareTo(d) <= 0 ? s + "\u0000" + d : d + "\u0000" + s);
        };
    }
}
