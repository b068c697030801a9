package org.omamori.engine.av.component;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import org.omamori.engine.av.clamd.Clamd;
import org.omamori.engine.av.clamd.ClamdException;
import org.omamori.metrics.Health;
import org.omamori.metrics.HealthCheck;
import org.omamori.metrics.Meters;
import org.omamori.metrics.Registration;

/**
 * Whether clamd answers {@code PING}, as a health check (essential: without clamd no download is
 * scanned) and as the gauge {@code omamori_clamd_up}. One ping at most every few seconds, however
 * often the health and the scrape are asked.
 */
final class ClamdHealth implements HealthCheck, AutoCloseable {

    private static final long FRESH_NANOS = 5_000_000_000L;

    private final Clamd clamd;
    private final LongSupplier clock;
    private final List<Registration> registrations = new ArrayList<>();
    private Health last;
    private long lastAt;

    ClamdHealth(Clamd clamd, Meters meters, LongSupplier nanoClock) {
        this.clamd = clamd;
        this.clock = nanoClock;
        registrations.add(meters.gauge("omamori.clamd.up", "1 when clamd answers PING, else 0", () -> check().healthy() ? 1 : 0));
        registrations.add(meters.gauge("omamori.clamd.connections.in.use", "Connections to clamd open now (scans and commands)",
                clamd::connectionsInUse));
    }

    @Override
    public String name() {
        return "clamd";
    }

    @Override
    public boolean essential() {
        return true;
    }

    @Override
    public synchronized Health check() {
        long now = clock.getAsLong();
        if (last == null || now - lastAt > FRESH_NANOS) {
            last = ping();
            lastAt = now;
        }
        return last;
    }

    private Health ping() {
        try {
            clamd.ping();
            return Health.ok();
        } catch (ClamdException e) {
            return Health.degraded("clamd at " + clamd.address() + " does not answer PING: " + e.getMessage()
                    + "; downloads are not scanned (see the antivirus failure policy)");
        }
    }

    @Override
    public void close() {
        registrations.forEach(Registration::close);
    }
}
