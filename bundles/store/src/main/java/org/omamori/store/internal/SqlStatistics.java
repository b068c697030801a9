package org.omamori.store.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jooq.DSLContext;
import org.omamori.grading.AlertId;
import org.omamori.store.AlertPage;
import org.omamori.store.AlertQuery;
import org.omamori.store.AlertRow;
import org.omamori.store.ApplianceDetections;
import org.omamori.store.CustomerId;
import org.omamori.store.CustomerOverview;
import org.omamori.store.Fleet;
import org.omamori.store.FunctionComparison;
import org.omamori.store.SecurityStatus;
import org.omamori.store.Statistics;
import org.omamori.store.StoredEvent;
import org.omamori.store.TenantScope;

/**
 * The portal's statistics, counted by the database, each family by its own class: a customer's
 * threats and alerts over a period and its comparisons ({@link ThreatStatistics}, threats from the
 * daily roll-up {@link ThreatDays}, the peers' totals by {@link PeerTotals}), the alert lists and
 * search ({@link AlertListing}), and the customer overview with its kept counts
 * ({@link CustomerOverviews}).
 */
public final class SqlStatistics implements Statistics {

    private final ThreatStatistics threats;
    private final AlertListing alerts;
    private final CustomerOverviews overviews;

    public SqlStatistics(DSLContext db, Fleet fleet, Clock clock) {
        this.threats = new ThreatStatistics(db, fleet, clock);
        this.alerts = new AlertListing(db);
        this.overviews = new CustomerOverviews(db);
    }

    @Override
    public Optional<SecurityStatus> status(TenantScope scope, CustomerId customer, Instant from, Instant to) {
        return threats.status(scope, customer, from, to);
    }

    @Override
    public Optional<FunctionComparison> compareWithPeers(TenantScope scope, CustomerId customer, Instant from, Instant to) {
        return threats.compareWithPeers(scope, customer, from, to);
    }

    @Override
    public List<ApplianceDetections> compareAppliances(TenantScope scope, CustomerId customer, Instant from, Instant to) {
        return threats.compareAppliances(scope, customer, from, to);
    }

    @Override
    public AlertPage alerts(TenantScope scope, AlertQuery q) {
        return alerts.alerts(scope, q);
    }

    @Override
    public Optional<AlertRow> alert(TenantScope scope, AlertId id) {
        return alerts.alert(scope, id);
    }

    @Override
    public Optional<AlertRow> alertByDisplayId(TenantScope scope, String displayId) {
        return alerts.alertByDisplayId(scope, displayId);
    }

    @Override
    public Optional<AlertRow> alertByDisplayId(TenantScope scope, CustomerId customer, String displayId) {
        return alerts.alertByDisplayId(scope, customer, displayId);
    }

    @Override
    public List<StoredEvent> alertEvents(TenantScope scope, AlertId alert, int limit) {
        return alerts.alertEvents(scope, alert, limit);
    }

    @Override
    public List<AlertRow> search(TenantScope scope, String text, int limit) {
        return alerts.search(scope, text, limit);
    }

    @Override
    public List<CustomerOverview> customerOverview(TenantScope scope, Instant now) {
        return overviews.customerOverview(scope, now);
    }
}
