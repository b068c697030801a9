package org.omamori.monitor;

import java.sql.SQLException;

import org.junit.jupiter.api.AfterEach;
import org.omamori.store.Store;
import org.omamori.store.TestPostgres;
import org.threeten.extra.MutableClock;

/** {@link HealthCheckCases} on PostgreSQL (127.0.0.1:5432, user postgres, trust), in a database of its own. */
class HealthCheckPostgresTest extends HealthCheckCases {

    TestPostgres database;

    @Override
    Store openStore(MutableClock clock) {
        database = TestPostgres.create();
        return Store.open(database.settings(6), clock);
    }

    @AfterEach
    void drop() throws SQLException {
        store.close();
        store = null;
        database.close();
    }
}
