package org.omamori.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.List;

import org.omamori.accounts.AccountId;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The operator's announcements to customers (table {@code announcements}, docs/store.md
 * "Announcements"): written by operators, shown on customers' dashboards, mailed on publishing.
 * Reads take a {@link TenantScope}; a scope that may not see a customer gets empty lists.
 */
@ProviderType
public interface Announcements {

    /** How long after publishing an announcement stays current even when it has ended. */
    Duration CURRENT_FOR = Duration.ofDays(30);
    /** How long after publishing an ended announcement is listed as past. */
    Duration KEPT_FOR = Duration.ofDays(365);
    /** The most announcements {@link #list} gives. */
    int MAX_LIST = 1000;

    /**
     * Publishes an announcement now (the store's clock) and, in the same transaction, puts one mail
     * per customer concerned into the outbox, to that customer's alert recipients (customers without
     * recipients get none), subject {@code 【お知らせ】<title>}, key
     * {@code announcement:<id>:<customer>}.
     *
     * @param scope the publisher's scope: only {@link TenantScope.Operator} may publish
     * @param by    the publishing account, an operator account
     * @throws IllegalArgumentException for a scope other than the operator's, {@code by} not an operator
     *         account, an audience reseller or customer that does not exist, or a maintenance that
     *         starts less than a month (Japanese calendar month) after now
     */
    default Announcement publish(TenantScope scope, Announcement.Draft draft, AccountId by) {
        return publish(scope, draft, by, edition -> org.omamori.backoffice.edition.NeutralEdition.INSTANCE);
    }

    /**
     * {@link #publish(TenantScope, Announcement.Draft, AccountId)} with the notice periods of the
     * editions concerned (docs/notices.md): the strictest of the audience's customers' editions
     * decides how far ahead a maintenance must be announced (emergency work excepted) and the earliest
     * day a change may take effect — a change without a day takes effect on that earliest day. The
     * mails name that day and, for customers whose terms refund a cancellation after a notified
     * change, say so.
     *
     * @param editions the edition of a reseller's edition id (empty: the neutral default)
     * @throws IllegalArgumentException as {@link #publish(TenantScope, Announcement.Draft, AccountId)}, and when a
     *         notice period is not kept (the message names the earliest day allowed)
     */
    Announcement publish(TenantScope scope, Announcement.Draft draft, AccountId by,
                         java.util.function.Function<Optional<String>, org.omamori.api.edition.Edition> editions);

    /**
     * The announcements concerning the customer published at or before {@code now}: current (not
     * ended, or published within {@link #CURRENT_FOR}) and past (the rest published within
     * {@link #KEPT_FOR}), each newest first. Empty lists when the scope may not see the customer.
     */
    CustomerAnnouncements forCustomer(TenantScope scope, CustomerId customer, Instant now);

    /**
     * The announcements of the scope, newest first, at most {@link #MAX_LIST}: the operator sees all;
     * a reseller those for all customers, for itself and for its customers; a customer those for all,
     * for its reseller and for itself.
     */
    List<Announcement> list(TenantScope scope);
}
