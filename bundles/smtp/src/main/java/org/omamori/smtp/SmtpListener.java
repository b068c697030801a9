package org.omamori.smtp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;

import org.omamori.api.engine.Zone;

/**
 * An address with its zone, written {@code address:port/zone}, e.g. {@code 0.0.0.0:25/wan} for
 * a listener or {@code 192.168.1.10:25/lan} for the next hop. The address may be a name for the
 * next hop; IPv6 literals go in brackets.
 */
public record SmtpListener(String host, int port, Zone zone) {

    public SmtpListener {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(zone, "zone");
        if (host.isBlank()) {
            throw new IllegalArgumentException("no host");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    public static SmtpListener parse(String text) {
        String t = text.strip();
        int slash = t.lastIndexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("want address:port/zone, e.g. 0.0.0.0:25/wan: " + t);
        }
        Zone zone = new Zone(t.substring(slash + 1).strip());
        String hostPort = t.substring(0, slash).strip();
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || (hostPort.contains("]") && colon < hostPort.indexOf(']'))) {
            throw new IllegalArgumentException("want address:port/zone: " + t);
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port in " + t);
        }
        return new SmtpListener(host, port, zone);
    }

    public InetSocketAddress socketAddress() throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/" + zone;
    }
}
