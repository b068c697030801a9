package org.omamori.dns;

import java.util.Locale;

/** How a blocked name is answered. */
public enum BlockMode {
    /** A and AAAA get the block-page address (short TTL); other types get an empty answer. */
    ADDRESS,
    /** Every type gets NXDOMAIN: the name does not exist. */
    NXDOMAIN;

    /** {@code address} or {@code nxdomain}, as written in the configuration. */
    public static BlockMode parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "address" -> ADDRESS;
            case "nxdomain" -> NXDOMAIN;
            default -> throw new IllegalArgumentException("blockMode must be 'address' or 'nxdomain', not '" + text + "'");
        };
    }
}
