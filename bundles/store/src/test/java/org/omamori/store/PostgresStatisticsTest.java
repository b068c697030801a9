package org.omamori.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@link Statistics} on PostgreSQL at 127.0.0.1:5432 (user postgres, trust), a fresh database per
 * test, dropped after. No PostgreSQL: these tests fail, on purpose (CI has one). Override with
 * -Domamori.test.postgres=jdbc:postgresql://host:port/ (as {@link PostgresStoreTest}).
 */
class PostgresStatisticsTest extends StatisticsContract {

    private String database;

    @Override
    StoreSettings settings() throws Exception {
        database = "omamori_test_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL is needed for these tests and was not reachable at "
                    + PostgresStoreTest.SERVER + " as user postgres (" + e.getMessage()
                    + "); start it: pg_ctlcluster <version> main start", e);
        }
        return new StoreSettings(PostgresStoreTest.SERVER + database, "postgres", "", 4);
    }

    @Override
    void dispose() throws Exception {
        if (database != null) {
            try (Connection c = admin(); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
            database = null;
        }
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection(PostgresStoreTest.SERVER + "postgres", "postgres", "");
    }
}
