-- Each appliance's desired configuration as the cloud holds it (docs/fleet.md "Configuration from the
-- cloud"): one row per version, the whole settings map (JSON, keys sorted) and what changed, who changed
-- it and when. counted marks a change made on the customer's request, which counts against the
-- edition's monthly remote-change limit of the customer's contract.
CREATE TABLE appliance_settings (
    appliance_id  CHAR(12)       NOT NULL,
    version       INT            NOT NULL,
    customer_id   BIGINT         NOT NULL,
    settings      VARCHAR(65536) NOT NULL,
    changes       VARCHAR(65536) NOT NULL,
    changed_at    TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    changed_by    VARCHAR(200)   NOT NULL,
    note          VARCHAR(1000),
    counted       BOOLEAN        NOT NULL,
    PRIMARY KEY (appliance_id, version)
);
CREATE INDEX appliance_settings_month ON appliance_settings (customer_id, changed_at);

-- What the appliance last reported: the version in force, or the version it refused and why.
CREATE TABLE appliance_settings_state (
    appliance_id     CHAR(12) PRIMARY KEY,
    applied_version  INT,
    applied_at       TIMESTAMP(6) WITH TIME ZONE,
    refused_version  INT,
    refused_reason   VARCHAR(1000),
    reported_at      TIMESTAMP(6) WITH TIME ZONE NOT NULL
);
