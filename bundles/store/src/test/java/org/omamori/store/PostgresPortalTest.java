package org.omamori.store;


/**
 * {@link PortalContract} on PostgreSQL at 127.0.0.1:5432 (user postgres, trust), a fresh database per
 * test, dropped after. No PostgreSQL: these tests fail, on purpose (CI has one). Override with
 * -Domamori.test.postgres=jdbc:postgresql://host:port/ (as {@link PostgresStoreTest}).
 */
class PostgresPortalTest extends PortalContract {

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
