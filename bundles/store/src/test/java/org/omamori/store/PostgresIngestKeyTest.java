package org.omamori.store;

/** The ingest key on PostgreSQL (a database made for this run, dropped after; see PostgresStoreTest). */
class PostgresIngestKeyTest extends IngestKeyContract {

    private TestPostgres database;

    @Override
    StoreSettings settings() throws Exception {
        database = TestPostgres.create();
        return database.settings(THREADS);
    }

    @Override
    void dispose() throws Exception {
        if (database != null) {
            database.close();
        }
    }
}
