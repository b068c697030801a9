-- The portal's counts of threats (dashboard, comparisons) per customer, Japanese day, appliance,
-- security function and result, kept in the ingest transaction from the threat events that batch
-- really inserted (a replay counts nothing twice), so a 30-day count reads a few hundred rows
-- instead of grouping a month of events over every partition (docs/store.md "Threat days").
-- jst_day: days since 1970-01-01 in Japan (+09:00 all year). Retention removes the days before the
-- first kept (UTC) day with the events.
CREATE TABLE threat_days (
    customer_id       BIGINT NOT NULL,
    jst_day           BIGINT NOT NULL,
    appliance_id      CHAR(12) NOT NULL,
    security_function VARCHAR(64) NOT NULL,
    result            VARCHAR(16) NOT NULL,
    threats           BIGINT NOT NULL,
    CONSTRAINT threat_days_pk PRIMARY KEY (customer_id, jst_day, appliance_id, security_function, result)
);
-- The peers' totals read every participant's days of a period.
CREATE INDEX threat_days_day ON threat_days (jst_day);

INSERT INTO threat_days (customer_id, jst_day, appliance_id, security_function, result, threats)
SELECT customer_id, CAST(FLOOR((EXTRACT(EPOCH FROM event_time) + 32400) / 86400) AS BIGINT), appliance_id,
       security_function, result, COUNT(*)
FROM events WHERE kind = 'threat'
GROUP BY customer_id, CAST(FLOOR((EXTRACT(EPOCH FROM event_time) + 32400) / 86400) AS BIGINT), appliance_id,
       security_function, result;
