-- Notices of changes (docs/notices.md): besides maintenance and failures, announcements of a
-- specification change, a terms change and the abolition of the service, each with the day it
-- takes effect; a maintenance may be emergency work, announced at short notice and marked so.
ALTER TABLE announcements ADD COLUMN emergency BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE announcements ADD COLUMN effective_on DATE;
ALTER TABLE announcements DROP CONSTRAINT announcements_kind;
ALTER TABLE announcements ADD CONSTRAINT announcements_kind
    CHECK (kind IN ('MAINTENANCE', 'FAILURE', 'SPEC_CHANGE', 'TERMS_CHANGE', 'ABOLITION'));
ALTER TABLE announcements DROP CONSTRAINT announcements_period;
ALTER TABLE announcements ADD CONSTRAINT announcements_period CHECK (
    (kind = 'FAILURE' AND (starts_at IS NULL OR ends_at IS NULL OR ends_at > starts_at))
    OR (kind = 'MAINTENANCE' AND starts_at IS NOT NULL AND ends_at IS NOT NULL AND ends_at > starts_at)
    OR (kind IN ('SPEC_CHANGE', 'TERMS_CHANGE', 'ABOLITION') AND effective_on IS NOT NULL));
