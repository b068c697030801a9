package org.omamori.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import org.omamori.metrics.Meters;
import org.omamori.metrics.Registration;

/**
 * The proxy's counters in the runtime's meters (docs/metrics.md): read from the proxy's own
 * {@link WebProxy.Counters} at each scrape, so serving a request costs nothing more.
 */
final class ProxyMeters implements AutoCloseable {

    private final List<Registration> registrations = new ArrayList<>();

    ProxyMeters(Meters meters, WebProxy proxy) {
        WebProxy.Counters c = proxy.counters();
        registrations.add(meters.gauge("omamori.proxy.connections.active", "Client connections the web proxy serves now",
                proxy::activeConnections));
        count(meters, "omamori.proxy.connections", "Client connections accepted by the web proxy", c::accepted);
        count(meters, "omamori.proxy.connections.refused", "Client connections refused: too many in all or from one client",
                c::refusedConnections);
        String bytes = "Body and tunnel bytes relayed by the web proxy (heads not counted), by direction";
        registrations.add(meters.counter("omamori.proxy.bytes", bytes, c::bytesUp, "direction", "upstream"));
        registrations.add(meters.counter("omamori.proxy.bytes", bytes, c::bytesDown, "direction", "downstream"));
        String requests = "HTTP requests and CONNECT tunnels handled by the web proxy, by what became of them";
        registrations.add(meters.counter("omamori.proxy.requests", requests, c::requests, "kind", "http"));
        registrations.add(meters.counter("omamori.proxy.requests", requests, c::tunnels, "kind", "tunnel"));
        String outcomes = "Web proxy requests and tunnels that were not simply relayed, by reason";
        outcome(meters, outcomes, "blocked", c::blocked);
        outcome(meters, outcomes, "neutralised", c::neutralised);
        outcome(meters, outcomes, "malformed", c::malformed);
        outcome(meters, outcomes, "head_timeout", c::headTimeouts);
        outcome(meters, outcomes, "bad_origin", c::badOrigins);
        outcome(meters, outcomes, "refused_destination", c::refusedDestinations);
    }

    private void count(Meters meters, String name, String help, LongSupplier count) {
        registrations.add(meters.counter(name, help, count));
    }

    private void outcome(Meters meters, String help, String reason, LongSupplier count) {
        registrations.add(meters.counter("omamori.proxy.outcomes", help, count, "reason", reason));
    }

    @Override
    public void close() {
        registrations.forEach(Registration::close);
    }
}
