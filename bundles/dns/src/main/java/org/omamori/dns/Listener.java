package org.omamori.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;

import org.omamori.api.engine.Zone;

/**
 * One place the filter listens on, over UDP and TCP, and the zone whose clients reach it.
 * Written in the configuration as {@code [zone=]address:port}, e.g. {@code lan=0.0.0.0:53},
 * {@code ssid-secondary=[fd00::1]:53}; without a zone, {@code lan}.
 */
public record Listener(Zone zone, InetSocketAddress address) {

    public Listener {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("listen address must be an IP address: " + address);
        }
    }

    public static Listener parse(String text) {
        String t = text.trim();
        Zone zone = Zone.LAN;
        int eq = t.indexOf('=');
        if (eq >= 0) {
            try {
                zone = new Zone(t.substring(0, eq).trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("listen entry '" + text + "': " + e.getMessage(), e);
            }
            t = t.substring(eq + 1).trim();
        }
        return new Listener(zone, Endpoints.parse(t, -1, "listen entry '" + text + "'"));
    }

    @Override
    public String toString() {
        return zone + "=" + Endpoints.format(address);
    }

    /** IP addresses and ports as written in the configuration. */
    static final class Endpoints {

        private Endpoints() {
        }

        /**
         * {@code 1.2.3.4}, {@code 1.2.3.4:53}, {@code ::1}, {@code [::1]:53}; only IP literals,
         * never a name (no lookup at start). {@code defaultPort} -1: the port is required.
         */
        static InetSocketAddress parse(String text, int defaultPort, String where) {
            String t = text.trim();
            String host;
            String port = null;
            if (t.startsWith("[")) {
                int close = t.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException(where + ": missing ']' in " + text);
                }
                host = t.substring(1, close);
                if (close + 1 < t.length()) {
                    if (t.charAt(close + 1) != ':') {
                        throw new IllegalArgumentException(where + ": expected ':port' after ']' in " + text);
                    }
                    port = t.substring(close + 2);
                }
            } else if (t.indexOf(':') != t.lastIndexOf(':')) {
                host = t; // bare IPv6, no port
            } else if (t.indexOf(':') >= 0) {
                host = t.substring(0, t.indexOf(':'));
                port = t.substring(t.indexOf(':') + 1);
            } else {
                host = t;
            }
            if (!isIpLiteral(host)) {
                throw new IllegalArgumentException(where + ": '" + host + "' is not an IP address (names are not looked up)");
            }
            int p;
            if (port == null) {
                if (defaultPort < 0) {
                    throw new IllegalArgumentException(where + ": a port is required, e.g. 0.0.0.0:53");
                }
                p = defaultPort;
            } else {
                try {
                    p = Integer.parseInt(port);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(where + ": bad port '" + port + "'", e);
                }
                if (p < 0 || p > 65535) {
                    throw new IllegalArgumentException(where + ": port out of range: " + p);
                }
            }
            try {
                return new InetSocketAddress(InetAddress.getByName(host), p);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(where + ": bad address '" + host + "'", e);
            }
        }

        static boolean isIpLiteral(String host) {
            if (host.isEmpty()) {
                return false;
            }
            if (host.indexOf(':') >= 0) {
                return host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.' || c == '%');
            }
            String[] parts = host.split("\\.", -1);
            if (parts.length != 4) {
                return false;
            }
            for (String part : parts) {
                if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit) || Integer.parseInt(part) > 255) {
                    return false;
                }
            }
            return true;
        }

        static String format(InetSocketAddress a) {
            String host = a.getAddress().getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
        }
    }
}
