-- customerOverview counts each visible customer's open, unsuppressed HIGH/MEDIUM alerts raised within
-- 90 days: every alert partition of the period is read, so read a narrow partial index instead of the
-- rows (index-only: customer, grade, times and id, the columns the query filters and groups on).
-- The query inlines the literals (state, grades) so that any plan, generic too, matches the predicate.
-- PostgreSQL only: H2 has no partial indexes (and no partitions).
CREATE INDEX alerts_open_important ON alerts (customer_id) INCLUDE (grade, first_time, last_time, id)
    WHERE state = 'OPEN' AND suppressed_by IS NULL AND grade IN ('HIGH', 'MEDIUM');
