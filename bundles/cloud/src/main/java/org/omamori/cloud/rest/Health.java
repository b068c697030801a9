package org.omamori.cloud.rest;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.omamori.metrics.HealthCheck;
import org.omamori.metrics.HealthReport;
import org.omamori.store.IngestStore;

/**
 * The cloud node's component health for operators and load balancers: {@code ok} when every
 * component is, else {@code degraded} naming which and why; 503 only when an essential one (http,
 * store) is not ok. The store is probed with a token lookup that can match
 * nothing, which needs a working database.
 */
public final class Health {

    /** A well-formed token no store ever issues (not base64url of random bytes: it has a dot). */
    static final String PROBE_TOKEN = "health.probe.not-a-device-token";

    private final Supplier<Optional<IngestStore>> store;
    private final Supplier<? extends Collection<? extends HealthCheck>> checks;

    public Health(Supplier<Optional<IngestStore>> store) {
        this(store, List::of);
    }

    /** With the node's other checks (mail, scheduler, monitor...: {@link HealthCheck} services). */
    public Health(Supplier<Optional<IngestStore>> store, Supplier<? extends Collection<? extends HealthCheck>> checks) {
        this.store = store;
        this.checks = checks;
    }

    /** The http and store checks (both essential), then every other check by name. */
    public HealthReport report() {
        Collection<? extends HealthCheck> others = checks.get();
        return HealthReport.of(others == null ? List.of() : others)
                .with("store", true, storeHealth())
                .with("http", true, org.omamori.metrics.Health.ok());
    }

    private org.omamori.metrics.Health storeHealth() {
        Optional<IngestStore> s = store.get();
        if (s.isEmpty()) {
            return org.omamori.metrics.Health.degraded("no IngestStore service (is bundle org.omamori.store running and its database reachable?)");
        }
        try {
            s.get().authenticate(PROBE_TOKEN);
            return org.omamori.metrics.Health.ok();
        } catch (RuntimeException e) {
            return org.omamori.metrics.Health.degraded("the database does not answer: " + e.getClass().getSimpleName());
        }
    }
}
