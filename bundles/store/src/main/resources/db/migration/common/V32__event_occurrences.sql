-- An event may stand for several occurrences (event format 1.1, docs/api/uplink.yaml; the DNS
-- filter folds an allowed name per client and window, and a blocked name's repeats after the first,
-- docs/decisions/0028): occurrences is the event's count, last_time its last occurrence (event_time
-- is the first). Every row before this stood for one occurrence: the constant default costs
-- PostgreSQL no rewrite of the (partitioned) table, and last_time stays NULL where it is event_time,
-- so no row is rewritten either. Statistics sum occurrences instead of counting rows (docs/store.md).
ALTER TABLE events ADD COLUMN occurrences BIGINT DEFAULT 1 NOT NULL;
ALTER TABLE events ADD COLUMN last_time TIMESTAMP(6) WITH TIME ZONE;
