package org.omamori.store;

/** {@link Reports} on PostgreSQL at 127.0.0.1:5432, a fresh database per test (as {@link PostgresStatisticsTest}). */
class PostgresReportsTest extends ReportsContract {

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
