package org.omamori.scheduler;

import org.omamori.store.Store;
import org.omamori.store.TestPostgres;

/**
 * {@link JobsContract} on PostgreSQL at 127.0.0.1:5432 (user postgres, trust), two nodes on a
 * database made for each test and dropped after. No PostgreSQL: these tests fail, on purpose (CI
 * has one). Override with -Domamori.test.postgres=jdbc:postgresql://host:port/.
 */
class PostgresJobsTest extends JobsContract {

    private TestPostgres database;

    @Override
    Store openStore() throws Exception {
        if (database == null) {
            database = TestPostgres.create();
        }
        return Store.open(database.settings(4));
    }

    @Override
    int nodes() {
        return 2;
    }

    @Override
    void dispose() throws Exception {
        if (database != null) {
            database.close();
        }
    }
}
