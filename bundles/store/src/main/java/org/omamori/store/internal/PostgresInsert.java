package org.omamori.store.internal;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.List;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.omamori.store.internal.schema.Tables;
import org.omamori.store.internal.schema.tables.records.EventsRecord;

/**
 * PostgreSQL's fast path for a batch of events: one statement whose 26 parameters are arrays,
 * one per column, unnested into rows; ON CONFLICT (id) DO NOTHING skips ids stored before, and
 * RETURNING names the rows really inserted. Far fewer binds than a multi-row VALUES.
 */
final class PostgresInsert {

    private static final String SQL = sql();

    private PostgresInsert() {
    }

    /** Inserts the rows whose id is new; returns those ids. */
    static Set<UUID> insertNew(DSLContext t, List<EventsRecord> rows) {
        Field<?>[] fields = Tables.EVENTS.fields();
        return t.connectionResult(c -> {
            try (PreparedStatement s = c.prepareStatement(SQL)) {
                for (int f = 0; f < fields.length; f++) {
                    String[] column = new String[rows.size()];
                    for (int i = 0; i < column.length; i++) {
                        Object value = rows.get(i).get(f);
                        column[i] = value == null ? null : value.toString();
                    }
                    Array array = c.createArrayOf("text", column);
                    s.setArray(f + 1, array);
                }
                Set<UUID> inserted = new HashSet<>(rows.size() * 2);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        inserted.add(r.getObject(1, UUID.class));
                    }
                }
                return inserted;
            }
        });
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
        return "INSERT INTO events (" + columns + ") SELECT * FROM unnest(" + arrays + ") ON CONFLICT (id) DO NOTHING RETURNING id";
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
