-- SPDX-License-Identifier: EUPL-1.2
-- The aggregates behind the facts (docs/PERFORMANCE.md, "Aggregates kept under writes";
-- src/domain/aggregate.h): integer sums per school year, measure and key, that every
-- registration write changes by that registration's delta in the same transaction, so
-- that the facts of a year are formed from a few thousand rows instead of a pass over
-- all registrations. measure is enum agg_measure; k1 and k2 are database ids (line,
-- advisor, institution, trajectory, target group), a week of the school year or a
-- modality, 0 when unused. value is minutes, advisor-minutes, a count or a head count.
CREATE TABLE agg (
  school_year INTEGER NOT NULL,
  measure INTEGER NOT NULL,
  k1 BIGINT NOT NULL,
  k2 BIGINT NOT NULL,
  value BIGINT NOT NULL,
  PRIMARY KEY (school_year, measure, k1, k2)
) WITHOUT ROWID;

-- valid = 1: agg holds exactly the sums of the stored registrations, and every write
-- keeps it so. valid = 0 (a database that had registrations before this migration):
-- the facts are computed from the registrations until `bereik aggregates rebuild` (or
-- serve, init and import, which rebuild it) fills agg and sets valid.
CREATE TABLE agg_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  valid INTEGER NOT NULL
);
INSERT INTO agg_state (id, valid)
SELECT 1, CASE WHEN EXISTS (SELECT 1 FROM registration) THEN 0 ELSE 1 END;
