package org.omamori.monitor;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterEach;
import org.omamori.store.Store;
import org.omamori.store.StoreSettings;

/** {@link HealthCheckCases} on PostgreSQL (127.0.0.1:5432, user postgres, trust), in a database of its own. */
class HealthCheckPostgresTest extends HealthCheckCases {

    static final String SERVER = System.getProperty("omamori.test.postgres", "jdbc:postgresql://127.0.0.1:5432/");

    String database;

    @Override
    Store openStore(MovableClock clock) throws SQLException {
        database = "omamori_test_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        return Store.open(new StoreSettings(SERVER + database, "postgres", "", 6), clock);
    }

    @AfterEach
    void drop() throws SQLException {
        store.close();
        store = null;
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection(SERVER + "postgres", "postgres", "");
    }
}
