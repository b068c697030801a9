-- The last heartbeat of each appliance (docs/api/uplink.yaml Heartbeat) and when the cloud got it:
-- the liveness check and the portal's appliance list read received_at. The maps are JSON objects.
CREATE TABLE heartbeats (
    appliance_id      CHAR(12) PRIMARY KEY REFERENCES appliances (id),
    received_at       TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    sent_at           TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    started_at        TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    firmware_version  VARCHAR(64) NOT NULL,
    runtime_json      VARCHAR(8000) NOT NULL,
    definitions_json  VARCHAR(16000) NOT NULL,
    counters_json     VARCHAR(4000) NOT NULL
);
