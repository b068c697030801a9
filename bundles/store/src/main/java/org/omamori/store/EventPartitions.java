package org.omamori.store;

import java.time.LocalDate;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Storage of events by day (UTC day of the event id's time), for the scheduler: on PostgreSQL one
 * partition per day, made ahead and dropped whole for retention; on H2 rows are deleted.
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
