-- One row per event (org.omamori.events.Event), keyed by the id the appliance made (UUIDv7), so
-- a replayed batch stores nothing twice. customer_id is copied from the appliance at ingest: every
-- read is scoped by it, and statistics count by it without a join.
-- On PostgreSQL, V2_1 (db/migration/postgresql) turns this table into one partitioned by id range,
-- one partition per UTC day of the id's time; the columns are defined here only.
CREATE TABLE events (
    id                UUID NOT NULL,
    customer_id       BIGINT NOT NULL,
    appliance_id      CHAR(12) NOT NULL,
    event_time        TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    received_at       TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    kind              VARCHAR(16) NOT NULL,
    zone_from         VARCHAR(32) NOT NULL,
    zone_to           VARCHAR(32) NOT NULL,
    source            VARCHAR(45) NOT NULL,
    source_port       INTEGER NOT NULL,
    destination       VARCHAR(45) NOT NULL,
    destination_port  INTEGER NOT NULL,
    mac               VARCHAR(17) NOT NULL,
    host              VARCHAR(255) NOT NULL,
    url               VARCHAR(2048) NOT NULL,
    dns_name          VARCHAR(255) NOT NULL,
    security_function VARCHAR(64) NOT NULL,
    engine_id         VARCHAR(512) NOT NULL,
    engine_version    VARCHAR(512) NOT NULL,
    rule_id           VARCHAR(512) NOT NULL,
    rule_name         VARCHAR(512) NOT NULL,
    result            VARCHAR(16) NOT NULL,
    severity          VARCHAR(16) NOT NULL,
    confidence        INTEGER NOT NULL,
    evidence          VARCHAR(64) NOT NULL,
    note              VARCHAR(512) NOT NULL,
    CONSTRAINT events_pk PRIMARY KEY (id)
);
CREATE INDEX events_customer_time ON events (customer_id, event_time);
CREATE INDEX events_appliance_time ON events (appliance_id, event_time);
