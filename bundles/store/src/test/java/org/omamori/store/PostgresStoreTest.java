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
        assertThat(made).containsExactly(name(today), "alerts" + name(today).substring(6), name(today.plusDays(1)),
                "alerts" + name(today.plusDays(1)).substring(6), name(today.plusDays(2)), "alerts" + name(today.plusDays(2)).substring(6));
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

    private String partitionOf(Event e) throws SQLException {
        return sql("SELECT tableoid::regclass::text FROM events WHERE id = ?", e.id().uuid(), String.class);
    }

    private static String name(LocalDate day) {
        return "events_p" + day.toString().replace("-", "");
    }
}
