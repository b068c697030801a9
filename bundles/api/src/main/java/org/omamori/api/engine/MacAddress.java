package org.omamori.api.engine;

import java.util.HexFormat;
import java.util.Locale;

/** An Ethernet MAC address, kept as 48 bits. */
public record MacAddress(long bits) {

    public MacAddress {
        if ((bits & ~0xFFFF_FFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("a MAC address has 48 bits");
        }
    }

    /** Parses {@code 00:1a:2b:3c:4d:5e} or {@code 00-1A-2B-3C-4D-5E}. */
    public static MacAddress parse(String text) {
        String hex = text.trim().toLowerCase(Locale.ROOT).replace(":", "").replace("-", "");
        if (hex.length() != 12 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("not a MAC address: " + text);
        }
        return new MacAddress(Long.parseLong(hex, 16));
    }

    @Override
    public String toString() {
        String hex = HexFormat.of().toHexDigits(bits).substring(4);
        StringBuilder out = new StringBuilder(17);
        for (int i = 0; i < 12; i += 2) {
            if (i > 0) {
                out.append(':');
            }
            out.append(hex, i, i + 2);
        }
        return out.toString();
    }
}
