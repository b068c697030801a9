package org.omamori.metrics;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The checks of a runtime asked once: each one's state by name, whether all are ok, and
 * whether the essential ones are (the health endpoints answer 503 when not).
 *
 * @param checks    name to state, in the order given (built-in checks first), then by name
 * @param essential the names of the essential checks
 */
public record HealthReport(Map<String, Health> checks, java.util.Set<String> essential) {

    public HealthReport {
        checks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(checks));
        essential = java.util.Set.copyOf(essential);
    }

    /** Asks every check; one that throws is reported as degraded with the exception's class, never lets the others go unasked. */
    public static HealthReport of(Collection<? extends HealthCheck> checks) {
        Map<String, Health> states = new LinkedHashMap<>();
        java.util.Set<String> essential = new java.util.HashSet<>();
        checks.stream().sorted(Comparator.comparing(HealthCheck::name)).forEach(c -> {
            Health h;
            try {
                h = java.util.Objects.requireNonNull(c.check(), "check() returned null");
            } catch (RuntimeException e) {
                h = Health.degraded("the check failed: " + e.getClass().getSimpleName());
            }
            // Two checks of one name (a component restarting): the worse one counts.
            states.merge(c.name(), h, (a, b) -> a.healthy() ? b : a);
            if (c.essential()) {
                essential.add(c.name());
            }
        });
        return new HealthReport(states, essential);
    }

    /** This report with {@code name} first (a check the endpoint does itself). */
    public HealthReport with(String name, boolean isEssential, Health health) {
        Map<String, Health> all = new LinkedHashMap<>();
        all.put(name, health);
        checks.forEach(all::putIfAbsent);
        java.util.Set<String> e = new java.util.HashSet<>(essential);
        if (isEssential) {
            e.add(name);
        }
        return new HealthReport(all, e);
    }

    public boolean allOk() {
        return checks.values().stream().allMatch(Health::healthy);
    }

    /** Whether every essential check is ok: the endpoints answer 200 then, else 503. */
    public boolean essentialOk() {
        return essential.stream().allMatch(n -> checks.get(n).healthy());
    }

    /** {@code ok} when all are; else {@code degraded} (which ones, and why, are in {@link #checks}). */
    public String status() {
        return allOk() ? "ok" : "degraded";
    }
}
