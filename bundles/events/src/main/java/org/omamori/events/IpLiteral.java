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

    private static boolean isV4(String text) {
        if (text.length() > 15 || !text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return false;
        }
        for (String octet : text.split("\\.")) {
            if (Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean isV6(String text) {
        return text.indexOf(':') >= 0 && text.length() <= 45
                && text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
    }

    private static String shorten(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }
}
