-- What the appliance did with the event that opened the alert (pass, block, neutralise...), kept
-- on the alert when grading inserts it: an alert page showed it by reading each row's opening event
-- from events, one more statement over many daily partitions per page (docs/store.md "Statistics").
-- Existing alerts take it from their opening event (of the alert's own appliance first, as
-- AlertRows.opening reads it); an alert whose event retention already removed keeps NULL.
ALTER TABLE alerts ADD COLUMN opening_result VARCHAR(16);
-- [jooq ignore start]
UPDATE alerts SET opening_result = (
    SELECT e.result FROM events e
    WHERE e.id = alerts.facts_event AND e.customer_id = alerts.customer_id
    ORDER BY CASE WHEN e.appliance_id = alerts.appliance_id THEN 0 ELSE 1 END, e.appliance_id
    LIMIT 1);
-- [jooq ignore stop]
