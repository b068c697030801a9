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
 * Daily partitions of {@code events} on PostgreSQL (migration V2_1): {@code events_pYYYYMMDD}
 * holds the ids made on that UTC day. Each change runs under a transaction-scoped advisory
 * lock, so cloud nodes calling at once take turns.
 */
public final class PostgresPartitions implements EventPartitions {

    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    private static final Pattern NAME = Pattern.compile("events_p(\\d{8})");
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
            if (make(day)) {
                made.add(name(day));
            }
        }
        return made;
    }

    /** One day's partition; rows of that day that fell into the default partition move into it. */
    private boolean make(LocalDate day) {
        String name = name(day);
        UUID from = Times.firstIdOf(day);
        UUID to = Times.firstIdOf(day.plusDays(1));
        return db.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            t.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
            if (t.fetchValue("SELECT to_regclass({0})", DSL.inline(name)) != null) {
                return false;
            }
            t.execute("CREATE TABLE " + name + " (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
            t.execute("WITH moved AS (DELETE FROM events_default WHERE id >= {0} AND id < {1} RETURNING *) "
                    + "INSERT INTO " + name + " SELECT * FROM moved", DSL.inline(from), DSL.inline(to));
            t.execute("ALTER TABLE events ATTACH PARTITION " + name + " FOR VALUES FROM ({0}) TO ({1})",
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
            List<String> partitions = t.fetch("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                    + "WHERE i.inhparent = 'events'::regclass ORDER BY c.relname").getValues(0, String.class);
            List<String> dropped = new ArrayList<>();
            for (String p : partitions) {
                Matcher m = NAME.matcher(p);
                if (m.matches() && LocalDate.parse(m.group(1), DAY).isBefore(firstKept)) {
                    t.execute("DROP TABLE " + p);
                    dropped.add(p);
                }
            }
            long rows = t.execute("DELETE FROM events_default WHERE id < {0}", DSL.inline(bound));
            return new Removed(List.copyOf(dropped), rows);
        });
    }

    static String name(LocalDate day) {
        return "events_p" + DAY.format(day);
    }
}
