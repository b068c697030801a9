package org.omamori.monitor;

import java.io.IOException;
import java.io.StringReader;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.WeakHashMap;

import org.omamori.api.edition.Edition;
import org.omamori.backoffice.edition.Editions;
import org.omamori.grading.StarTable;
import org.omamori.grading.StarTableException;

/**
 * The star table each customer is graded with: its reseller's edition's when the edition brings
 * one (docs/edition-sdk.md "Defaults"), else the node's. A table is parsed once per edition object.
 */
public final class EditionTables {

    private final Editions editions;
    private final StarTable node;
    private final Map<Edition, StarTable> parsed = new WeakHashMap<>();

    public EditionTables(Editions editions, StarTable node) {
        this.editions = Objects.requireNonNull(editions, "editions");
        this.node = Objects.requireNonNull(node, "node");
    }

    /** The table for a customer of {@code edition} (empty: the neutral default). */
    public StarTable of(Optional<String> edition) {
        Optional<Edition> e = edition.flatMap(editions::installed).map(Editions.Installed::edition);
        if (e.isEmpty() || e.get().defaults().starTable().isEmpty()) {
            return node;
        }
        synchronized (parsed) {
            return parsed.computeIfAbsent(e.get(), EditionTables::parse);
        }
    }

    /**
     * The edition's own table, parsed; what an installer calls first, so that a table that does not
     * parse refuses the edition with the line it fails on.
     *
     * @throws IllegalArgumentException naming the edition, the table and the line
     */
    public static StarTable parse(Edition edition) {
        String text = edition.defaults().starTable().orElseThrow();
        try {
            return StarTable.parse("edition " + edition.id() + " star table", new StringReader(text));
        } catch (IOException | StarTableException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
