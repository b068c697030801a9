package org.omamori.events;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** IP address literals from hostile text, never names: resolving a name would let input trigger DNS lookups. */
public final class IpLiteral {

    private IpLiteral() {
    }

    /** Parses an IPv4 or IPv6 literal; anything else is an {@link IllegalArgumentException}. */
    public static InetAddress parse(String text) {
        if (!isV4(text) && !isV6(text)) {
            throw new IllegalArgumentException("not an IP address literal: '" + shorten(text) + "'");
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address literal: '" + shorten(text) + "'");
        }
    }

    /** Four decimal octets 0-255 of one to three digits: by hand, it runs for every address of every event. */
    private static boolean isV4(String text) {
        int n = text.length();
        if (n < 7 || n > 15) {
            return false;
        }
        int octets = 0;
        int digits = 0;
        int value = 0;
        for (int i = 0; i <= n; i++) {
            char c = i < n ? text.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                value = value * 10 + (c - '0');
                if (++digits > 3 || value > 255) {
                    return false;
                }
            } else if (c == '.' && digits > 0) {
                octets++;
                digits = 0;
                value = 0;
            } else {
                return false;
            }
        }
        return octets == 4;
    }

    private static boolean isV6(String text) {
        return text.indexOf(':') >= 0 && text.length() <= 45
                && text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
    }

    private static String shorten(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }
}
