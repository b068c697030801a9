-- Appliances whose customer's contract ended and whose data was destroyed (Tenants.erase): when
-- one comes back (RMA), its disk is to be wiped before it serves anyone again. Only the id and the
-- day: nothing that names the customer (docs/store.md "Contract end").
CREATE TABLE appliances_to_erase (
    appliance_id  CHAR(12) PRIMARY KEY,
    ended_at      TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    erased_at     TIMESTAMP(6) WITH TIME ZONE
);
