package org.omamori.store.internal;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.omamori.store.EventPartitions;

/**
 * The partitions of {@code events} and {@code alerts} on PostgreSQL, by the time in their ids (migrations
 * V2_1, V16_1): {@code events_pYYYYMMDD} holds the events whose ids were made on that UTC day,
 * {@code alerts_pYYYYMM} the alerts of that UTC month (a hundredth of the events: by day, a customer's
 * 30 days of alerts meant planning 30 partitions). Each change runs under a transaction-scoped
 * advisory lock, so cloud nodes calling at once take turns.
 */
public final class PostgresPartitions implements EventPartitions {

    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyyMM");
    private static final Pattern NAME = Pattern.compile("(events_p\\d{8}|alerts_p\\d{6})");
    /** The tables partitioned by the time of their time-ordered ids (V2_1, V16_1). */
    static final List<String> TABLES = List.of("events", "alerts");
    /** Any number, the same on every node: "omamori events partitions". */
    private static final long LOCK = 0x6f6d_616d_6f72_6970L;

    private final DSLContext db;

    public PostgresPartitions(DSLContext db) {
        this.db = db;
    }

    /** The UTC days a table's partition holds: events a day, alerts a month. */
    private record Span(String table, LocalDate first, LocalDate end) {

        static Span of(String table, LocalDate day) {
            if (table.equals("alerts")) {
                LocalDate month = day.withDayOfMonth(1);
                return new Span(table, month, month.plusMonths(1));
            }
            return new Span(table, day, day.plusDays(1));
        }

        String name() {
            return table + "_p" + (table.equals("alerts") ? MONTH : DAY).format(first);
        }
    }

    @Override
    public List<String> prepare(LocalDate first, int days) {
        if (days < 0 || days > 400) {
            throw new IllegalArgumentException("days must be 0..400: " + days);
        }
        List<String> made = new ArrayList<>();
        java.util.Set<Span> tried = new java.util.HashSet<>();
        for (int i = 0; i < days; i++) {
            LocalDate day = first.plusDays(i);
            for (String table : TABLES) {
                Span span = Span.of(table, day);
                if (tried.add(span) && make(span)) {
                    made.add(span.name());
                }
            }
        }
        return made;
    }

    /** One partition of a table; rows of its span that fell into the default partition move into it. */
    private boolean make(Span span) {
        String name = span.name();
        String table = span.table();
        UUID from = Times.firstIdOf(span.first());
        UUID to = Times.firstIdOf(span.end());
        return db.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            t.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
            if (t.fetchValue("SELECT to_regclass({0})", DSL.inline(name)) != null) {
                return false;
            }
            // Ingest waits for this short transaction: a row of the span committed into the default
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
        List<Long> customers = new ArrayList<>();
        Removed removed = db.transactionResult(tx -> {
            DSLContext t = tx.dsl();
            t.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
            List<String> dropped = new ArrayList<>();
            long rows = 0;
            customers.addAll(AlertVersions.before(t, bound));
            for (String table : TABLES) {
                List<String> partitions = t.fetch("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                        + "WHERE i.inhparent = '" + table + "'::regclass ORDER BY c.relname").getValues(0, String.class);
                for (String p : partitions) {
                    if (NAME.matcher(p).matches() && !spanOf(p).end().isAfter(firstKept)) {
                        t.execute("DROP TABLE " + p);
                        dropped.add(p);
                    }
                }
                // The default partition's old rows, and the alerts of a month that has partly expired.
                rows += t.execute("DELETE FROM " + table + " WHERE id < {0}", DSL.inline(bound));
            }
            // The display ids' unique keys go with their alerts (V11; not partitioned, a UUID range like the alerts').
            t.execute("DELETE FROM alert_display_ids WHERE alert_id < {0}", DSL.inline(bound));
            ThreatDays.removeBefore(t, firstKept); // the roll-up's days go with their events (V16)
            ApplicationDays.removeBefore(t, firstKept); // likewise (V33)
            return new Removed(List.copyOf(dropped), rows);
        });
        AlertVersions.removed(db, customers);
        return removed;
    }

    /** The span of a partition, from its name. */
    private static Span spanOf(String partition) {
        String table = partition.substring(0, partition.indexOf("_p"));
        String digits = partition.substring(partition.indexOf("_p") + 2);
        LocalDate first = table.equals("alerts")
                ? java.time.YearMonth.parse(digits, MONTH).atDay(1)
                : LocalDate.parse(digits, DAY);
        return Span.of(table, first);
    }

}
