package org.omamori.store;

import org.osgi.annotation.versioning.ProviderType;

/** Reads of stored events for the portal and the grading, always within a tenant scope. */
@ProviderType
public interface EventLog {

    /** A page of the events the scope may see that match the query, newest first. */
    EventPage events(TenantScope scope, EventQuery query);

    /** How many events the scope may see match the query (its limit and cursor are ignored). */
    long count(TenantScope scope, EventQuery query);

    /**
     * How many occurrences those events stand for: the sum of their counts (an appliance may fold
     * repeats into one event, docs/api/uplink.yaml format 1.1); at least {@link #count}.
     */
    long occurrences(TenantScope scope, EventQuery query);
}
