package org.omamori.engine.ips.rules;

import java.util.Objects;

/**
 * One {@code xbits:} operation: a bit stored per host ({@code track ip_src}/{@code ip_dst}: the
 * match's source or destination address) or per address pair ({@code ip_pair}, either order),
 * shared by every connection, expiring {@code expireSeconds} after it was set (30 when the rule
 * gives none, as Suricata).
 */
public record Xbit(Op op, String name, Track track, int expireSeconds) {

    public enum Op { SET, UNSET, TOGGLE, ISSET, ISNOTSET }

    public enum Track { IP_SRC, IP_DST, IP_PAIR }

    public static final int DEFAULT_EXPIRE = 30;

    public Xbit {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(track, "track");
        if (name.isEmpty() || expireSeconds < 1) {
            throw new IllegalArgumentException("xbits needs a name and an expiry of at least 1 s");
        }
    }
}
