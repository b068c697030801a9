package org.omamori.store.internal;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.omamori.store.EventPartitions;

/**
 * Daily partitions of {@code events} and {@code alerts} on PostgreSQL (migrations V2_1, V5_1):
 * {@code events_pYYYYMMDD} holds the ids made on that UTC day, {@code alerts_pYYYYMMDD} likewise. Each change runs under a transaction-scoped advisory
 * lock, so cloud nodes calling at once take turns.
 */
public final class PostgresPartitions implements EventPartitions {

    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    private static final Pattern NAME = Pattern.compile("(events|alerts)_p(\\d{8})");
    /** The tables partitioned by the day of their time-ordered ids (V2_1, V5_1). */
    static final List<String> TABLES = List.of("events", "alerts");
    /** Any number, the same on every node: "omamori events partitions". */
    private static final long LOCK = 0x6f6d_616d_6f72_6970L;

    private final DSLContext db;

    public PostgresPartitions(DSLContext db) {
        this.db = db;
    }

    @Override
    public List<String> prepare(LocalDate first, int days) {
        if (days < 0 || days > 400) {
            throw new IllegalArgumentException("days must be 0..400: " + days);
        }
        List<String> made = new ArrayList<>();
        for (int i = 0; i < days; i++) {
            LocalDate day = first.plusDays(i);
            for (String table : TABLES) {
                if (make(table, day)) {
                    made.add(name(table, day));
                }
            }
        }
        return made;
    }

    /** One day's partition of a table; rows of that day that fell into the default partition move into it. */
    private boolean make(String table, LocalDate day) {
        String name = name(table, day);
        UUID from = Times.firstIdOf(day);
        UUID to = Times.firstIdOf(day.plusDays(1));
        return db.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            t.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
            if (t.fetchValue("SELECT to_regclass({0})", DSL.inline(name)) != null) {
                return false;
            }
            // Ingest waits for this short transaction: a row of the day committed into the default
            // partition between the move and the attach would make the attach fail.
            t.execute("LOCK TABLE " + table + "_default IN ACCESS EXCLUSIVE MODE");
            t.execute("CREATE TABLE " + name + " (LIKE " + table + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
            t.execute("WITH moved AS (DELETE FROM " + table + "_default WHERE id >= {0} AND id < {1} RETURNING *) "
                    + "INSERT INTO " + name + " SELECT * FROM moved", DSL.inline(from), DSL.inline(to));
            t.execute("ALTER TABLE " + table + " ATTACH PARTITION " + name + " FOR VALUES FROM ({0}) TO ({1})",
                    DSL.inline(from), DSL.inline(to));
            return true;
        });
    }

    @Override
    public Removed removeBefore(LocalDate firstKept) {
        UUID bound = Times.firstIdOf(firstKept);
        return db.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            t.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
            List<String> dropped = new ArrayList<>();
            long rows = 0;
            for (String table : TABLES) {
                List<String> partitions = t.fetch("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                        + "WHERE i.inhparent = '" + table + "'::regclass ORDER BY c.relname").getValues(0, String.class);
                for (String p : partitions) {
                    Matcher m = NAME.matcher(p);
                    if (m.matches() && LocalDate.parse(m.group(2), DAY).isBefore(firstKept)) {
                        t.execute("DROP TABLE " + p);
                        dropped.add(p);
                    }
                }
                rows += t.execute("DELETE FROM " + table + "_default WHERE id < {0}", DSL.inline(bound));
            }
            // The display ids' unique keys go with their alerts (V11; not partitioned, a UUID range like the alerts').
            t.execute("DELETE FROM alert_display_ids WHERE alert_id < {0}", DSL.inline(bound));
            ThreatDays.removeBefore(t, firstKept); // the roll-up's days go with their events (V16)
            return new Removed(List.copyOf(dropped), rows);
        });
    }

    static String name(String table, LocalDate day) {
        return table + "_p" + DAY.format(day);
    }
}
