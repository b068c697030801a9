package org.omamori.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.omamori.events.ApplianceId;
import org.omamori.notify.Fault;
import org.omamori.notify.Mail;
import org.omamori.notify.Recipients;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The service's faults (000 §9.2–9.3, table {@code faults}): the health check records what it
 * observes, one open fault per key however many nodes observe it; an operator confirms a fault;
 * confirming an A or B fault puts one notice per affected customer into the outbox in the same
 * transaction, and resolving a confirmed one the recovery mail to the same customers. Z faults
 * never mail. Also the readings the health check's probes need, so their SQL stays in the store.
 */
@ProviderType
public interface Faults {

    /** Turns a fault into the mail for one customer's recipients: the notice, or the recovery mail when it has recovered. */
    @FunctionalInterface
    interface Composer {
        Mail compose(Fault fault, Addressee to);
    }

    /** Who a fault affects: every customer, or the ones listed (none for a Z fault). */
    record Affected(boolean all, Set<CustomerId> customers) {
        public Affected {
            customers = Set.copyOf(customers);
            if (all && !customers.isEmpty()) {
                throw new IllegalArgumentException("a fault affects everyone or the customers listed, not both");
            }
        }

        public static Affected everyone() {
            return new Affected(true, Set.of());
        }

        public static Affected nobody() {
            return new Affected(false, Set.of());
        }

        public static Affected of(CustomerId... customers) {
            return new Affected(false, Set.of(customers));
        }
    }

    /**
     * What one probe saw failing.
     *
     * @param key       what failed, stable across runs: one open fault per key (e.g. {@code mail}, {@code spool:<appliance>})
     * @param summary   for operators, in English; no secrets, no personal data
     * @param appliance the appliance, for a fault of one appliance
     */
    record Observation(Fault.Level level, Fault.Component component, String key, String summary,
                       Optional<ApplianceId> appliance, Affected affected) {
        public Observation {
            Objects.requireNonNull(level, "level");
            Objects.requireNonNull(component, "component");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(summary, "summary");
            Objects.requireNonNull(appliance, "appliance");
            Objects.requireNonNull(affected, "affected");
            if (key.isBlank() || key.length() > 200) {
                throw new IllegalArgumentException("a fault key is 1..200 characters: '" + key + "'");
            }
            summary = summary.length() > 2000 ? summary.substring(0, 2000) : summary;
        }
    }

    /** A fault as stored. {@code fault()} is what the mail says about it. */
    record Entry(long id, String key, Fault fault, String summary, Affected affected, Instant detectedAt,
                 Instant lastSeenAt, Optional<Instant> confirmedAt, Optional<String> confirmedBy,
                 Optional<Instant> notifiedAt, Optional<Instant> resolvedAt, Optional<String> resolvedBy) {

        public boolean open() {
            return resolvedAt.isEmpty();
        }

        public Fault.Level level() {
            return fault.level();
        }
    }

    /**
     * The result of one observation.
     *
     * @param opened    a new fault was opened
     * @param escalated the open fault's level rose (a confirmation it had is dropped: the new level needs one)
     */
    record Recorded(Entry fault, boolean opened, boolean escalated) {
    }

    /**
     * Opens a fault for the observation's key, or refreshes the open one (last seen, summary,
     * affected; its level only ever rises while it is open). Safe to call from every node at once.
     */
    Recorded observe(Observation observation, Instant now);

    /**
     * Resolves the open fault of {@code key}, if any; a confirmed A/B fault's recovery mail goes,
     * in the same transaction, to every customer its notice went to.
     */
    Optional<Entry> resolveKey(String key, Instant now, String by, Composer composer);

    /** {@link #resolveKey} by id, now, e.g. an operator closing a fault no probe watches any more. */
    Optional<Entry> resolve(long id, String by, Composer composer);

    /**
     * The operator confirmed the fault (000 §9.3). For an A or B fault, one notice per affected
     * customer with recipients goes into the outbox in this transaction (and, for a fault already
     * resolved, its recovery mail too). A second confirmation changes and mails nothing.
     *
     * @return the mails enqueued
     * @throws IllegalArgumentException for an unknown id
     */
    int confirm(long id, String by, Composer composer);

    Optional<Entry> fault(long id);

    /** The open faults, worst level first, then oldest first. */
    List<Entry> open();

    /** Open faults and those resolved since {@code since}, newest first, at most {@code limit}. */
    List<Entry> recent(Instant since, int limit);

    /**
     * Every fault open at some time in {@code [from, to)} (detected before {@code to}, not resolved
     * by {@code from}), oldest first: the service's availability of a month (docs/reports.md).
     */
    List<Entry> during(Instant from, Instant to);

    // ---- readings for the health check's probes ----

    /** A trivial query, given at most {@code timeout}; throws when the database does not answer. */
    void ping(Duration timeout);

    /**
     * The outbox as the mail probe reads it.
     *
     * @param stuck          PENDING entries created before the given time
     * @param oldestStuck    the oldest of those
     * @param retried        entries given up since the given time after retrying (the server kept failing)
     * @param refused        entries given up since the given time on a permanent refusal (one address, not the server)
     */
    record OutboxReading(int stuck, Optional<Instant> oldestStuck, int retried, int refused) {
    }

    OutboxReading outbox(Instant stuckBefore, Instant givenUpSince);

    /** A recurring job's row in the scheduler's table ({@code scheduled_tasks}). */
    record JobReading(String name, Instant nextRun, boolean running, Optional<String> node,
                      Optional<Instant> lastSuccess, Optional<Instant> lastFailure, int consecutiveFailures,
                      Optional<Instant> lastHeartbeat) {
    }

    List<JobReading> jobs();

    /** Whether any event made at or after {@code since} is stored (an id range: cheap on a partitioned table). */
    boolean eventsMadeSince(Instant since);

    /** An appliance's last heartbeat as the ingest probe reads it. */
    record HeartbeatReading(ApplianceId appliance, CustomerId customer, Instant receivedAt, Instant startedAt,
                            Map<String, Long> counters) {
    }

    /** The last heartbeat of every appliance that sent one since {@code since}. */
    List<HeartbeatReading> heartbeatsSince(Instant since);
}
