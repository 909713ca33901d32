-- SPDX-License-Identifier: EUPL-1.2
-- The yearly report written by hand in plain SQL, as the baseline for bench/run.sh.
--
-- Computes, for every school year that has data (a registration, a plan row or a settings
-- row), the facts of spec/DATA-FORMAT.md section 2 with the definitions of spec/DOMAIN.md
-- sections 3-4, straight from the tables of src/db/migrations/001_init.sql, and prints them
-- in the long format (table, year, row, col, value). Run it with
--
--     sqlite3 -bail -csv -header X.db < bench/hand-report.sql
--
-- It is one read-only statement (SQLite 3.35+ for MATERIALIZED) that reads the
-- registrations twice: once through registration_institution, once through
-- registration_advisor; everything else is derived from those two small aggregates (plus
-- one pass over registration_count for the target groups). Facts whose value is 0
-- may be absent and ratios with a zero denominator are left out, as in the report. Minutes
-- are summed as integers and divided at the end. The school year of a date is
-- CAST(substr(date,1,4) AS INTEGER) - (CAST(substr(date,6,2) AS INTEGER) < 9).
--
-- Covered: fte, hits, client_hours, modality, target_groups, klv (total, unit, line, team,
-- advisor), klv_by_line, reach (all three reach rules), pd_spend.

WITH
-- Two passes over the registrations, through their link tables:
-- (1) one row per registration and institution of client registrations: minutes and hits
--     per year, institution, line, modality and trajectory bucket (the trajectory when it
--     belongs to that institution, else NULL: the `hours` reach rule counts per bucket);
ip AS MATERIALIZED (
  SELECT CAST(substr(r.date, 1, 4) AS INTEGER) - (CAST(substr(r.date, 6, 2) AS INTEGER) < 9) AS sy,
         ri.institution_id, r.line_id, r.modality,
         CASE WHEN t.institution_id = ri.institution_id THEN t.id END AS bucket,
         count(*) AS n, sum(r.minutes) AS m
  FROM registration_institution ri
  JOIN registration r ON r.id = ri.registration_id
  LEFT JOIN trajectory t ON t.id = r.trajectory_id
  WHERE r.kind = 'client'
  GROUP BY 1, 2, 3, 4, 5
),
-- (2) one row per registration and advisor: minutes per year, advisor, line and kind.
ap AS MATERIALIZED (
  SELECT CAST(substr(r.date, 1, 4) AS INTEGER) - (CAST(substr(r.date, 6, 2) AS INTEGER) < 9) AS sy,
         ra.advisor_id, r.line_id, r.kind = 'client' AS client, sum(r.minutes) AS m
  FROM registration_advisor ra
  JOIN registration r ON r.id = ra.registration_id
  GROUP BY 1, 2, 3, 4
),
yr AS MATERIALIZED (
  SELECT y.sy,
         y.sy || '-' || (y.sy + 1) AS label,
         printf('%04d-09-01', y.sy) AS d0,
         printf('%04d-08-31', y.sy + 1) AS d1,
         julianday(printf('%04d-08-31', y.sy + 1)) - julianday(printf('%04d-09-01', y.sy)) + 1 AS ndays,
         coalesce(s.hours_per_fte, 1185.0) AS hpf,
         coalesce(s.reach_rule, 'contact') AS rule,
         coalesce(s.reach_min_hours, 20) AS min_hours
  FROM (SELECT DISTINCT sy FROM ap
        UNION SELECT school_year FROM plan
        UNION SELECT school_year FROM setting) y
  LEFT JOIN setting s ON s.school_year = y.sy
),
-- minutes per line and year: client minutes (x institutions), klv and registered minutes
-- (x advisors)
ly AS MATERIALIZED (
  SELECT sy, line_id, sum(cm) AS client_min, sum(km) AS klv_min, sum(rm) AS reg_min
  FROM (SELECT sy, line_id, m AS cm, 0 AS km, 0 AS rm FROM ip
        UNION ALL
        SELECT sy, line_id, 0, CASE WHEN client THEN m ELSE 0 END, m FROM ap)
  GROUP BY sy, line_id
),
-- the line sets of the total rows
line_set(name, line_id, lkind, unit) AS (
  SELECT code, id, kind, unit FROM line
  UNION ALL SELECT 'total_plan', id, kind, unit FROM line WHERE kind = 'pillar'
  UNION ALL SELECT 'total_plan_projects', id, kind, unit FROM line WHERE kind IN ('pillar', 'project')
  UNION ALL SELECT 'total_all', id, kind, unit FROM line WHERE kind IN ('pillar', 'project')
  UNION ALL SELECT 'total', id, kind, unit FROM line
),
-- per line-set and year: minutes and plan
lsy AS MATERIALIZED (
  SELECT yr.sy, ls.name,
         coalesce(sum(ly.client_min), 0) AS client_min,
         coalesce(sum(ly.klv_min), 0) AS klv_min,
         coalesce(sum(ly.reg_min), 0) AS reg_min,
         (SELECT sum(p.planned_fte) FROM plan p JOIN line_set l2 ON l2.line_id = p.line_id
           WHERE l2.name = ls.name AND p.school_year = yr.sy) AS planned,
         (SELECT sum(p.coloured_fte) FROM plan p JOIN line_set l2 ON l2.line_id = p.line_id
           WHERE l2.name = ls.name AND p.school_year = yr.sy) AS coloured,
         count(ly.line_id) AS has_regs
  FROM yr CROSS JOIN line_set ls
  LEFT JOIN ly ON ly.sy = yr.sy AND ly.line_id = ls.line_id
  GROUP BY yr.sy, ls.name
),
tot AS MATERIALIZED (
  SELECT sy, client_min, klv_min FROM lsy WHERE name = 'total'
),
-- client minutes per line-set, modality and year
lm AS MATERIALIZED (
  SELECT sy, line_id, modality, sum(m) AS m FROM ip GROUP BY sy, line_id, modality
),
lmod AS MATERIALIZED (
  SELECT lm.sy, ls.name, lm.modality, sum(lm.m) AS m
  FROM lm JOIN line_set ls ON ls.line_id = lm.line_id
  WHERE ls.name <> 'total_all'
  GROUP BY lm.sy, ls.name, lm.modality
),
-- advisors: minutes per year, and employment
adv_min AS MATERIALIZED (
  SELECT sy, advisor_id,
         sum(CASE WHEN client THEN m ELSE 0 END) AS klv_min,
         sum(m) AS reg_min
  FROM ap GROUP BY sy, advisor_id
),
adv_year AS MATERIALIZED (
  SELECT yr.sy, a.id AS advisor_id, a.code,
         CASE WHEN coalesce(a.start_date, '0000-00-00') <= yr.d1
               AND coalesce(a.end_date, '9999-12-31') >= yr.d0
              THEN a.fte * yr.hpf
                   * (julianday(min(coalesce(a.end_date, yr.d1), yr.d1))
                      - julianday(max(coalesce(a.start_date, yr.d0), yr.d0)) + 1) / yr.ndays
              ELSE 0 END AS fte_hours,
         coalesce(a.start_date, '0000-00-00') <= yr.d1
           AND coalesce(a.end_date, '9999-12-31') >= yr.d0 AS employed,
         coalesce(am.klv_min, 0) AS klv_min,
         coalesce(am.reg_min, 0) AS reg_min,
         am.advisor_id IS NOT NULL AS has_regs
  FROM yr CROSS JOIN advisor a
  LEFT JOIN adv_min am ON am.sy = yr.sy AND am.advisor_id = a.id
),
-- klv rows: "scope" name, fte_hours, klv and registered minutes
klv_rows AS (
  SELECT t.sy, 'total' AS name, coalesce(pa.planned, 0) * yr.hpf AS fte_hours, t.klv_min, t.reg_min
  FROM lsy t JOIN lsy pa ON pa.sy = t.sy AND pa.name = 'total_all' JOIN yr ON yr.sy = t.sy
  WHERE t.name = 'total'
  UNION ALL
  SELECT yr.sy, 'unit:' || u.unit,
         coalesce((SELECT sum(p.planned_fte) FROM plan p JOIN line l ON l.id = p.line_id
                    WHERE p.school_year = yr.sy AND l.unit = u.unit AND l.kind IN ('pillar', 'project')), 0) * yr.hpf,
         coalesce((SELECT sum(ly.klv_min) FROM ly JOIN line l ON l.id = ly.line_id
                    WHERE ly.sy = yr.sy AND l.unit = u.unit), 0),
         coalesce((SELECT sum(ly.reg_min) FROM ly JOIN line l ON l.id = ly.line_id
                    WHERE ly.sy = yr.sy AND l.unit = u.unit), 0)
  FROM yr CROSS JOIN (SELECT 'pbd' AS unit UNION ALL SELECT 'poc') u
  UNION ALL
  SELECT lsy.sy, 'line:' || lsy.name, coalesce(lsy.planned, 0) * yr.hpf, lsy.klv_min, lsy.reg_min
  FROM lsy JOIN yr ON yr.sy = lsy.sy JOIN line l ON l.code = lsy.name
  WHERE lsy.has_regs > 0 OR lsy.planned IS NOT NULL
  UNION ALL
  SELECT ay.sy, 'team:' || t.code, sum(ay.fte_hours), sum(ay.klv_min), sum(ay.reg_min)
  FROM team t JOIN team_member tm ON tm.team_id = t.id
  JOIN adv_year ay ON ay.advisor_id = tm.advisor_id
  GROUP BY ay.sy, t.id
  HAVING max(ay.employed) = 1
  UNION ALL
  SELECT sy, 'advisor:' || code, fte_hours, klv_min, reg_min
  FROM adv_year WHERE employed OR has_regs
),
-- institutions: hits per year
hits AS MATERIALIZED (
  SELECT sy, institution_id, sum(n) AS hits FROM ip GROUP BY sy, institution_id
),
-- `trajectory` rule: trajectories with a client registration with follow-up, per year
traj_followup AS MATERIALIZED (
  SELECT DISTINCT CAST(substr(r.date, 1, 4) AS INTEGER) - (CAST(substr(r.date, 6, 2) AS INTEGER) < 9) AS sy, r.trajectory_id
  FROM registration r
  WHERE r.trajectory_id IS NOT NULL AND r.kind = 'client' AND r.followup = 1
),
-- `trajectory` rule: institutions with a running trajectory (meso or micro, shared goal and
-- action plan) that has such a registration in the year. One pass over the trajectories
-- (the table has no index on institution_id: a per-institution scan is quadratic)
traj_reached AS MATERIALIZED (
  SELECT DISTINCT yr.sy, t.institution_id
  FROM yr JOIN trajectory t
    ON coalesce(t.start_date, '0000-00-00') <= yr.d1
   AND coalesce(t.end_date, '9999-12-31') >= yr.d0
  WHERE yr.rule = 'trajectory'
    AND t.status <> 'planned'
    AND t.level IN ('meso', 'micro')
    AND trim(coalesce(t.shared_goal, '')) <> ''
    AND trim(coalesce(t.action_plan, '')) <> ''
    AND EXISTS (SELECT 1 FROM traj_followup tf WHERE tf.sy = yr.sy AND tf.trajectory_id = t.id)
),
-- own institutions that exist in the year (reach denominator) and whether they were reached
inst_year AS MATERIALIZED (
  SELECT yr.sy, i.id AS institution_id, s.grp,
         CASE yr.rule
           WHEN 'contact' THEN EXISTS (SELECT 1 FROM hits h WHERE h.sy = yr.sy AND h.institution_id = i.id)
           WHEN 'hours' THEN EXISTS (
             SELECT 1 FROM hours_bucket hb
             WHERE hb.sy = yr.sy AND hb.institution_id = i.id AND hb.m >= yr.min_hours * 60)
           WHEN 'trajectory' THEN EXISTS (
             SELECT 1 FROM traj_reached tr WHERE tr.sy = yr.sy AND tr.institution_id = i.id)
           ELSE 0 END AS reached
  FROM yr CROSS JOIN institution i
  JOIN sector s ON s.id = i.sector_id
  WHERE i.own = 1
    AND coalesce(i.start_date, '0000-00-00') <= yr.d1
    AND coalesce(i.end_date, '9999-12-31') >= yr.d0
),
-- `hours` rule: client minutes per institution and trajectory bucket (NULL = no trajectory)
hours_bucket AS MATERIALIZED (
  SELECT sy, institution_id, bucket, sum(m) AS m
  FROM ip
  WHERE sy IN (SELECT sy FROM yr WHERE rule = 'hours')
  GROUP BY sy, institution_id, bucket
),
-- head counts per target group and year
tg_reach AS MATERIALIZED (
  SELECT CAST(substr(r.date, 1, 4) AS INTEGER) - (CAST(substr(r.date, 6, 2) AS INTEGER) < 9) AS sy, rc.target_group_id, sum(rc.count) AS n
  FROM registration_count rc JOIN registration r ON r.id = rc.registration_id
  WHERE r.kind = 'client'
  GROUP BY 1, 2
),
facts(tbl, sy, row_name, col, value) AS (
  -- fte ---------------------------------------------------------------------------------
  SELECT 'fte', lsy.sy, lsy.name, 'planned_fte', lsy.planned
  FROM lsy JOIN line l ON l.code = lsy.name WHERE lsy.planned IS NOT NULL
  UNION ALL SELECT 'fte', lsy.sy, lsy.name, 'coloured_fte', lsy.coloured
  FROM lsy JOIN line l ON l.code = lsy.name WHERE lsy.coloured IS NOT NULL
  UNION ALL SELECT 'fte', lsy.sy, lsy.name, 'realized_fte', lsy.reg_min / 60.0 / yr.hpf
  FROM lsy JOIN yr ON yr.sy = lsy.sy JOIN line l ON l.code = lsy.name
  WHERE lsy.has_regs > 0
  UNION ALL SELECT 'fte', lsy.sy, lsy.name, 'realization_pct', lsy.reg_min / 60.0 / yr.hpf / lsy.planned
  FROM lsy JOIN yr ON yr.sy = lsy.sy JOIN line l ON l.code = lsy.name
  WHERE lsy.planned > 0
  UNION ALL SELECT 'fte', lsy.sy, lsy.name, v.col,
         CASE v.col WHEN 'planned_fte' THEN coalesce(lsy.planned, 0)
                    WHEN 'coloured_fte' THEN coalesce(lsy.coloured, 0)
                    WHEN 'realized_fte' THEN lsy.reg_min / 60.0 / yr.hpf
                    ELSE lsy.reg_min / 60.0 / yr.hpf / lsy.planned END
  FROM lsy JOIN yr ON yr.sy = lsy.sy
  CROSS JOIN (SELECT 'planned_fte' AS col UNION ALL SELECT 'coloured_fte'
              UNION ALL SELECT 'realized_fte' UNION ALL SELECT 'realization_pct') v
  WHERE lsy.name IN ('total_plan', 'total_all') AND (v.col <> 'realization_pct' OR lsy.planned > 0)
  -- hits --------------------------------------------------------------------------------
  UNION ALL SELECT 'hits', h.sy, i.code, 'hits', h.hits
  FROM hits h JOIN institution i ON i.id = h.institution_id
  UNION ALL SELECT 'hits', h.sy, s.grp, 'hits', sum(h.hits)
  FROM hits h JOIN institution i ON i.id = h.institution_id JOIN sector s ON s.id = i.sector_id
  WHERE coalesce(s.grp, '') <> '' GROUP BY h.sy, s.grp
  UNION ALL SELECT 'hits', sy, 'total', 'hits', sum(hits) FROM hits GROUP BY sy
  -- client_hours and klv_by_line ---------------------------------------------------------
  UNION ALL SELECT 'client_hours', lsy.sy, lsy.name, 'hours', lsy.client_min / 60.0
  FROM lsy WHERE lsy.name <> 'total_all'
  UNION ALL SELECT 'client_hours', lsy.sy, lsy.name, 'share', CAST(lsy.client_min AS REAL) / tot.client_min
  FROM lsy JOIN tot ON tot.sy = lsy.sy WHERE lsy.name <> 'total_all' AND tot.client_min > 0
  UNION ALL SELECT 'klv_by_line', lsy.sy, lsy.name, 'hours', lsy.klv_min / 60.0
  FROM lsy WHERE lsy.name = 'total' OR lsy.name IN (SELECT code FROM line)
  UNION ALL SELECT 'klv_by_line', lsy.sy, lsy.name, 'share', CAST(lsy.klv_min AS REAL) / tot.klv_min
  FROM lsy JOIN tot ON tot.sy = lsy.sy
  WHERE (lsy.name = 'total' OR lsy.name IN (SELECT code FROM line)) AND tot.klv_min > 0
  -- modality ----------------------------------------------------------------------------
  UNION ALL SELECT 'modality', lmod.sy, lmod.name, lmod.modality, CAST(lmod.m AS REAL) / lsy.client_min
  FROM lmod JOIN lsy ON lsy.sy = lmod.sy AND lsy.name = lmod.name
  WHERE lsy.client_min > 0
  -- target_groups -----------------------------------------------------------------------
  UNION ALL SELECT 'target_groups', tgr.sy, tg.code, 'reach', tgr.n
  FROM tg_reach tgr JOIN target_group tg ON tg.id = tgr.target_group_id
  UNION ALL SELECT 'target_groups', sy, 'total', 'reach', sum(n)
  FROM tg_reach GROUP BY sy
  UNION ALL SELECT 'target_groups', t.school_year, tg.code, 'target', t.target
  FROM target t JOIN target_group tg ON tg.id = t.target_group_id
  WHERE t.school_year IN (SELECT sy FROM yr)
  -- klv ---------------------------------------------------------------------------------
  UNION ALL SELECT 'klv', k.sy, k.name, v.col,
         CASE v.col WHEN 'fte_hours' THEN k.fte_hours
                    WHEN 'klv_hours' THEN k.klv_min / 60.0
                    WHEN 'registered_hours' THEN k.reg_min / 60.0
                    WHEN 'klv_pct' THEN k.klv_min / 60.0 / k.fte_hours
                    ELSE CAST(k.klv_min AS REAL) / k.reg_min END
  FROM klv_rows k
  CROSS JOIN (SELECT 'fte_hours' AS col UNION ALL SELECT 'klv_hours' UNION ALL SELECT 'registered_hours'
              UNION ALL SELECT 'klv_pct' UNION ALL SELECT 'klv_pct_registered') v
  WHERE (v.col <> 'klv_pct' OR k.fte_hours > 0) AND (v.col <> 'klv_pct_registered' OR k.reg_min > 0)
  -- reach -------------------------------------------------------------------------------
  UNION ALL SELECT 'reach', sy, grp, v.col,
         CASE v.col WHEN 'institutions' THEN n WHEN 'reached' THEN reached
                    ELSE CAST(reached AS REAL) / n END
  FROM (SELECT sy, grp, count(*) AS n, sum(reached) AS reached FROM inst_year
        WHERE coalesce(grp, '') <> '' GROUP BY sy, grp
        UNION ALL
        SELECT sy, 'total', count(*), sum(reached) FROM inst_year GROUP BY sy)
  CROSS JOIN (SELECT 'institutions' AS col UNION ALL SELECT 'reached' UNION ALL SELECT 'reach_pct') v
  -- pd_spend ----------------------------------------------------------------------------
  UNION ALL SELECT 'pd_spend', p.school_year, a.code, 'amount_eur', sum(p.amount_eur)
  FROM pd_spend p JOIN advisor a ON a.id = p.advisor_id
  WHERE p.school_year IN (SELECT sy FROM yr) GROUP BY p.school_year, a.id
  UNION ALL SELECT 'pd_spend', p.school_year, 'total', 'amount_eur', sum(p.amount_eur)
  FROM pd_spend p WHERE p.school_year IN (SELECT sy FROM yr) GROUP BY p.school_year
  UNION ALL SELECT 'pd_spend', p.school_year, 'total', 'per_advisor',
         sum(p.amount_eur) / (SELECT count(*) FROM adv_year ay WHERE ay.sy = p.school_year AND ay.employed)
  FROM pd_spend p WHERE p.school_year IN (SELECT sy FROM yr) GROUP BY p.school_year
  HAVING (SELECT count(*) FROM adv_year ay WHERE ay.sy = p.school_year AND ay.employed) > 0
)
SELECT f.tbl AS "table", yr.label AS year, f.row_name AS "row", f.col, f.value
FROM facts f JOIN yr ON yr.sy = f.sy
WHERE f.value IS NOT NULL;
