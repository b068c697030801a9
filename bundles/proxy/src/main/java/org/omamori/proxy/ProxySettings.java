package org.omamori.proxy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.omamori.api.engine.Zone;

/**
 * How the proxy behaves. {@link #DEFAULTS} suits an appliance serving about 100 devices.
 *
 * @param listeners         where it listens, each in a zone
 * @param serverZone        the zone of the servers the proxy reaches (the internet side)
 * @param maxRequestLine    longest request line (414 beyond)
 * @param maxHead           largest request or response head (431 / 502 beyond)
 * @param headTimeout       time a client has to send a whole request head (or ClientHello), from
 *                          its first byte: a deadline, not a per-read timeout (slowloris)
 * @param idleTimeout       how long an idle client connection is kept open
 * @param connectTimeout    time allowed to connect to an origin
 * @param originTimeout     longest silence from an origin inside a response
 * @param holdBytes         largest body held back until inspected; larger ones are streamed and
 *                          cut off if the engines object at the end
 * @param holdBudget        bytes held by all bodies together
 * @param maxConnections    client connections served at once; more are refused
 * @param maxPerClient      client connections served at once from one client address
 * @param connectPorts      ports CONNECT may reach
 * @param httpPorts         ports plain HTTP requests may reach
 * @param destinations      addresses the proxy never connects to
 * @param blockSniMismatch  whether a CONNECT whose ClientHello names another host is blocked even
 *                          when neither name is listed (it is always an event)
 * @param brand             the name and support desk on the pages
 */
public record ProxySettings(List<Listener> listeners, Zone serverZone, int maxRequestLine, int maxHead,
                     Duration headTimeout, Duration idleTimeout, Duration connectTimeout, Duration originTimeout,
                     long holdBytes, long holdBudget, int maxConnections, int maxPerClient, PortSet connectPorts,
                     PortSet httpPorts, DestinationPolicy destinations, boolean blockSniMismatch, Brand brand) {

    public static final ProxySettings DEFAULTS = new ProxySettings(
            List.of(Listener.parse("explicit@127.0.0.1:3128/lan")), Zone.WAN, 8 << 10, 64 << 10,
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(60),
            32L << 20, 512L << 20, 2048, 256, PortSet.of("443", "8443"), PortSet.of("80", "1024-65535"),
            DestinationPolicy.DEFAULTS, false, Brand.DEFAULT);

    public ProxySettings {
        listeners = List.copyOf(listeners);
        Objects.requireNonNull(serverZone, "serverZone");
        Objects.requireNonNull(connectPorts, "connectPorts");
        Objects.requireNonNull(httpPorts, "httpPorts");
        Objects.requireNonNull(destinations, "destinations");
        Objects.requireNonNull(brand, "brand");
        if (maxRequestLine < 64 || maxHead < maxRequestLine || maxHead > (1 << 20)) {
            throw new IllegalArgumentException("head limits must be 64 B <= request line <= head <= 1 MiB");
        }
        if (holdBytes < 0 || holdBudget < holdBytes || maxConnections < 1 || maxPerClient < 1) {
            throw new IllegalArgumentException("holdBytes <= holdBudget, maxConnections >= 1 and maxConnectionsPerClient >= 1 are needed");
        }
    }

    public ProxySettings withListeners(List<Listener> newListeners) {
        return new ProxySettings(newListeners, serverZone, maxRequestLine, maxHead, headTimeout, idleTimeout, connectTimeout,
                originTimeout, holdBytes, holdBudget, maxConnections, maxPerClient, connectPorts, httpPorts, destinations,
                blockSniMismatch, brand);
    }

    public ProxySettings withDestinations(DestinationPolicy policy) {
        return new ProxySettings(listeners, serverZone, maxRequestLine, maxHead, headTimeout, idleTimeout, connectTimeout,
                originTimeout, holdBytes, holdBudget, maxConnections, maxPerClient, connectPorts, httpPorts, policy,
                blockSniMismatch, brand);
    }

    public ProxySettings withPorts(PortSet connect, PortSet http) {
        return new ProxySettings(listeners, serverZone, maxRequestLine, maxHead, headTimeout, idleTimeout, connectTimeout,
                originTimeout, holdBytes, holdBudget, maxConnections, maxPerClient, connect, http, destinations,
                blockSniMismatch, brand);
    }

    public ProxySettings withConnections(int max, int perClient, Duration head) {
        return new ProxySettings(listeners, serverZone, maxRequestLine, maxHead, head, idleTimeout, connectTimeout,
                originTimeout, holdBytes, holdBudget, max, perClient, connectPorts, httpPorts, destinations,
                blockSniMismatch, brand);
    }

    public ProxySettings withHold(long bytes, long budget) {
        return new ProxySettings(listeners, serverZone, maxRequestLine, maxHead, headTimeout, idleTimeout, connectTimeout,
                originTimeout, bytes, budget, maxConnections, maxPerClient, connectPorts, httpPorts, destinations,
                blockSniMismatch, brand);
    }

    public ProxySettings withBlockSniMismatch(boolean block) {
        return new ProxySettings(listeners, serverZone, maxRequestLine, maxHead, headTimeout, idleTimeout, connectTimeout,
                originTimeout, holdBytes, holdBudget, maxConnections, maxPerClient, connectPorts, httpPorts, destinations,
                block, brand);
    }
}
