package org.omamori.store.internal;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.List;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.omamori.store.internal.schema.Tables;
import org.omamori.api.engine.MacAddress;
import org.omamori.events.Event;

/**
 * PostgreSQL's fast path for a batch of events: one statement whose 28 parameters are arrays,
 * one per column, unnested into rows; ON CONFLICT (id, appliance_id) DO NOTHING skips ids the
 * appliance stored before (also by a racing transaction: it waits for that one, then skips), and
 * RETURNING names the rows really inserted. Far fewer binds than a multi-row VALUES.
 */
final class PostgresInsert {

    private static final String SQL = sql();

    private PostgresInsert() {
    }

    /**
     * Inserts the events whose id is new; returns those ids. The column arrays are made straight
     * from the events as PostgreSQL reads text (no record per row): the ingest's hottest loop.
     */
    static Set<UUID> insertNew(DSLContext t, List<Event> events, long customer, Instant receivedAt) {
        Field<?>[] fields = Tables.EVENTS.fields();
        String customerText = Long.toString(customer);
        String received = receivedAt.truncatedTo(ChronoUnit.MICROS).toString();
        return t.connectionResult(c -> {
            try (PreparedStatement s = c.prepareStatement(SQL)) {
                String[] column = new String[events.size()];
                for (int f = 0; f < fields.length; f++) {
                    String name = fields[f].getName();
                    for (int i = 0; i < column.length; i++) {
                        column[i] = text(name, events.get(i), customerText, received);
                    }
                    Array array = c.createArrayOf("text", column);
                    s.setArray(f + 1, array);
                }
                Set<UUID> inserted = new HashSet<>(events.size() * 2);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        inserted.add(r.getObject(1, UUID.class));
                    }
                }
                return inserted;
            }
        });
    }

    /** One column of one event as text, as {@link EventRows#row} stores it. */
    private static String text(String column, Event e, String customer, String received) {
        return switch (column) {
            case "id" -> e.id().toString();
            case "customer_id" -> customer;
            case "appliance_id" -> e.appliance().value();
            case "event_time" -> e.time().truncatedTo(ChronoUnit.MICROS).toString(); // as Times.column keeps it
            case "received_at" -> received;
            case "kind" -> e.kind().wire();
            case "zone_from" -> e.zones().from().id();
            case "zone_to" -> e.zones().to().id();
            case "source" -> e.source().getHostAddress();
            case "source_port" -> Integer.toString(e.sourcePort());
            case "destination" -> e.destination().getHostAddress();
            case "destination_port" -> Integer.toString(e.destinationPort());
            case "mac" -> e.mac().map(MacAddress::toString).orElse("");
            case "host" -> e.host();
            case "url" -> e.url();
            case "dns_name" -> e.dnsName();
            case "security_function" -> e.function().id();
            case "engine_id" -> e.engineId();
            case "engine_version" -> e.engineVersion();
            case "rule_id" -> e.ruleId();
            case "rule_name" -> e.ruleName();
            case "result" -> e.result().wire();
            case "severity" -> e.level().name().toLowerCase(Locale.ROOT);
            case "confidence" -> Integer.toString(e.confidence());
            case "evidence" -> e.evidence().id();
            case "note" -> e.note();
            case "occurrences" -> Long.toString(e.count());
            case "last_time" -> e.count() == 1 ? null : e.last().truncatedTo(ChronoUnit.MICROS).toString(); // NULL: event_time (V32)
            default -> throw new IllegalStateException("events column " + column + " has no mapping: update PostgresInsert with the migration");
        };
    }

    private static String sql() {
        Field<?>[] fields = Tables.EVENTS.fields();
        StringBuilder columns = new StringBuilder();
        StringBuilder arrays = new StringBuilder();
        for (int f = 0; f < fields.length; f++) {
            if (f > 0) {
                columns.append(", ");
                arrays.append(", ");
            }
            columns.append(fields[f].getName());
            arrays.append("?::text[]::").append(type(fields[f])).append("[]");
        }
        return "INSERT INTO events (" + columns + ") SELECT * FROM unnest(" + arrays + ") ON CONFLICT (id, appliance_id) DO NOTHING RETURNING id";
    }

    private static String type(Field<?> field) {
        Class<?> type = field.getType();
        if (type == java.util.UUID.class) {
            return "uuid";
        } else if (type == Long.class) {
            return "bigint";
        } else if (type == Integer.class) {
            return "integer";
        } else if (type == java.time.OffsetDateTime.class) {
            return "timestamptz";
        }
        return "text";
    }

}
