-- Important alerts (org.omamori.grading.Alert), one row per alert id. The id is time-ordered
-- like an event id (AlertId: the first event's milliseconds, then a hash of rule and event), so
-- on PostgreSQL V5_1 partitions this table by id range per UTC day, as events, and retention
-- drops whole days. customer_id and appliance_id are copied at grading: every read is scoped.
-- facts_event is the event whose facts the alert keeps (the one that opened it); event_ids the
-- events that made it, oldest first, at most 100, space-separated.
CREATE TABLE alerts (
    id                UUID NOT NULL,
    customer_id       BIGINT NOT NULL,
    appliance_id      CHAR(12) NOT NULL,
    rule              VARCHAR(64) NOT NULL,
    grade             VARCHAR(32) NOT NULL,
    accumulated       BOOLEAN NOT NULL,
    host              VARCHAR(45) NOT NULL,
    host_mac          VARCHAR(17) NOT NULL,
    security_function VARCHAR(64) NOT NULL,
    engine_rule       VARCHAR(512) NOT NULL,
    target            VARCHAR(2048) NOT NULL,
    facts_event       UUID NOT NULL,
    first_time        TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    last_time         TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    event_count       BIGINT NOT NULL,
    event_ids         VARCHAR(4000) NOT NULL,
    suppressed_by     VARCHAR(64),
    -- OPEN; RESOLVED when an investigation ended (resolution: CONFIRMED or BENIGN)
    state             VARCHAR(16) NOT NULL,
    resolution        VARCHAR(16),
    resolved_at       TIMESTAMP(6) WITH TIME ZONE,
    -- under investigation: the cloud's engines and definitions it was last looked at with
    evaluated_with    VARCHAR(2000),
    created_at        TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    updated_at        TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT alerts_pk PRIMARY KEY (id),
    CONSTRAINT alerts_state CHECK (state IN ('OPEN', 'RESOLVED'))
);
CREATE INDEX alerts_customer_time ON alerts (customer_id, last_time);
CREATE INDEX alerts_appliance_time ON alerts (appliance_id, last_time);

-- Suppressions (org.omamori.grading.Suppression): a rule for one host or (host NULL) the whole
-- customer, with a reason and an end. Rows stay after they end, for the record.
CREATE TABLE suppressions (
    id           UUID PRIMARY KEY,
    customer_id  BIGINT NOT NULL REFERENCES customers (id),
    rule         VARCHAR(512) NOT NULL,
    host         VARCHAR(45),
    reason       VARCHAR(2000) NOT NULL,
    decided_by   VARCHAR(200) NOT NULL,
    valid_from   TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    valid_until  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    created_at   TIMESTAMP(6) WITH TIME ZONE NOT NULL
);
CREATE INDEX suppressions_customer ON suppressions (customer_id, valid_until);

-- Where a customer's mail goes (seed 000 §4.3: at most 3 addresses), in the order given.
CREATE TABLE recipients (
    customer_id  BIGINT NOT NULL REFERENCES customers (id),
    position     INTEGER NOT NULL,
    address      VARCHAR(254) NOT NULL,
    CONSTRAINT recipients_pk PRIMARY KEY (customer_id, position),
    CONSTRAINT recipients_position CHECK (position BETWEEN 1 AND 3)
);

-- Grading runs one customer at a time across all nodes: the ingest transaction locks the
-- customer's row (SELECT ... FOR UPDATE) and bumps grading_seq; a node whose cached grader
-- saw another sequence number rebuilds it from the store (the last 24 h of threat events).
ALTER TABLE customers ADD COLUMN grading_seq BIGINT DEFAULT 0 NOT NULL;

-- Alerts that mail and wait for their customer's batch (AlertBatch: the first waits the window).
-- Written in the transaction that stored the alert; deleted in the one that put the mail in the outbox.
CREATE TABLE pending_alert_mail (
    alert_id     UUID PRIMARY KEY,
    customer_id  BIGINT NOT NULL,
    queued_at    TIMESTAMP(6) WITH TIME ZONE NOT NULL
);
CREATE INDEX pending_alert_mail_customer ON pending_alert_mail (customer_id, queued_at);

-- Liveness (org.omamori.notify.Watch) of each appliance: the stop noticed and the mails about it.
-- Saved in the transaction that enqueued the notice, so a notice is decided once.
CREATE TABLE appliance_watch (
    appliance_id  CHAR(12) PRIMARY KEY REFERENCES appliances (id),
    monitored     BOOLEAN NOT NULL,
    silent_since  TIMESTAMP(6) WITH TIME ZONE,
    noticed_at    TIMESTAMP(6) WITH TIME ZONE,
    reminded_at   TIMESTAMP(6) WITH TIME ZONE
);

-- Where the appliance stands, as the customer named it (e.g. 本社 1F): mails show it.
ALTER TABLE appliances ADD COLUMN name VARCHAR(200) DEFAULT '' NOT NULL;
