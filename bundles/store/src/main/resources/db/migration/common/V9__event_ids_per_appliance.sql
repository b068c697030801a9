-- An event id is unique per appliance, not across the whole cloud: the idempotency key of ingest
-- is (appliance, id). With the id alone as key, an appliance of customer B posting an id that an
-- appliance of customer A had used was told "duplicate", its event was dropped, and B learnt that
-- the id existed. id comes first in the key, so ranges of ids (retention, partitions by day on
-- PostgreSQL, whose key must hold the partition column id) still use it.
ALTER TABLE events DROP CONSTRAINT events_pk;
ALTER TABLE events ADD CONSTRAINT events_pk PRIMARY KEY (id, appliance_id);

-- An alert id is made from a rule and its first event's id (org.omamori.grading.AlertId), so two
-- customers whose events share an id could make the same alert id: alerts and the mail queue are
-- keyed per customer, and every lookup of an alert names its customer.
ALTER TABLE alerts DROP CONSTRAINT alerts_pk;
ALTER TABLE alerts ADD CONSTRAINT alerts_pk PRIMARY KEY (id, customer_id);
-- pending_alert_mail's key had no name of its own (H2 and PostgreSQL name it differently): the
-- table is made again with a named key, its rows copied.
CREATE TABLE pending_alert_mail_v9 (
    alert_id     UUID NOT NULL,
    customer_id  BIGINT NOT NULL,
    queued_at    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT pending_alert_mail_pk PRIMARY KEY (customer_id, alert_id)
);
INSERT INTO pending_alert_mail_v9 (alert_id, customer_id, queued_at)
    SELECT alert_id, customer_id, queued_at FROM pending_alert_mail;
DROP TABLE pending_alert_mail;
ALTER TABLE pending_alert_mail_v9 RENAME TO pending_alert_mail;
CREATE INDEX pending_alert_mail_customer ON pending_alert_mail (customer_id, queued_at);
