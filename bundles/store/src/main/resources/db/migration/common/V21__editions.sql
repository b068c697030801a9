-- Reseller editions (docs/edition-sdk.md): each reseller is set to the edition its customers get
-- (brand, terms, star table); NULL is the neutral default. An edition's mail shows its own sender.
ALTER TABLE resellers ADD COLUMN edition VARCHAR(40);
ALTER TABLE mail_outbox ADD COLUMN sender_address VARCHAR(254);
ALTER TABLE mail_outbox ADD COLUMN sender_name VARCHAR(200);
