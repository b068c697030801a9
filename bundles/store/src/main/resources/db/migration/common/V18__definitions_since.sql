-- When the appliance's definition versions (heartbeats.definitions_json) last changed, as the cloud
-- saw it: the reseller overview shows each customer's stalest appliance as the definitions' age
-- (docs/store.md "Reseller overview"). A heartbeat only names versions, so this is the one age the
-- cloud can know. Rows already kept start from their last heartbeat.
ALTER TABLE heartbeats ADD COLUMN definitions_since TIMESTAMP(6) WITH TIME ZONE;
UPDATE heartbeats SET definitions_since = received_at;
ALTER TABLE heartbeats ALTER COLUMN definitions_since SET NOT NULL;
