package org.omamori.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.omamori.events.ApplianceId;
import org.omamori.grading.Resolution;
import org.omamori.grading.Suppression;
import org.omamori.notify.AlertBatch;
import org.omamori.notify.ApplianceRef;
import org.omamori.notify.Liveness;
import org.omamori.notify.Mail;
import org.omamori.notify.Notice;
import org.omamori.notify.Recipients;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What the cloud's monitoring jobs keep in the store: alert mails waiting for their batch, the
 * liveness of each appliance, each customer's recipients and suppressions. Every job step
 * that mails enqueues into the outbox in the same transaction as it records why (docs/store.md).
 */
@ProviderType
public interface Monitoring {

    /** Turns a due batch into a mail for the customer's recipients, in its edition's brand. */
    @FunctionalInterface
    interface AlertMailComposer {
        Mail compose(AlertBatch batch, Addressee to);
    }

    /** Turns a liveness notice into a mail for the customer's recipients, in its edition's brand. */
    @FunctionalInterface
    interface NoticeComposer {
        Mail compose(Notice notice, ApplianceRef appliance, Addressee to);
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

    /**
     * Puts every customer's due alert batch ({@link AlertBatch#due}) into the outbox, each in one
     * transaction with taking its alerts off the queue. A customer without recipients gets no mail:
     * its alerts leave the queue with a warning (the portal shows them).
     *
     * @return the mails enqueued
     */
    int flushAlertMail(Instant now, Duration window, AlertMailComposer composer);

    /**
     * Runs {@code liveness} over every registered appliance and, per appliance in one transaction,
     * enqueues the notices' mails and saves the new watch.
     *
     * @return the mails enqueued
     */
    int checkLiveness(Instant now, Liveness liveness, NoticeComposer composer);

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
