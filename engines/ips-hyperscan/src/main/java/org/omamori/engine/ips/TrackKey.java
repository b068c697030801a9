package org.omamori.engine.ips;

import java.util.Arrays;

/**
 * What a threshold or a rate filter counts under: the rule and the tracked address bytes (source,
 * destination, both, or none for by_rule). Equal by content, since the address is a fresh array.
 */
record TrackKey(int rule, byte[] who) {

    @Override
    public boolean equals(Object o) {
        return o instanceof TrackKey k && k.rule == rule && Arrays.equals(k.who, who);
    }

    @Override
    public int hashCode() {
        return rule * 31 + Arrays.hashCode(who);
    }

    @Override
    public String toString() {
        return "TrackKey[rule=" + rule + ", who=" + Arrays.toString(who) + "]";
    }
}
