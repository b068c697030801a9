package org.omamori.monitor.health;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import org.omamori.monitor.MonitorSettings;
import org.omamori.notify.Fault.Component;
import org.omamori.notify.FaultMail;
import org.omamori.notify.MailBrands;
import org.omamori.store.Faults;
import org.omamori.store.Faults.Entry;
import org.omamori.store.Faults.Observation;
import org.omamori.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The component health, checked every minute by the scheduler ({@link #run}): probes the database,
 * the mail, the scheduler's jobs and the ingest, records what fails into {@link Faults} (classified
 * by {@link HealthRules}) and resolves the faults of a component that is healthy again. Customers hear
 * of nothing here: an operator confirms A and B faults first ({@link Faults#confirm}); Z is logged only.
 * Safe on every node at once: the store keeps one open fault per key.
 */
public final class HealthCheck {

    /** The job's name in the scheduler; its own row is not judged by itself. */
    public static final String JOB = "health";
    /** Who resolves a fault that is healthy again. */
    static final String RESOLVER = "health-check";

    private static final Logger LOG = LoggerFactory.getLogger(HealthCheck.class);

    private final Faults faults;
    private final HealthSettings settings;
    private final Faults.Composer composer;
    private final String node;
    /** This node's failed database probes: an outage cannot be written to the database it is about. */
    private Instant databaseDownSince;
    private String databaseError;
    /** This check's first run: a job planned before it is judged late from then on. */
    private Instant watchingSince;

    public HealthCheck(Faults faults, HealthSettings settings, Faults.Composer composer, String node) {
        this.faults = Objects.requireNonNull(faults, "faults");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.composer = Objects.requireNonNull(composer, "composer");
        this.node = Objects.requireNonNull(node, "node");
    }

    /** The health check of a monitor: its store's faults, each customer's brand's mails, SMTP as it is configured. */
    public static HealthCheck of(Store store, MonitorSettings settings, MailBrands brands) {
        return new HealthCheck(store.faults(), HealthSettings.standard(settings.smtp().isPresent()),
                (fault, to) -> FaultMail.compose(brands.of(to.edition()), to.to(), fault), nodeName());
    }

    /**
     * What one run saw.
     *
     * @param databaseReachable false: nothing else was probed, nothing recorded (kept for when it answers)
     * @param observed          the failures observed, each recorded
     * @param resolved          the faults resolved because their component is healthy again
     */
    public record Report(boolean databaseReachable, List<Observation> observed, List<Entry> resolved) {
    }

    /** Probes everything once; never throws for a failing probe (it is logged, and its faults are left as they are). */
    public synchronized Report run(Instant now) {
        if (watchingSince == null) {
            watchingSince = now;
        }
        try {
            faults.ping(settings.databaseTimeout());
        } catch (RuntimeException e) {
            if (databaseDownSince == null) {
                databaseDownSince = now;
                databaseError = e.getClass().getSimpleName();
                LOG.error("health: the database does not answer on node {} ({}); the fault is recorded when it answers again",
                        node, databaseError);
            }
            return new Report(false, List.of(), List.of());
        }
        List<Observation> observed = new ArrayList<>();
        List<Entry> resolved = new ArrayList<>();
        if (databaseDownSince != null) {
            // Back: record the outage as it was, and resolve it at once (an A one waits for the operator to mail both).
            Observation o = HealthRules.database(databaseDownSince, now, node, databaseError, settings);
            record(o, databaseDownSince);
            observed.add(o);
            faults.resolveKey(o.key(), now, RESOLVER, composer).ifPresent(resolved::add);
            LOG.info("health: the database answers again on node {}", node);
            databaseDownSince = null;
        }
        probe("mail", now, observed, resolved, () -> settings.smtpConfigured()
                ? new Probed(EnumSet.of(Component.MAIL), HealthRules.mail(faults.outbox(now.minus(settings.mailStuckAfter()),
                        now.minus(settings.givenUpWindow())), settings))
                : new Probed(EnumSet.noneOf(Component.class), List.of()));
        probe("scheduler", now, observed, resolved, () -> new Probed(EnumSet.of(Component.SCHEDULER),
                HealthRules.jobs(faults.jobs(), now, settings, JOB, watchingSince)));
        probe("ingest", now, observed, resolved, () -> {
            HealthRules.Ingest ingest = HealthRules.ingest(faults.eventsMadeSince(now.minus(settings.ingestSilence())),
                    faults.heartbeatsSince(now.minus(settings.heartbeatFresh())), settings);
            return new Probed(ingest.stopped() ? EnumSet.of(Component.INGEST) : EnumSet.of(Component.INGEST, Component.APPLIANCE),
                    ingest.observations());
        });
        return new Report(true, observed, resolved);
    }

    /** What a probe observed, and the components it speaks for: their open faults it did not observe are healthy again. */
    private record Probed(Set<Component> covers, List<Observation> observations) {
    }

    private void probe(String name, Instant now, List<Observation> observed, List<Entry> resolved, Supplier<Probed> probe) {
        try {
            Probed p = probe.get();
            Set<String> failing = new HashSet<>();
            for (Observation o : p.observations()) {
                record(o, now);
                failing.add(o.key());
                observed.add(o);
            }
            for (Entry open : faults.open()) {
                if (p.covers().contains(open.fault().component()) && !failing.contains(open.key())
                        && open.fault().component() != Component.DATABASE) {
                    faults.resolveKey(open.key(), now, RESOLVER, composer).ifPresent(e -> {
                        resolved.add(e);
                        LOG.info("health: fault {} (level {}, {}) is healthy again: resolved", e.id(), e.level(), e.key());
                    });
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("health: the {} probe failed on node {}; its faults stay as they are", name, node, e);
        }
    }

    private void record(Observation o, Instant at) {
        Faults.Recorded r = faults.observe(o, at);
        Entry f = r.fault();
        if (r.opened() || r.escalated()) {
            if (f.level().notifiesCustomers()) {
                LOG.warn("health: level {} fault {} {} ({}): {}; customers are told once an operator confirms it: "
                        + "./omamori cloud faults --confirm {} --by NAME", f.level(), f.id(), r.opened() ? "opened" : "escalated",
                        f.key(), f.summary(), f.id());
            } else {
                LOG.warn("health: level Z fault {} opened ({}): {}; customers are not told", f.id(), f.key(), f.summary());
            }
        }
    }

    static String nodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown-host";
        }
        return host + "#" + ProcessHandle.current().pid();
    }

    /** The open faults, for health endpoints and the CLI. */
    public List<Entry> open() {
        return faults.open();
    }

    Optional<Instant> databaseDownSince() {
        return Optional.ofNullable(databaseDownSince);
    }
}
