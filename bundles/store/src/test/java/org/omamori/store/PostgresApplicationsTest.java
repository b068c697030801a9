package org.omamori.store;

/** {@link Applications} on PostgreSQL at 127.0.0.1:5432, a fresh database per test (as {@link PostgresStatisticsTest}). */
class PostgresApplicationsTest extends ApplicationsContract {

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
            database = null;
        }
    }
}
