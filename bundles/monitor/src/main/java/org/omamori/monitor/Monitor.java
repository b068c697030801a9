package org.omamori.monitor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import org.omamori.api.engine.Engine;
import org.omamori.backoffice.edition.Editions;
import org.omamori.grading.CustomerGrading;
import org.omamori.metrics.Meters;
import org.omamori.monitor.health.HealthCheck;
import org.omamori.monitor.health.HealthSettings;
import org.omamori.monitor.metrics.GradingMeters;
import org.omamori.monitor.metrics.LastSend;
import org.omamori.monitor.metrics.MailHealth;
import org.omamori.monitor.metrics.SchedulerHealth;
import org.omamori.notify.AlertBatch;
import org.omamori.notify.AlertMail;
import org.omamori.notify.ApplianceMail;
import org.omamori.notify.Liveness;
import org.omamori.notify.MailBrands;
import org.omamori.notify.OutboxWorker;
import org.omamori.notify.SmtpTransport;
import org.omamori.scheduler.Jobs;
import org.omamori.store.CustomerId;
import org.omamori.store.EventPartitions;
import org.omamori.store.IngestStore;
import org.omamori.store.Monitoring;
import org.omamori.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cloud's monitoring over one store: the graded ingest, and the steps the scheduled jobs run
 * (each safe to run again after a crash, and on any node: the store's transactions and the
 * outbox's keys make a second run change nothing).
 */
public final class Monitor {

    /** Partitions made ahead of today, so a day's first event never lands in the default partition. */
    public static final int PARTITIONS_AHEAD = 3;
    /** Between two sends of what the outbox has due. */
    static final Duration SEND_EVERY = Duration.ofSeconds(10);
    /** Between two runs of partitions and retention; a day's partitions are made days ahead. */
    static final Duration HISTORY_EVERY = Duration.ofHours(6);
    /** Between two health checks (docs/monitor.md "Faults"). */
    static final Duration HEALTH_EVERY = Duration.ofMinutes(1);
    /** Outbox entries one send step takes. */
    static final int SEND_BATCH = 50;

    private static final Logger LOG = LoggerFactory.getLogger(Monitor.class);

    private final Store store;
    private final MonitorSettings settings;
    private final Clock clock;
    private final CustomerGrading grading;
    private final IngestStore ingest;
    private final Monitoring monitoring;
    private final Liveness liveness;
    private final Optional<LastSend> transport;
    private final Optional<OutboxWorker> sender;
    private final MailHealth mailHealth;
    private final HealthCheck health;
    private final Editions editions;
    private final MailBrands brands;
    private final EditionTables tables;

    /** A monitor whose customers all get the node's brand and star table (no editions installed). */
    public Monitor(Store store, MonitorSettings settings, Clock clock) {
        this(store, settings, clock, new Editions());
    }

    /**
     * @param editions the editions installed in this node, followed as they change: each customer's
     *                 mail carries its reseller's edition's brand, and grading uses its star table
     */
    public Monitor(Store store, MonitorSettings settings, Clock clock, Editions editions) {
        this(store, settings, clock, editions, Meters.shared());
    }

    /** {@link #Monitor(Store, MonitorSettings, Clock, Editions)} counting grading and mail in {@code meters} (docs/metrics.md). */
    public Monitor(Store store, MonitorSettings settings, Clock clock, Editions editions, Meters meters) {
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.editions = Objects.requireNonNull(editions, "editions");
        this.brands = new MailBrands(id -> editions.installed(id).map(Editions.Installed::edition), settings.brand());
        this.tables = new EditionTables(editions, settings.stars());
        this.grading = new CustomerGrading(tables::of, settings.cachedGraders());
        this.ingest = store.ingest(new GradingMeters(grading, meters));
        this.monitoring = store.monitoring();
        this.liveness = new Liveness(settings.liveness());
        this.transport = settings.smtp().map(smtp -> new LastSend(new SmtpTransport(smtp), clock));
        this.sender = transport.map(t -> new OutboxWorker(store.outbox(), t, clock, SEND_BATCH));
        this.health = HealthCheck.of(store, settings, brands);
        this.mailHealth = new MailHealth(transport, store.faults(), HealthSettings.standard(settings.smtp().isPresent()), clock);
    }

    /** The ingest API's storage: each batch's new threat events graded in its transaction. */
    public IngestStore ingest() {
        return ingest;
    }

    public CustomerGrading grading() {
        return grading;
    }

    /**
     * Puts the due alert batches into the outbox ({@link AlertBatch#due}): per customer, in one
     * transaction with taking its alerts off the queue. A customer without recipients gets no mail:
     * its alerts leave the queue with a warning (the portal shows them). The number of mails.
     */
    public int flushAlertMail() {
        Instant now = clock.instant();
        Duration window = settings.mailWindow();
        int mails = 0;
        for (CustomerId customer : monitoring.alertMailQueued(now.minus(window))) {
            mails += monitoring.mailQueuedAlerts(customer, now, (queued, to) -> {
                List<AlertBatch> batches = AlertBatch.due(queued, now, window);
                if (batches.isEmpty()) {
                    // Every queued alert gone meanwhile (retention): the queue entries go too, or they would stay forever.
                    return queued.isEmpty() ? new Monitoring.AlertMailPlan(List.of(), true) : Monitoring.AlertMailPlan.WAIT;
                }
                if (to.isEmpty()) {
                    LOG.warn("customer {} has no alert mail address: {} alerts not mailed (the portal shows them)",
                            customer.value(), queued.size());
                    return new Monitoring.AlertMailPlan(List.of(), true);
                }
                return new Monitoring.AlertMailPlan(batches.stream()
                        .map(b -> new Monitoring.Keyed(b.key(), AlertMail.compose(brands.of(to.get().edition()), to.get().to(), b))).toList(), true);
            });
        }
        if (mails > 0) {
            LOG.info("alert mail: {} mails put in the outbox", mails);
        }
        return mails;
    }

    /**
     * Notices stopped, still stopped and recovered appliances: the liveness policy decides per
     * appliance; what changed is saved with its notices' mails in one transaction. The number of mails.
     */
    public int checkLiveness() {
        Instant now = clock.instant();
        int mails = 0;
        for (Monitoring.Watched w : monitoring.watches()) {
            Liveness.Decision decision = liveness.decide(w.watch(), now);
            if (decision.notices().isEmpty() && decision.next().equals(w.watch())) {
                continue;
            }
            mails += monitoring.saveWatch(w.customer(), decision.next(), now, to -> {
                if (to.isEmpty()) {
                    if (!decision.notices().isEmpty()) {
                        LOG.warn("customer {} has no mail address: notice about appliance {} not mailed", w.customer().value(),
                                w.appliance().id());
                    }
                    return List.of();
                }
                return decision.notices().stream().map(n -> new Monitoring.Keyed(n.key(),
                        ApplianceMail.compose(brands.of(to.get().edition()), to.get().to(), w.appliance(), n))).toList();
            });
        }
        if (mails > 0) {
            LOG.info("liveness: {} notices put in the outbox", mails);
        }
        return mails;
    }

    /** Sends what the outbox has due, when SMTP is configured; the entries handled. */
    public int sendMail() {
        return sender.map(OutboxWorker::runOnce).orElse(0);
    }

    /** Makes the partitions of the next days and removes what is older than the retention. */
    public EventPartitions.Removed keepHistory() {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        List<String> made = store.partitions().prepare(today, PARTITIONS_AHEAD);
        EventPartitions.Removed removed = store.partitions().removeBefore(today.minusDays(settings.retentionDays()));
        if (!made.isEmpty() || !removed.partitions().isEmpty() || removed.rows() > 0) {
            LOG.info("history: partitions made {}, dropped {}, {} rows deleted (kept: {} days)", made, removed.partitions(),
                    removed.rows(), settings.retentionDays());
        }
        return removed;
    }

    /**
     * Starts this node's share of the jobs on the store's database: the scheduler runs each
     * execution on one node of all that share the database.
     *
     * @param check   between two runs of the alert-mail and liveness jobs
     * @param polling how often the node looks for due executions
     */
    public Jobs startJobs(Duration check, Duration polling) {
        return startJobs(check, polling, Optional.empty());
    }

    /** {@link #startJobs(Duration, Duration)} with the investigations of the cloud's engines (every {@code check}). */
    public Jobs startJobs(Duration check, Duration polling, Optional<Investigator> investigator) {
        return startJobs(check, polling, investigator, CanaryCheck.STANDARD);
    }

    /** {@link #startJobs(Duration, Duration, Optional)} with the definitions canary check's own timing. */
    public Jobs startJobs(Duration check, Duration polling, Optional<Investigator> investigator, CanaryCheck canaries) {
        Objects.requireNonNull(canaries, "canaries");
        Jobs.Builder jobs = Jobs.on(store.dataSource());
        investigator.ifPresent(i -> jobs.every("investigations", check, at -> i.run()));
        return jobs
                .every("alert-mail", check, at -> flushAlertMail())
                .every("liveness", check, at -> checkLiveness())
                .every("send-mail", check.compareTo(SEND_EVERY) < 0 ? check : SEND_EVERY, at -> sendMail())
                .every("history", HISTORY_EVERY, at -> keepHistory())
                .every(HealthCheck.JOB, HEALTH_EVERY, at -> health.run(clock.instant()))
                // Every night, the previous month's missing reports: on the 1st all of them, on other days
                // only what a node that was down on the 1st left undone (a run skips the made ones).
                // A definitions package in its canary stage: promoted once its canaries run it, stopped on a canary's failure.
                .every("definitions-canaries", canaries.every(), at -> checkCanaries(canaries.quiet()))
                .dailyAt("monthly-reports", java.time.LocalTime.of(2, 0), org.omamori.report.MonthlyFigures.ZONE, at -> monthlyReports(at))
                .pollingInterval(polling)
                .start();
    }

    /** The canary check of staged definitions rollouts (docs/definitions.md "Staged rollout"); heartbeats older than {@code quiet} do not count. */
    void checkCanaries(Duration quiet) {
        for (org.omamori.store.DefinitionPackages.Decision d : store.definitionPackages().checkCanaries(clock.instant(), quiet)) {
            if (d.to() == org.omamori.store.DefinitionPackages.Rollout.STOPPED) {
                LOG.warn("definitions {} {}: rollout stopped: {}", d.kind(), d.version(), d.why());
            } else {
                LOG.info("definitions {} {}: rollout now {}: {}", d.kind(), d.version(), d.to(), d.why());
            }
        }
    }

    /** Makes the month before {@code at}'s missing monthly reports (docs/reports.md). */
    MonthlyReports.Run monthlyReports(java.time.Instant at) {
        MonthlyReports reports = new MonthlyReports(store.reports(), store.faults(), org.omamori.report.ReportPdf.withDebianFont(),
                editions::of, brands, 2, clock);
        return reports.run(MonthlyReports.previous(at));
    }

    /** An investigator over this store with the cloud's engines and the versions of their definitions. */
    public Investigator investigator(Supplier<Collection<Engine>> engines, Supplier<Map<String, String>> definitions,
                                     Duration settle) {
        return new Investigator(monitoring, settings, brands, tables::of, engines, definitions, clock, settle);
    }

    /** The component health: faults A/B/Z recorded every minute, mailed once an operator confirmed them. */
    public HealthCheck health() {
        return health;
    }

    /** The {@code mail} check of the node's {@code /health} (docs/metrics.md). */
    public org.omamori.metrics.HealthCheck mailHealth() {
        return mailHealth;
    }

    /** The {@code scheduler} check of the node's {@code /health} over {@code jobs}, this node's share of the jobs (docs/metrics.md). */
    public org.omamori.metrics.HealthCheck schedulerHealth(Jobs jobs) {
        return new SchedulerHealth(jobs::running, store.faults(), HealthSettings.standard(settings.smtp().isPresent()), clock);
    }

    /** The brand of each customer's mail. */
    public MailBrands brands() {
        return brands;
    }

    public Editions editions() {
        return editions;
    }

    public Monitoring monitoring() {
        return monitoring;
    }

    public MonitorSettings settings() {
        return settings;
    }
}
