package org.omamori.spool.component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.omamori.metrics.Health;
import org.omamori.metrics.HealthCheck;
import org.omamori.metrics.Meters;
import org.omamori.metrics.Registration;
import org.omamori.uplink.Uplink;

/**
 * The uplink's meters (docs/metrics.md) and its health check: degraded while the uplink is off
 * or the cloud has not answered for three heartbeat intervals.
 */
final class UplinkMeters implements HealthCheck, AutoCloseable {

    private final Clock clock;
    private final List<Registration> registrations = new ArrayList<>();
    private volatile Uplink uplink;
    private volatile Duration heartbeat = Duration.ofMinutes(1);
    private volatile String off = "off: no cloudUrl in configuration " + UplinkComponent.UPLINK_PID + " (events stay in the spool)";

    UplinkMeters(Meters meters, Clock clock) {
        this.clock = clock;
        registrations.add(meters.gauge("omamori.uplink.lag.seconds",
                "Seconds since the cloud last acknowledged events or a heartbeat (since start if it never did); 0 while off",
                this::lagSeconds));
        registrations.add(meters.gauge("omamori.uplink.oldest.unsent.seconds",
                "Age of the oldest event the cloud has not acknowledged yet; 0 when none waits", this::oldestUnsentSeconds));
        registrations.add(meters.counter("omamori.uplink.events.sent", "Events the cloud acknowledged",
                () -> uplinkOr(u -> u.sent())));
        String failures = "Uplink attempts that failed, by what was being sent";
        registrations.add(meters.counter("omamori.uplink.failures", failures, () -> uplinkOr(Uplink::failures), "kind", "events"));
        registrations.add(meters.counter("omamori.uplink.failures", failures, () -> uplinkOr(Uplink::heartbeatFailures),
                "kind", "heartbeat"));
    }

    /** The uplink now running (null: off, and why). Its counters restart with it, so the counters are per run of the uplink. */
    void running(Uplink running, Duration heartbeatInterval, String whyOff) {
        this.heartbeat = heartbeatInterval;
        this.off = whyOff;
        this.uplink = running;
    }

    private long uplinkOr(java.util.function.ToLongFunction<Uplink> value) {
        Uplink u = uplink;
        return u == null ? 0 : value.applyAsLong(u);
    }

    double lagSeconds() {
        Uplink u = uplink;
        if (u == null) {
            return 0;
        }
        Instant last = u.lastSuccess().orElse(u.startedAt());
        return Math.max(0, Duration.between(last, clock.instant()).toMillis() / 1000.0);
    }

    private double oldestUnsentSeconds() {
        Uplink u = uplink;
        return u == null ? 0 : u.oldestUnsent().map(t -> Math.max(0, Duration.between(t, clock.instant()).toMillis() / 1000.0)).orElse(0.0);
    }

    @Override
    public String name() {
        return "uplink";
    }

    @Override
    public boolean essential() {
        return false; // without the cloud, the appliance still inspects and spools
    }

    @Override
    public Health check() {
        Uplink u = uplink;
        if (u == null) {
            return Health.degraded(off);
        }
        double lag = lagSeconds();
        if (lag > 3 * heartbeat.toSeconds()) {
            String why = u.lastFailure();
            return Health.degraded("no answer from the cloud for " + Math.round(lag) + " s" + (why.isEmpty() ? "" : "; last: " + why));
        }
        return Health.ok();
    }

    @Override
    public void close() {
        registrations.forEach(Registration::close);
    }
}
