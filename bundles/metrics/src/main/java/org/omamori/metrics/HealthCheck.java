package org.omamori.metrics;

/**
 * One named part of a runtime that can tell whether it works and, if not, why: registered as
 * an OSGi service, collected by the runtime's health endpoint (the appliance's admin
 * {@code GET /health}, the cloud's {@code GET /health}; docs/metrics.md).
 */
public interface HealthCheck {

    /** A short lower-case name, e.g. {@code uplink}, {@code clamd}, {@code mail}. */
    String name();

    /**
     * Whether the runtime cannot do its job without it: a failing essential check makes the
     * health endpoint answer 503, a failing other one only names itself.
     */
    boolean essential();

    /** The state now; must be quick (a probe with a short timeout at most) and never throw. */
    Health check();
}
