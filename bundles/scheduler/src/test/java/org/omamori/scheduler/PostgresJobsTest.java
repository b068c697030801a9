package org.omamori.scheduler;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

import org.omamori.store.Store;
import org.omamori.store.StoreSettings;

/**
 * {@link JobsContract} on PostgreSQL at 127.0.0.1:5432 (user postgres, trust), two nodes on a
 * database made for each test and dropped after. No PostgreSQL: these tests fail, on purpose (CI
 * has one). Override with -Domamori.test.postgres=jdbc:postgresql://host:port/.
 */
class PostgresJobsTest extends JobsContract {

    static final String SERVER = System.getProperty("omamori.test.postgres", "jdbc:postgresql://127.0.0.1:5432/");
    private String database;

    @Override
    Store openStore() throws Exception {
        if (database == null) {
            String name = "omamori_test_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
            try (Connection c = admin(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            } catch (SQLException e) {
                throw new IllegalStateException("PostgreSQL is needed for these tests and was not reachable at " + SERVER
                        + " as user postgres (" + e.getMessage() + "); start it: pg_ctlcluster <version> main start", e);
            }
            database = name;
        }
        return Store.open(new StoreSettings(SERVER + database, "postgres", "", 4));
    }

    @Override
    int nodes() {
        return 2;
    }

    @Override
    void dispose() throws Exception {
        if (database != null) {
            try (Connection c = admin(); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection(SERVER + "postgres", "postgres", "");
    }
}
