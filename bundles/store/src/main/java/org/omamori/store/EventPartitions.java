package org.omamori.store;

import java.time.LocalDate;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Storage of events and alerts by the UTC day of their ids' time, for the scheduler: on PostgreSQL
 * events in one partition per day, alerts in one per month, made ahead and dropped whole for
 * retention (a partly expired alert month loses its older rows by DELETE); on H2 rows are deleted.
 * Safe to call from several cloud nodes at once.
 */
@ProviderType
public interface EventPartitions {

    /** Makes the partitions of {@code days} days from {@code first} that do not exist yet; their names. Nothing on H2. */
    List<String> prepare(LocalDate first, int days);

    /** Removes every event of the days before {@code firstKept}. */
    Removed removeBefore(LocalDate firstKept);

    /** What {@link #removeBefore} removed: whole partitions dropped, and rows deleted one by one. */
    record Removed(List<String> partitions, long rows) {
    }
}
