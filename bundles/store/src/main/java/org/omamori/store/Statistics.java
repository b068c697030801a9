package org.omamori.store;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import org.omamori.grading.AlertId;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What the portal shows about a customer's security (docs/store.md "Statistics", docs/portal.md: Dashboard and
 * Compare), computed in the database (GROUP BY) and always within a tenant scope.
 *
 * <p>Periods are {@code [from, to)} on the events' time; an alert belongs to the period in which it
 * was raised (its first time). Days are Japanese days ({@link #DAYS}). A scope that may not see the
 * customer gets an empty result (empty {@code Optional}, list or page), never an exception and never
 * a row of it, as {@link EventLog} and {@link Fleet#lastHeartbeat} do: the caller cannot tell an
 * unknown customer from another tenant's. A period with {@code from} not before {@code to}, or
 * longer than {@link #MAX_DAYS} days, is an {@link IllegalArgumentException}.
 */
@ProviderType
public interface Statistics {

    /** The days of the per-day series and of "daily" filters: Japan's (no daylight saving). */
    ZoneId DAYS = ZoneId.of("Asia/Tokyo");

    /** The fewest participating customers over which an average is given (docs/store.md "Statistics"). */
    int MIN_PEERS = 5;

    /** The longest period a status or comparison covers (a year and a bit, for yearly reports). */
    int MAX_DAYS = 400;

    /**
     * The customer's security status over the period: threats by function and result, important
     * alerts by grade, its appliances online or stopped now, and a series per Japanese day.
     */
    Optional<SecurityStatus> status(TenantScope scope, CustomerId customer, Instant from, Instant to);

    /** A page of the alerts the scope may see that match the query, newest first (first time, then id). */
    AlertPage alerts(TenantScope scope, AlertQuery query);

    /**
     * The customer's detections (threat events) per security function against the average per
     * participating customer over the same period; the average only over at least
     * {@link #MIN_PEERS} participants. No other customer's identity is part of the result.
     */
    Optional<FunctionComparison> compareWithPeers(TenantScope scope, CustomerId customer, Instant from, Instant to);

    /** The customer's appliances, by id, each with its detections per security function in the period. */
    List<ApplianceDetections> compareAppliances(TenantScope scope, CustomerId customer, Instant from, Instant to);

    /**
     * The form of an alert display id ({@link AlertRow#displayId()}): 10 digits, a hyphen, 1 to 9
     * digits. Text of another form is refused before any query.
     */
    Pattern DISPLAY_ID = Pattern.compile("[0-9]{10}-[0-9]{1,9}");

    /** The most events {@link #alertEvents} gives: an alert links at most its first 100 events. */
    int MAX_ALERT_EVENTS = 100;

    /**
     * The alert the scope may see with this display id. A display id is unique per customer: when
     * the scope sees several customers with an alert of this id (operator, reseller), the result is
     * empty; name the customer ({@link #alertByDisplayId(TenantScope, CustomerId, String)}) or use
     * {@link #search}.
     *
     * @throws IllegalArgumentException when the text is not of the form {@link #DISPLAY_ID}
     */
    Optional<AlertRow> alertByDisplayId(TenantScope scope, String displayId);

    /** The alert with this id (the alert mail links it), if the scope may see its customer. */
    Optional<AlertRow> alert(TenantScope scope, AlertId id);

    /** The customer's alert with this display id, if the scope may see the customer. */
    Optional<AlertRow> alertByDisplayId(TenantScope scope, CustomerId customer, String displayId);

    /**
     * The stored events behind an alert the scope may see (those of its event list, the first
     * {@link #MAX_ALERT_EVENTS} that made it), newest first (event time, then id), at most
     * {@code limit}; empty for an alert the scope may not see, and without the events retention
     * removed.
     *
     * @throws IllegalArgumentException when {@code limit} is not 1..{@link #MAX_ALERT_EVENTS}
     */
    List<StoredEvent> alertEvents(TenantScope scope, AlertId alert, int limit);

    /** How far back an alert counts as open in {@link #customerOverview}. */
    java.time.Duration OPEN_WITHIN = java.time.Duration.ofDays(90);

    /** The most alerts {@link #search} gives; the longest text it takes. */
    int MAX_SEARCH = 100;
    int MAX_SEARCH_TEXT = 200;

    /**
     * One row per customer the scope may see (the operator: all; a reseller: its customers; a
     * customer: itself), in one query: open ★★★ and ★★☆ alerts ({@link #OPEN_WITHIN}), appliances
     * total / stopped / never seen at {@code now}, last contact. Most open ★★★ first, then ★★☆,
     * then stopped appliances, then by name and id.
     */
    List<CustomerOverview> customerOverview(TenantScope scope, Instant now);

    /**
     * Alerts the scope may see that match {@code text}: display id or host (IP literal) beginning with
     * it, or target (host name, URL…), rule or engine rule containing it, case ignored; the text is
     * literal ({@code %} and {@code _} match themselves). Newest first (first time, id), at most
     * {@code limit}. Blank text: an empty list.
     *
     * @throws IllegalArgumentException when {@code limit} is not 1..{@link #MAX_SEARCH} or the text is
     *         longer than {@link #MAX_SEARCH_TEXT}
     */
    List<AlertRow> search(TenantScope scope, String text, int limit);
}
