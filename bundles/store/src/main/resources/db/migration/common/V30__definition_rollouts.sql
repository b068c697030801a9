-- Staged rollout of a definitions package (docs/definitions.md "Staged rollout"): CANARY serves it only
-- to its canaries (a percentage of the fleet, picked by a stable hash, or named appliances); GENERAL to
-- every appliance; STOPPED after a canary failed with it; WITHDRAWN by the operator (rolled back).
ALTER TABLE definition_packages ADD COLUMN rollout VARCHAR(12) DEFAULT 'GENERAL' NOT NULL;
ALTER TABLE definition_packages ADD COLUMN canary_percent INT;
ALTER TABLE definition_packages ADD COLUMN canary_appliances VARCHAR(2000);
ALTER TABLE definition_packages ADD COLUMN rollout_at TIMESTAMP(6) WITH TIME ZONE;
ALTER TABLE definition_packages ADD COLUMN rollout_note VARCHAR(1000);
