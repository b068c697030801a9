package org.omamori.api.edition;

import java.util.Objects;
import java.util.Optional;

/**
 * What an edition's customers get unless an operator says otherwise.
 *
 * @param starTable     the grading table in the star-table format (docs/grading.md); empty: the node's
 * @param retentionDays how long alerts and events are kept (at least 90 days, 000 §4.4.1); the longest
 *                      of the installed editions is what a node keeps, since the store drops whole days
 */
public record Defaults(Optional<String> starTable, int retentionDays) {

    /** The node's star table and 90 days. */
    public static final Defaults PLATFORM = new Defaults(Optional.empty(), 90);

    public Defaults {
        starTable = Objects.requireNonNull(starTable, "starTable").map(t -> Checks.text("starTable", t, 256 * 1024));
        Checks.between("retentionDays", retentionDays, 90, 3650);
    }
}
