package org.omamori.grading;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import org.omamori.events.ApplianceId;
import org.omamori.events.Event;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The ingest transaction as {@link Grading} sees it: one customer, its row locked until commit.
 * Reads see the batch's own events; writes commit with them or not at all.
 */
@ProviderType
public interface GradingContext {

    /** The customer's id in the store. */
    long customer();

    /** The edition of the customer's reseller (empty: the neutral default); its star table grades the customer. */
    java.util.Optional<String> edition();

    /** The appliance whose batch is graded; new alerts are filed under it. */
    ApplianceId appliance();

    /**
     * The customer's grading sequence before this batch: it goes up by one with every graded
     * batch, so a grader cached at sequence n is current exactly when this is n.
     */
    long sequence();

    /** When the cloud got the batch. */
    Instant now();

    /** The customer's alerts whose last event is at or after {@code since}, oldest first. */
    List<Alert> alertsSince(Instant since);

    /** The customer's threat events at or after {@code since} stored before this batch, time order (at most 100,000). */
    List<Event> threatsSince(Instant since);

    /** The customer's suppressions in force at {@code at}. */
    List<Suppression> suppressions(Instant at);

    /** Saves what an event did to an alert; a change that {@link AlertChange#mails() mails} waits for the customer's mail batch. */
    void save(AlertChange change);

    /** Runs {@code action} after the transaction committed (true) or rolled back (false). */
    void afterCompletion(Consumer<Boolean> action);
}
