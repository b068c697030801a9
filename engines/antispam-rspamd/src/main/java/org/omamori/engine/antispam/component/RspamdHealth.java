package org.omamori.engine.antispam.component;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import org.omamori.engine.antispam.rspamd.Rspamd;
import org.omamori.engine.antispam.rspamd.RspamdException;
import org.omamori.metrics.Health;
import org.omamori.metrics.HealthCheck;
import org.omamori.metrics.Meters;
import org.omamori.metrics.Registration;

/**
 * Whether rspamd answers {@code /ping}, as a health check and as the gauge
 * {@code omamori_rspamd_up}. Not essential: an appliance that relays no mail does its job
 * without rspamd, and a mail that cannot be scored follows the failure policy. One ping at most
 * every few seconds, however often the health and the scrape are asked.
 */
final class RspamdHealth implements HealthCheck, AutoCloseable {

    private static final long FRESH_NANOS = 5_000_000_000L;

    private final Rspamd rspamd;
    private final LongSupplier clock;
    private final List<Registration> registrations = new ArrayList<>();
    private Health last;
    private long lastAt;

    RspamdHealth(Rspamd rspamd, Meters meters, LongSupplier nanoClock) {
        this.rspamd = rspamd;
        this.clock = nanoClock;
        registrations.add(meters.gauge("omamori.rspamd.up", "1 when rspamd answers /ping, else 0", () -> check().healthy() ? 1 : 0));
    }

    @Override
    public String name() {
        return "rspamd";
    }

    @Override
    public boolean essential() {
        return false;
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
            rspamd.ping();
            return Health.ok();
        } catch (RspamdException e) {
            return Health.degraded(e.getMessage() + "; mail is not scored for spam (see the pipeline's failure policy)");
        }
    }

    @Override
    public void close() {
        registrations.forEach(Registration::close);
    }
}
