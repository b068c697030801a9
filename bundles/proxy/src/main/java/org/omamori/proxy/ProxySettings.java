package org.omamori.proxy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.omamori.api.engine.Zone;

/**
 * How the proxy behaves. {@link #DEFAULTS} suits an appliance serving about 100 devices.
 *
 * @param listeners       where it listens, each in a zone
 * @param serverZone      the zone of the servers the proxy reaches (the internet side)
 * @param maxRequestLine  longest request line (414 beyond)
 * @param maxHead         largest request or response head (431 / 502 beyond)
 * @param headTimeout     time allowed for a client to send a request head
 * @param idleTimeout     how long an idle client connection is kept open
 * @param connectTimeout  time allowed to connect to an origin
 * @param originTimeout   longest silence from an origin inside a response
 * @param holdBytes       largest body held back until inspected; larger ones are streamed and
 *                        cut off if the engines object at the end
 * @param holdBudget      bytes held by all bodies together
 * @param maxConnections  client connections served at once; more are refused
 * @param connectPorts    ports CONNECT may reach
 * @param brand           the name and support desk on the pages
 */
public record ProxySettings(List<Listener> listeners, Zone serverZone, int maxRequestLine, int maxHead,
                     Duration headTimeout, Duration idleTimeout, Duration connectTimeout, Duration originTimeout,
                     long holdBytes, long holdBudget, int maxConnections, Set<Integer> connectPorts, Brand brand) {

    public static final ProxySettings DEFAULTS = new ProxySettings(
            List.of(Listener.parse("explicit@127.0.0.1:3128/lan")), Zone.WAN, 8 << 10, 64 << 10,
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(60),
            32L << 20, 512L << 20, 2048, Set.of(443, 8443), Brand.DEFAULT);

    public ProxySettings {
        listeners = List.copyOf(listeners);
        connectPorts = Set.copyOf(connectPorts);
        Objects.requireNonNull(serverZone, "serverZone");
        Objects.requireNonNull(brand, "brand");
        if (maxRequestLine < 64 || maxHead < maxRequestLine || maxHead > (1 << 20)) {
            throw new IllegalArgumentException("head limits must be 64 B <= request line <= head <= 1 MiB");
        }
        if (holdBytes < 0 || holdBudget < holdBytes || maxConnections < 1) {
            throw new IllegalArgumentException("holdBytes <= holdBudget and maxConnections >= 1 are needed");
        }
    }

    public ProxySettings withListeners(List<Listener> newListeners) {
        return new ProxySettings(newListeners, serverZone, maxRequestLine, maxHead, headTimeout, idleTimeout,
                connectTimeout, originTimeout, holdBytes, holdBudget, maxConnections, connectPorts, brand);
    }
}
