package org.omamori.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A database of its own for one test on the PostgreSQL at 127.0.0.1:5432 (user postgres, trust),
 * made on demand and dropped by {@link #close}. No PostgreSQL: the tests fail, on purpose (CI has
 * one). Override the server with -Domamori.test.postgres=jdbc:postgresql://host:port/ (the
 * database name is appended). Shared with other modules' tests through the store's test jar.
 */
public final class TestPostgres implements AutoCloseable {

    public static final String SERVER = System.getProperty("omamori.test.postgres", "jdbc:postgresql://127.0.0.1:5432/");

    private final String database;

    private TestPostgres(String database) {
        this.database = database;
    }

    /** A fresh, empty database. */
    public static TestPostgres create() {
        String name = "omamori_test_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL is needed for these tests and was not reachable at " + SERVER
                    + " as user postgres (" + e.getMessage() + "); start it: pg_ctlcluster <version> main start", e);
        }
        return new TestPostgres(name);
    }

    /** Settings for the store on this database with a pool of {@code poolSize}. */
    public StoreSettings settings(int poolSize) {
        return new StoreSettings(SERVER + database, "postgres", "", poolSize);
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection(SERVER + "postgres", "postgres", "");
    }
}
