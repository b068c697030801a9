package org.omamori.spool.component;

import java.util.ArrayList;
import java.util.List;

import org.omamori.metrics.Health;
import org.omamori.metrics.HealthCheck;
import org.omamori.metrics.Meters;
import org.omamori.metrics.Registration;
import org.omamori.spool.Spool;
import org.omamori.spool.SpoolCounters;

/** The spool's meters (docs/metrics.md) and its health check: degraded when it is nearly full. */
final class SpoolMeters implements HealthCheck, AutoCloseable {

    /** Past this share of its bound, the spool starts dropping the oldest access-log events. */
    static final double NEARLY_FULL = 0.9;

    private final Spool spool;
    private final List<Registration> registrations = new ArrayList<>();

    SpoolMeters(Meters meters, Spool spool) {
        this.spool = spool;
        registrations.add(meters.gauge("omamori.spool.events.pending", "Events in the spool not yet acknowledged by the cloud",
                () -> spool.counters().pending()));
        registrations.add(meters.gauge("omamori.spool.bytes", "Size of the spool's segment files", () -> spool.counters().bytes()));
        registrations.add(meters.gauge("omamori.spool.bytes.max", "The spool's bound in bytes", () -> spool.settings().maxBytes()));
        String events = "Events through the spool since start, by what became of them";
        registrations.add(meters.counter("omamori.spool.events", events, () -> spool.counters().spooled(), "state", "spooled"));
        registrations.add(meters.counter("omamori.spool.events", events, () -> spool.counters().acked(), "state", "acked"));
        registrations.add(meters.counter("omamori.spool.events", events, () -> spool.counters().dropped(), "state", "dropped"));
        registrations.add(meters.counter("omamori.spool.events", events, () -> spool.counters().quarantined(), "state", "quarantined"));
        registrations.add(meters.counter("omamori.spool.events", events, () -> spool.counters().damaged(), "state", "damaged"));
    }

    @Override
    public String name() {
        return "spool";
    }

    @Override
    public boolean essential() {
        return false; // a full spool drops access logs, never the inspection
    }

    @Override
    public Health check() {
        SpoolCounters c = spool.counters();
        long max = spool.settings().maxBytes();
        if (c.bytes() >= NEARLY_FULL * max) {
            return Health.degraded("the spool holds " + c.bytes() + " of " + max + " bytes (" + c.pending()
                    + " events unsent): the oldest access-log events are being dropped; is the uplink delivering?");
        }
        return Health.ok();
    }

    @Override
    public void close() {
        registrations.forEach(Registration::close);
    }
}
