package org.omamori.store;

/** The outbox on PostgreSQL (see {@link PostgresStoreTest}: a database made for this run and dropped after). */
class PostgresOutboxTest extends OutboxContract {

    private final PostgresStoreTest database = new PostgresStoreTest();

    @Override
    StoreSettings settings() throws Exception {
        return database.settings();
    }

    @Override
    void dispose() throws Exception {
        database.dispose();
    }
}
