package org.omamori.cloud.rest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.omamori.store.IngestStore;

/**
 * The cloud node's component health for operators and load balancers: {@code ok} when every
 * component is, else {@code degraded}. The store is probed with a token lookup that can match
 * nothing, which needs a working database.
 */
public final class Health {

    /** A well-formed token no store ever issues (not base64url of random bytes: it has a dot). */
    static final String PROBE_TOKEN = "health.probe.not-a-device-token";

    private final Supplier<Optional<IngestStore>> store;

    public Health(Supplier<Optional<IngestStore>> store) {
        this.store = store;
    }

    /** Component name to {@code ok} or {@code degraded: why}. */
    public Map<String, String> components() {
        Map<String, String> components = new LinkedHashMap<>();
        components.put("http", "ok");
        components.put("store", storeHealth());
        return components;
    }

    public boolean ok(Map<String, String> components) {
        return components.values().stream().allMatch("ok"::equals);
    }

    private String storeHealth() {
        Optional<IngestStore> s = store.get();
        if (s.isEmpty()) {
            return "degraded: no IngestStore service (is bundle org.omamori.store running and its database reachable?)";
        }
        try {
            s.get().authenticate(PROBE_TOKEN);
            return "ok";
        } catch (RuntimeException e) {
            return "degraded: " + e.getClass().getSimpleName();
        }
    }
}
