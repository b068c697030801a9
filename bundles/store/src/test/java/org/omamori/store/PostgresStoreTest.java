package org.omamori.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.omamori.events.Event;

/**
 * The store's rules on PostgreSQL at 127.0.0.1:5432 (user postgres, trust), in a database made
 * for this run and dropped after. No PostgreSQL: these tests fail, on purpose (CI has one).
 * Override with -Domamori.test.postgres=jdbc:postgresql://host:port/ (the database name is appended).
 */
class PostgresStoreTest extends StoreContract {

    private TestPostgres database;

    @Override
    StoreSettings settings() throws Exception {
        database = TestPostgres.create();
        return database.settings(4);
    }

    @Override
    void dispose() throws Exception {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void eventsArePartitionedByDayOfTheirIdAndPartitionsAreMadeAhead() throws Exception {
        assertThat(sql("SELECT relkind::text FROM pg_class WHERE relname = ?", "events", String.class)).isEqualTo("p");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        List<String> made = store.partitions().prepare(today, 3);
        List<String> expected = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            expected.add(name(today.plusDays(i)));
            if (!expected.contains(alertsName(today.plusDays(i)))) {
                expected.add(alertsName(today.plusDays(i))); // alerts by month: a day of a month already made adds none
            }
        }
        assertThat(made).containsExactlyElementsOf(expected);
        assertThat(sql("SELECT relkind::text FROM pg_class WHERE relname = ?", "alerts", String.class)).isEqualTo("p");
        assertThat(store.partitions().prepare(today, 3)).as("made already").isEmpty();

        Tenant t = newTenant();
        Event now = events(t.appliance(), 1, Instant.now()).get(0);
        Instant tenDaysAgo = today.minusDays(10).atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(60);
        Event old = events(t.appliance(), 1, tenDaysAgo).get(0);
        store.ingest().store(t.appliance(), List.of(now, old));
        assertThat(partitionOf(now)).isEqualTo(name(today));
        assertThat(partitionOf(old)).as("a day without a partition").isEqualTo("events_default");

        assertThat(store.partitions().prepare(today.minusDays(10), 1)).contains(name(today.minusDays(10)));
        assertThat(partitionOf(old)).as("moved out of the default partition").isEqualTo(name(today.minusDays(10)));
        assertThat(store.ingest().store(t.appliance(), List.of(now, old))).isEqualTo(new IngestResult(2, 0, 2));

        assertThat(store.partitions().removeBefore(today.minusDays(9)).partitions()).contains(name(today.minusDays(10)));
        assertThat(partitionOf(old)).isNull();
        assertThat(partitionOf(now)).isEqualTo(name(today));
    }

    @Test
    void alertsArePartitionedByMonthAndRetentionDeletesThePartlyExpiredMonthsOldRows() throws Exception {
        assertThat(store.partitions().prepare(LocalDate.of(2026, 1, 30), 40)).contains("alerts_p202601", "alerts_p202602", "alerts_p202603");
        Tenant t = newTenant();
        String[] times = {"2026-01-31T12:00:00Z", "2026-02-28T23:59:59.999Z", "2026-03-01T00:00:00Z", "2026-03-04T23:59:59.999Z",
                "2026-03-05T00:00:00Z", "2026-04-02T00:00:00Z"};
        for (String time : times) {
            insertAlert(t, Instant.parse(time));
        }
        assertThat(alertPartitions(t)).containsExactly("alerts_p202601", "alerts_p202602", "alerts_p202603", "alerts_p202603",
                "alerts_p202603", "alerts_default");

        EventPartitions.Removed removed = store.partitions().removeBefore(LocalDate.of(2026, 3, 5));
        assertThat(removed.partitions()).contains("alerts_p202601", "alerts_p202602").doesNotContain("alerts_p202603");
        assertThat(removed.rows()).as("at least the March rows before the 5th (the dropped months' are not counted)").isGreaterThanOrEqualTo(2);
        assertThat(alertPartitions(t)).containsExactly("alerts_p202603", "alerts_default");
        // A month made later takes its rows out of the default partition, as a day of events does.
        assertThat(store.partitions().prepare(LocalDate.of(2026, 4, 1), 1)).contains("alerts_p202604");
        assertThat(alertPartitions(t)).containsExactly("alerts_p202603", "alerts_p202604");
    }

    @Test
    void migrationPutsExistingAlertsIntoMonthlyPartitions() throws Exception {
        String[] locations = Store.locations(true).toArray(String[]::new);
        org.flywaydb.core.Flyway.configure(Store.class.getClassLoader()).dataSource(store.dataSource()).locations(locations)
                .javaMigrations(new org.omamori.store.internal.V14_1__IdTimeOutliersBackfill())
                .schemas("bymonth").defaultSchema("bymonth").createSchemas(true).target("16").load().migrate();
        Instant recent = Instant.now().minus(java.time.Duration.ofDays(40));
        java.util.UUID[] ids = {idAt(recent), idAt(recent.plusSeconds(1)), idAt(Instant.parse("2024-06-01T00:00:00Z"))};
        try (var c = store.dataSource().getConnection(); var st = c.createStatement()) {
            for (java.util.UUID id : ids) {
                st.execute("INSERT INTO bymonth.alerts (id, customer_id, appliance_id, rule, grade, accumulated, host, host_mac, "
                        + "security_function, engine_rule, target, facts_event, first_time, last_time, event_count, event_ids, state, "
                        + "created_at, updated_at) VALUES ('" + id + "', 1, 'aaaaaaaaaaaa', 'R', 'HIGH', FALSE, '192.168.1.10', '', "
                        + "'ips', 'sid:1', 't', '" + id + "', now(), now(), 1, '', 'OPEN', now(), now())");
            }
        }
        org.flywaydb.core.Flyway.configure(Store.class.getClassLoader()).dataSource(store.dataSource()).locations(locations)
                .javaMigrations(new org.omamori.store.internal.V14_1__IdTimeOutliersBackfill())
                .schemas("bymonth").defaultSchema("bymonth").load().migrate();
        String month = "alerts_p" + java.time.format.DateTimeFormatter.ofPattern("yyyyMM").format(recent.atZone(ZoneOffset.UTC));
        List<String> where = new java.util.ArrayList<>();
        for (java.util.UUID id : ids) {
            where.add(sql("SELECT tableoid::regclass::text FROM bymonth.alerts WHERE id = ?", id, String.class));
        }
        assertThat(where).as("a recent month gets its partition; an id 2 years old stays in the default")
                .containsExactly("bymonth." + month, "bymonth." + month, "bymonth.alerts_default");
        assertThat(sql("SELECT count(*) FROM pg_inherits WHERE inhparent = ?::regclass", "bymonth.alerts", Long.class)).isEqualTo(2);
    }

    private static java.util.UUID idAt(Instant t) {
        return new java.util.UUID((t.toEpochMilli() << 16) | 0x8000L, 0x8000000000000001L);
    }

    private void insertAlert(Tenant t, Instant at) throws SQLException {
        try (var c = store.dataSource().getConnection(); var st = c.prepareStatement("INSERT INTO alerts (id, customer_id, appliance_id, "
                + "rule, grade, accumulated, host, host_mac, security_function, engine_rule, target, facts_event, first_time, last_time, "
                + "event_count, event_ids, state, created_at, updated_at) VALUES (?, ?, ?, 'R', 'HIGH', FALSE, '192.168.1.10', '', 'ips', "
                + "'sid:1', 't', ?, ?, ?, 1, '', 'OPEN', ?, ?)")) {
            java.util.UUID id = idAt(at);
            java.time.OffsetDateTime time = at.atOffset(ZoneOffset.UTC);
            st.setObject(1, id);
            st.setLong(2, t.customer().value());
            st.setString(3, t.appliance().value());
            st.setObject(4, id);
            st.setObject(5, time);
            st.setObject(6, time);
            st.setObject(7, time);
            st.setObject(8, time);
            st.execute();
        }
    }

    /** Where the tenant's alerts are, in id order (the database is shared by this class's tests). */
    private List<String> alertPartitions(Tenant t) throws SQLException {
        List<String> out = new java.util.ArrayList<>();
        try (var c = store.dataSource().getConnection();
             var st = c.prepareStatement("SELECT tableoid::regclass::text FROM alerts WHERE customer_id = ? ORDER BY id")) {
            st.setLong(1, t.customer().value());
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private String partitionOf(Event e) throws SQLException {
        return sql("SELECT tableoid::regclass::text FROM events WHERE id = ?", e.id().uuid(), String.class);
    }

    private static String alertsName(LocalDate day) {
        return "alerts_p" + day.toString().replace("-", "").substring(0, 6);
    }

    private static String name(LocalDate day) {
        return "events_p" + day.toString().replace("-", "");
    }
}
