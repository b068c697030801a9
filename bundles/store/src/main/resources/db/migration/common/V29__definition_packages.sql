-- Signed definitions packages published to the fleet (docs/definitions.md "From the cloud"): one row
-- per kind and version, the zip and its detached Ed25519 signature as the operator signed them; any
-- cloud node serves the newest of a kind. sort_key orders versions numerically (each part zero-padded
-- to 9 digits), so 1.10 comes after 1.9 in SQL.
CREATE TABLE definition_packages (
    kind          VARCHAR(16)  NOT NULL,
    version       VARCHAR(40)  NOT NULL,
    sort_key      VARCHAR(40)  NOT NULL,
    size          BIGINT       NOT NULL,
    sha256        VARCHAR(64)  NOT NULL,
    signature     VARCHAR(100) NOT NULL,
    content       BYTEA        NOT NULL,
    published_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    PRIMARY KEY (kind, version)
);
CREATE INDEX definition_packages_latest ON definition_packages (kind, sort_key);
