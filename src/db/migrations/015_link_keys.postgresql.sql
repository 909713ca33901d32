-- SPDX-License-Identifier: EUPL-1.2
-- The link tables of the registrations reach their service through their registration:
-- their key (service_id, registration_id) to registration, whose own key to service
-- stays. A key of their own to service guarded nothing more and was checked for every
-- row written: about three per registration, a tenth of an import's time in a database
-- of several services (docs/PERFORMANCE.md, "Several services on PostgreSQL").
ALTER TABLE registration_advisor DROP CONSTRAINT IF EXISTS registration_advisor_service_id_fkey;
ALTER TABLE registration_institution DROP CONSTRAINT IF EXISTS registration_institution_service_id_fkey;
ALTER TABLE registration_count DROP CONSTRAINT IF EXISTS registration_count_service_id_fkey;
