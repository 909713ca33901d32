// SPDX-License-Identifier: EUPL-1.2
// GET /api/v1/views (docs/VIEWS.md, docs/API.md): the management views in the scope each
// role steers. The role matrix: no token 401; an advisor sees themselves (scope advisor,
// their own hours per line, no quality reserve, only their own spend); a coordinator the
// members of their teams (scope team: every advisor named is a member); the director and
// the admin the organisation, whose numbers are the facts' (bereik report): KLV hours and
// registered hours per line, the professional-development average (the report's row).
// A malformed year is 400. Every response is checked against the OpenAPI document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, sql, factsCsv } from './lib.mjs';

const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Brussels' }); // the server's today
const schoolYear = (() => {
  const [y, m] = today.split('-').map(Number);
  const first = m >= 9 ? y : y - 1;
  return `${first}-${first + 1}`;
})();
const first = `${schoolYear.slice(0, 4)}-09-01`;
const last = `${schoolYear.slice(5)}-08-31`;
const close = (a, b) => Math.abs(a - b) < 1e-6;

test('without a token: 401; a malformed year: 400', async () => {
  assert.equal((await call('anon', 'GET', '/api/v1/views')).status, 401);
  const bad = await call('directie', 'GET', '/api/v1/views?year=2025');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.errors[0].field, 'year');
});

test('the role matrix: advisor, team, organisation', async () => {
  const scopes = { begeleider: 'advisor', coordinator: 'team', directie: 'organisation', admin: 'organisation' };
  for (const [role, scope] of Object.entries(scopes)) {
    const r = await call(role, 'GET', '/api/v1/views');
    assert.equal(r.status, 200, role);
    assert.equal(r.json.scope, scope, role);
    assert.equal(r.json.school_year, schoolYear, `${role}: the current school year by default`);
    assert.equal(r.json.non_classroom.quality_reserve === null, scope !== 'organisation', role);
  }
});

test('the organisation: the facts of the report, per line and the pd average', async () => {
  const v = (await call('directie', 'GET', `/api/v1/views?year=${schoolYear}`)).json;
  const f = factsCsv(schoolYear);
  assert.ok(v.klv_by_line.length > 0);
  for (const l of v.klv_by_line) {
    assert.ok(close(l.klv_hours, f.get(`klv,${schoolYear},line:${l.code},klv_hours`) ?? 0), `${l.code} klv_hours`);
    assert.ok(close(l.registered_hours, f.get(`klv,${schoolYear},line:${l.code},registered_hours`) ?? 0),
      `${l.code} registered_hours`);
    assert.ok(l.weeks.length >= 1);
    const weekly = l.weeks.reduce((s, w) => s + w.registered_hours, 0);
    assert.ok(weekly <= l.registered_hours + 1e-9, `${l.code}: the weeks so far hold at most the year`);
  }
  const avg = f.get(`pd_spend,${schoolYear},total,per_advisor`);
  if (avg === undefined) assert.equal(v.pd_spend.average_eur, null);
  else assert.ok(close(v.pd_spend.average_eur, avg), 'the average is the report\'s row');
  const hpf = Number(sql(`SELECT hours_per_fte FROM setting WHERE school_year = ${schoolYear.slice(0, 4)}`) || 1185);
  assert.ok(close(v.non_classroom.quality_reserve.target, 0.5 * hpf));
  const hits = v.goals.reduce((s, g) => s + g.hits, 0);
  assert.equal(hits, f.get(`hits,${schoolYear},total,hits`) ?? 0, 'the goals (and no goal) hold every hit');
});

test('an advisor: their own hours per line and only their own spend', async () => {
  const v = (await call('begeleider', 'GET', '/api/v1/views')).json;
  const code = sql("SELECT a.code FROM app_user u JOIN advisor a ON a.id = u.advisor_id WHERE u.login = 'begeleider'");
  const rows = sql(`SELECT l.code, SUM(r.minutes) FROM registration r
    JOIN registration_advisor ra ON ra.registration_id = r.id JOIN advisor a ON a.id = ra.advisor_id
    JOIN line l ON l.id = r.line_id WHERE a.code = '${code}' AND r.date BETWEEN '${first}' AND '${last}'
    GROUP BY l.code`).split('\n').filter(Boolean).map((x) => x.split('|'));
  const want = new Map(rows.map(([l, m]) => [l, Number(m) / 60]));
  assert.deepEqual(v.klv_by_line.map((l) => l.code).sort(), [...want.keys()].sort());
  for (const l of v.klv_by_line) assert.ok(close(l.registered_hours, want.get(l.code)), l.code);
  for (const p of v.pd_spend.advisors) assert.equal(p.advisor, code);
  for (const s of v.advisor_split.rows) assert.equal(s.advisor, code);
});

test('a coordinator: the members of their teams only', async () => {
  const v = (await call('coordinator', 'GET', '/api/v1/views')).json;
  const members = new Set(sql(`SELECT DISTINCT a.code FROM app_user u JOIN team_member mine ON mine.advisor_id = u.advisor_id
    JOIN team_member tm ON tm.team_id = mine.team_id JOIN advisor a ON a.id = tm.advisor_id
    WHERE u.login = 'coordinator'`).split('\n').filter(Boolean));
  assert.ok(members.size > 1);
  for (const p of v.pd_spend.advisors) assert.ok(members.has(p.advisor), p.advisor);
  for (const s of v.advisor_split.rows) assert.ok(members.has(s.advisor), s.advisor);
  const org = (await call('directie', 'GET', '/api/v1/views')).json;
  const orgHours = new Map(org.klv_by_line.map((l) => [l.code, l.registered_hours]));
  for (const l of v.klv_by_line) assert.ok(l.registered_hours <= orgHours.get(l.code) + 1e-9, l.code);
  assert.ok(v.pd_spend.advisors_employed <= members.size);
});
