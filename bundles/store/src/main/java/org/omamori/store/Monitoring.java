package org.omamori.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.omamori.events.ApplianceId;
import org.omamori.grading.Resolution;
import org.omamori.grading.Suppression;
import org.omamori.notify.PendingAlert;
import org.omamori.notify.Watch;
import org.omamori.notify.ApplianceRef;
import org.omamori.notify.Mail;
import org.omamori.notify.Recipients;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What the cloud's monitoring jobs keep in the store: alert mails waiting for their batch, the
 * liveness of each appliance, each customer's recipients and suppressions. The store holds and
 * queries; the monitor decides what to mail (docs/monitor.md). Every step that mails enqueues into
 * the outbox in the same transaction as it records why (docs/store.md).
 */
@ProviderType
public interface Monitoring {

    /** A mail and the outbox key that makes putting it in twice harmless. */
    record Keyed(String key, Mail mail) {
    }

    /**
     * What to do with a customer's queued alerts: the mails to put in the outbox and whether the
     * queued alerts leave the queue (false: they wait for their batch).
     */
    record AlertMailPlan(List<Keyed> mails, boolean dequeue) {
        /** Nothing due yet: everything stays queued. */
        public static final AlertMailPlan WAIT = new AlertMailPlan(List.of(), false);
    }

    /** Decides, from a customer's queued alerts and whom they would be mailed to, what to mail. */
    @FunctionalInterface
    interface AlertMailPlanner {
        AlertMailPlan plan(List<PendingAlert> queued, Optional<Addressee> to);
    }

    /** A registered appliance's watch, with its customer and the name mails give it. */
    record Watched(CustomerId customer, ApplianceRef appliance, Watch watch) {
    }

    /** Turns the end of an investigation into the follow-up report for the customer's recipients, in its edition's brand. */
    @FunctionalInterface
    interface FollowUpComposer {
        Mail compose(Resolution resolution, ApplianceRef appliance, Addressee to);
    }

    /**
     * Alerts still under investigation that the engines and definitions named {@code fingerprint}
     * have not looked at, oldest first. Alerts never looked at are first stamped with it: they were
     * graded with definitions at least as old, and are looked at again when these change.
     */
    List<Investigation> investigations(String fingerprint, int limit);

    /**
     * Records what the cloud's engines concluded, in one transaction: a confirmed or benign alert is
     * resolved and its follow-up report put in the outbox; one still under investigation only
     * remembers {@code fingerprint}.
     */
    void settle(Investigation investigation, Resolution resolution, String fingerprint, FollowUpComposer composer);

    /** The customers with an alert queued for mail at or before {@code queuedBy} (one query). */
    List<CustomerId> alertMailQueued(Instant queuedBy);

    /**
     * One customer's queued alerts, in one transaction with its row locked (grading and another
     * node's run wait): {@code planner} decides from them what to mail; its mails go into the outbox
     * and, when it says so, the queued alerts leave the queue, with the same commit.
     *
     * @param now when the mails are due
     * @return the mails put in the outbox
     */
    int mailQueuedAlerts(CustomerId customer, Instant now, AlertMailPlanner planner);

    /** Every registered appliance's watch, its last heartbeat and whether it is monitored (one query). */
    List<Watched> watches();

    /**
     * Saves an appliance's next watch and, in the same transaction, puts in the outbox the mails
     * {@code mails} makes for the customer's addressee (empty when it gave no address).
     *
     * @param now when the mails are due
     * @return the mails put in the outbox
     */
    int saveWatch(CustomerId customer, Watch next, Instant now, java.util.function.Function<Optional<Addressee>, List<Keyed>> mails);

    /**
     * Puts a registered appliance into maintenance ({@code monitored} false: a planned shutdown sends
     * no stopped notice, and a stop noticed before is forgotten) or back under watch. Back under watch,
     * an appliance still silent is noticed at the next check. docs/monitor.md "Maintenance".
     *
     * @throws IllegalArgumentException when the appliance is not registered
     */
    void monitor(ApplianceId appliance, boolean monitored);

    /** The appliances in maintenance (one query, for listings). */
    java.util.Set<ApplianceId> inMaintenance();

    /** Replaces the customer's mail recipients (1 to 3, checked by {@link Recipients}). */
    void recipients(CustomerId customer, Recipients recipients);

    Optional<Recipients> recipients(TenantScope scope, CustomerId customer);

    /** Stores a suppression for the customer; it applies to events graded from now on. */
    UUID suppress(CustomerId customer, Suppression suppression);

    /** The customer's suppressions, also the ended ones, newest first. */
    List<Suppression> suppressions(TenantScope scope, CustomerId customer);

    /** The outbox's mails, newest first, at most {@code limit}. */
    List<QueuedMail> outbox(int limit);

    /** How many alerts wait for their batch, for health and tests. */
    int pendingAlertMail();
}
