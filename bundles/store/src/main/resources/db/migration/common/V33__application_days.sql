-- The portal's applications page (docs/store.md "Application days", docs/portal.md "Applications"):
-- connections per customer, appliance, Japanese day, application and client, kept in the ingest
-- transaction from the access-log events of application identification that batch really inserted
-- (a replay counts nothing twice). One row per client, so a period's distinct clients can be counted;
-- connections are the events' occurrences (an appliance folds an application per client and window,
-- docs/spool-and-uplink.md). rule_id is the engine's app:<category>:<slug>; app_name its name, the
-- latest one seen. jst_day: days since 1970-01-01 in Japan (+09:00 all year). Retention removes the
-- days before the first kept (UTC) day with the events; erasing a customer removes its rows.
CREATE TABLE application_days (
    customer_id   BIGINT NOT NULL,
    appliance_id  CHAR(12) NOT NULL,
    jst_day       BIGINT NOT NULL,
    rule_id       VARCHAR(512) NOT NULL,
    client        VARCHAR(45) NOT NULL,
    app_name      VARCHAR(512) NOT NULL,
    connections   BIGINT NOT NULL,
    CONSTRAINT application_days_pk PRIMARY KEY (customer_id, appliance_id, jst_day, rule_id, client)
);
-- Retention removes whole days.
CREATE INDEX application_days_day ON application_days (jst_day);

INSERT INTO application_days (customer_id, appliance_id, jst_day, rule_id, client, app_name, connections)
SELECT customer_id, appliance_id, CAST(FLOOR((EXTRACT(EPOCH FROM event_time) + 32400) / 86400) AS BIGINT), rule_id,
       source, MAX(rule_name), SUM(occurrences)
FROM events WHERE kind = 'access' AND security_function = 'application-identification'
GROUP BY customer_id, appliance_id, CAST(FLOOR((EXTRACT(EPOCH FROM event_time) + 32400) / 86400) AS BIGINT), rule_id, source;
