-- SPDX-License-Identifier: EUPL-1.2
-- The aggregates (012) also keep the sums of the organisation's management views
-- (src/domain/aggregate.h: the measures after AGG_ADVISOR_DAY), so that a dashboard
-- formed again under a stream of writes reads them instead of passing over the year's
-- registrations. agg_state.valid = 2 says agg holds these too. A database with
-- registrations has to build them (serve, init, import and restore do, as
-- `bereik aggregates rebuild`); until then it is read the slow way. An empty one holds
-- them already.
UPDATE agg_state SET valid = CASE WHEN EXISTS (SELECT 1 FROM registration) THEN 0 ELSE 2 END WHERE valid = 1;
