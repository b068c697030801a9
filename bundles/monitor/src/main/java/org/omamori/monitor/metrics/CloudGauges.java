package org.omamori.monitor.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.omamori.metrics.Meters;
import org.omamori.metrics.Registration;
import org.omamori.notify.Watch;
import org.omamori.store.Faults;
import org.omamori.store.Monitoring;

/**
 * The cloud's gauges read from the database at scrape time (docs/metrics.md): the outbox's depth
 * and the age of its oldest unsent mail, and the appliances by what the monitor sees of them. Each
 * reading is one or a few indexed queries, kept for {@link #TTL} so scrapes never hammer the
 * database. A reading that fails shows as NaN until the database answers again.
 */
public final class CloudGauges implements AutoCloseable {

    /** How long a reading is kept. */
    public static final Duration TTL = Duration.ofSeconds(10);

    /** What the monitor sees of an appliance. */
    enum State {
        /** Monitored, heard from within the liveness silence. */
        ONLINE,
        /** Monitored, not heard from for the liveness silence or longer. */
        STOPPED,
        /** Monitored, never heard from (registered, not activated yet). */
        NEVER_SEEN,
        /** Not monitored: not installed yet, contract ended, or paused for announced maintenance. */
        UNMONITORED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private record OutboxDepth(int pending, double oldestSeconds) {
    }

    private final List<Registration> registrations = new ArrayList<>();
    private final Cached<OutboxDepth> outbox;
    private final Cached<int[]> appliances;

    /**
     * @param silence an appliance not heard from for this long is stopped (the liveness policy's)
     */
    public CloudGauges(Meters meters, Faults faults, Monitoring monitoring, Duration silence, Clock clock) {
        this.outbox = new Cached<>(() -> {
            Instant now = clock.instant();
            // Every pending mail is "stuck before" a moment after now; the given-up counts are for a window that starts now (none).
            Faults.OutboxReading r = faults.outbox(now.plusSeconds(1), now.plusSeconds(1));
            return new OutboxDepth(r.stuck(), r.oldestStuck().map(t -> Math.max(0, Duration.between(t, now).toMillis() / 1000.0)).orElse(0.0));
        }, TTL, clock);
        this.appliances = new Cached<>(() -> count(monitoring.watches(), silence, clock.instant()), TTL, clock);
        registrations.add(meters.gauge("omamori.cloud.outbox.pending", "Mails in the outbox not sent yet (given-up ones not counted)",
                () -> read(() -> outbox.get().pending())));
        registrations.add(meters.gauge("omamori.cloud.outbox.oldest.pending.seconds",
                "Age of the oldest mail in the outbox not sent yet; 0 when none waits", () -> read(() -> outbox.get().oldestSeconds())));
        for (State s : State.values()) {
            registrations.add(meters.gauge("omamori.cloud.appliances", "Registered appliances by what the monitor sees of them",
                    () -> read(() -> appliances.get()[s.ordinal()]), "state", s.label()));
        }
    }

    static int[] count(List<Monitoring.Watched> watched, Duration silence, Instant now) {
        int[] counts = new int[State.values().length];
        for (Monitoring.Watched w : watched) {
            counts[state(w.watch(), silence, now).ordinal()]++;
        }
        return counts;
    }

    static State state(Watch w, Duration silence, Instant now) {
        if (!w.monitored()) {
            return State.UNMONITORED;
        }
        if (w.lastContact().isEmpty()) {
            return State.NEVER_SEEN;
        }
        boolean silent = Duration.between(w.lastContact().get(), now).compareTo(silence) >= 0;
        return silent ? State.STOPPED : State.ONLINE; // a stop still on record but heard from again: recovered
    }

    private static double read(java.util.function.DoubleSupplier value) {
        try {
            return value.getAsDouble();
        } catch (RuntimeException e) {
            return Double.NaN; // the database does not answer: the store's health check says so
        }
    }

    @Override
    public void close() {
        registrations.forEach(Registration::close);
    }
}
