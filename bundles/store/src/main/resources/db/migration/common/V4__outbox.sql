-- The mail outbox (org.omamori.notify.Outbox): one row per key; id = OutboxEntry.idOf(key).
-- state PENDING: due when next_attempt <= now and no lease runs (lease_until null or passed);
-- due() claims rows by setting lease_until and a fresh lease_token in one UPDATE, then reads back
-- the rows with its token. SENT and GIVEN_UP rows stay for operators and are never due again.
-- Recipients are the addresses, one a line (an address has no white space).
CREATE TABLE mail_outbox (
    id               UUID PRIMARY KEY,
    mail_key         VARCHAR(65535) NOT NULL,
    recipients       VARCHAR(4000) NOT NULL,
    subject          VARCHAR(4000) NOT NULL,
    body             VARCHAR(1000000) NOT NULL,
    created_at       TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    state            VARCHAR(16) NOT NULL,
    next_attempt     TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    lease_until      TIMESTAMP(6) WITH TIME ZONE,
    lease_token      UUID,
    attempts         INTEGER NOT NULL,
    last_attempt_at  TIMESTAMP(6) WITH TIME ZONE,
    last_error       VARCHAR(2000),
    sent_at          TIMESTAMP(6) WITH TIME ZONE,
    CONSTRAINT mail_outbox_state CHECK (state IN ('PENDING', 'SENT', 'GIVEN_UP'))
);
CREATE INDEX mail_outbox_due ON mail_outbox (state, next_attempt);
