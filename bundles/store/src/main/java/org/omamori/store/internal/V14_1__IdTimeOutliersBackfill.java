package org.omamori.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Migration 14.1 (both databases, after {@code V14__id_time_outliers.sql} made the table): notes the
 * rows stored before V14 whose id is not within the slack of their time, with the same test ingest
 * applies ({@link IdRanges#outlier}), so dated reads stay exact over existing data. One pass over the
 * ids and times of events and alerts, streamed (PostgreSQL: in the migration's transaction, by cursor).
 */
public final class V14_1__IdTimeOutliersBackfill extends BaseJavaMigration {

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion("14.1");
    }

    @Override
    public String getDescription() {
        return "id time outliers backfill";
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        Set<String> noted = new HashSet<>();
        scan(c, "SELECT id, customer_id, appliance_id, event_time FROM events", IdRanges.EVENT_SLACK, noted);
        scan(c, "SELECT id, customer_id, appliance_id, first_time FROM alerts", IdRanges.ALERT_SLACK, noted);
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO id_time_outliers (customer_id, utc_day, appliance_id) VALUES (?, ?, ?)")) {
            for (String key : noted) {
                String[] p = key.split(" ", 3);
                insert.setLong(1, Long.parseLong(p[0]));
                insert.setLong(2, Long.parseLong(p[1]));
                insert.setString(3, p[2]);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void scan(Connection c, String sql, java.time.Duration slack, Set<String> noted) throws Exception {
        try (Statement s = c.createStatement()) {
            s.setFetchSize(10_000);
            try (ResultSet r = s.executeQuery(sql)) {
                while (r.next()) {
                    UUID id = r.getObject(1, UUID.class);
                    OffsetDateTime time = r.getObject(4, OffsetDateTime.class);
                    if (IdRanges.outlier(id, time.toInstant(), slack)) {
                        noted.add(r.getLong(2) + " " + IdRanges.utcDay(time.toInstant()) + " " + r.getString(3));
                    }
                }
            }
        }
    }
}
