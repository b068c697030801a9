package org.omamori.store;

/**
 * {@link Rmas} on PostgreSQL at 127.0.0.1:5432 (user postgres, trust), a fresh database per
 * test, dropped after. No PostgreSQL: these tests fail, on purpose (CI has one).
 */
class PostgresRmasTest extends RmasContract {

    private TestPostgres database;

    @Override
    StoreSettings settings() throws Exception {
        database = TestPostgres.create();
        return database.settings(8);
    }

    @Override
    void dispose() throws Exception {
        if (database != null) {
            database.close();
            database = null;
        }
    }
}
