package org.omamori.proxy;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Objects;

import org.omamori.api.engine.Zone;

/**
 * One port the proxy listens on, the zone its clients are in and how it is reached.
 *
 * @param address where to listen
 * @param zone    the zone of the clients that connect (lan, ssid-primary, …)
 * @param mode    explicit proxy, transparent HTTP or transparent TLS
 */
public record Listener(InetSocketAddress address, Zone zone, Mode mode) {

    public enum Mode {
        /** Browsers configured to use the proxy: absolute URLs and CONNECT. */
        EXPLICIT,
        /** Port 80 traffic redirected to the proxy: origin-form requests and a Host header. */
        TRANSPARENT_HTTP,
        /** Port 443 traffic redirected to the proxy: a TLS ClientHello, routed by its SNI. */
        TRANSPARENT_TLS
    }

    public Listener {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(mode, "mode");
    }

    /**
     * Parses {@code mode@host:port/zone}, e.g. {@code explicit@127.0.0.1:3128/lan} or
     * {@code tls@0.0.0.0:8443/ssid-primary}; the message says what is wrong with the entry.
     */
    public static Listener parse(String entry) {
        String e = entry.strip();
        int at = e.indexOf('@');
        int slash = e.lastIndexOf('/');
        int colon = e.lastIndexOf(':', slash < 0 ? e.length() : slash);
        if (at <= 0 || colon <= at || slash <= colon) {
            throw new IllegalArgumentException("listener '" + entry + "' is not mode@address:port/zone, e.g. explicit@127.0.0.1:3128/lan");
        }
        Mode mode = switch (e.substring(0, at).toLowerCase(Locale.ROOT)) {
            case "explicit" -> Mode.EXPLICIT;
            case "http" -> Mode.TRANSPARENT_HTTP;
            case "tls" -> Mode.TRANSPARENT_TLS;
            default -> throw new IllegalArgumentException("listener '" + entry + "': mode must be explicit, http or tls");
        };
        String host = e.substring(at + 1, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(e.substring(colon + 1, slash));
        } catch (NumberFormatException x) {
            throw new IllegalArgumentException("listener '" + entry + "': the port is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("listener '" + entry + "': the port is out of range");
        }
        return new Listener(new InetSocketAddress(org.omamori.events.IpLiteral.parse(host), port),
                new Zone(e.substring(slash + 1)), mode);
    }
}
