// SPDX-License-Identifier: EUPL-1.2
// GET /api/v1/quality (issue 17, docs/QUALITY.md, docs/API.md): the access matrix (an
// advisor only their own row and findings, a coordinator the teams of their advisor
// record and those teams' members, the director everybody and the total), the counts
// agreeing with the findings listed, a bad year refused; and the server-set times of a
// registration: set by the API on create (created_at = updated_at), updated_at moved on a
// change while created_at stays, both left alone by a dataset import, and the new
// registration counted with a known lag. Every response is checked against the OpenAPI
// document (lib.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, sql, bereik } from './lib.mjs';

const one = (q) => sql(q).split('\n')[0];
const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Brussels' });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const sum = (rows, k) => rows.reduce((s, x) => s + x[k], 0);

test('quality: who sees what', async () => {
  assert.equal((await call('anon', 'GET', '/api/v1/quality')).status, 401);
  const bad = await call('directie', 'GET', '/api/v1/quality?year=2025');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.errors[0].field, 'year');

  const adv = (await call('begeleider', 'GET', '/api/v1/quality')).json;
  const coord = (await call('coordinator', 'GET', '/api/v1/quality')).json;
  const dir = (await call('directie', 'GET', '/api/v1/quality')).json;
  const admin = (await call('admin', 'GET', '/api/v1/quality')).json;
  // the current school year by default, the same for everyone
  for (const x of [adv, coord, dir]) {
    assert.equal(x.school_year, dir.school_year);
    assert.equal(x.today, today);
  }
  // an advisor (BC): no teams, one row (their own), no total, only their own findings
  assert.equal(adv.total, null);
  assert.deepEqual(adv.teams, []);
  assert.deepEqual(adv.advisors.map((a) => a.code), ['BC']);
  for (const f of [...adv.days_without, ...adv.days_over]) assert.equal(f.advisor, 'BC');
  for (const g of adv.duplicates) assert.ok(g.advisors.includes('BC'));
  // a coordinator (AP): AP's teams, their members, no total
  const apTeams = sql("SELECT t.code FROM team t JOIN team_member m ON m.team_id = t.id JOIN advisor a ON a.id = m.advisor_id WHERE a.code = 'AP' ORDER BY t.code").split('\n');
  assert.deepEqual(coord.teams.map((t) => t.code).sort(), apTeams);
  const members = new Set(sql(`SELECT DISTINCT a.code FROM advisor a JOIN team_member m ON m.advisor_id = a.id JOIN team t ON t.id = m.team_id WHERE t.code IN (${apTeams.map((c) => `'${c}'`).join(',')})`).split('\n'));
  assert.ok(coord.advisors.length > 1);
  for (const a of coord.advisors) assert.ok(members.has(a.code), `${a.code} is not in AP's teams`);
  for (const f of coord.days_without) assert.ok(members.has(f.advisor));
  assert.equal(coord.total, null);
  // the director and admins: every team, the total
  assert.equal(dir.teams.length, Number(one('SELECT COUNT(*) FROM team')));
  assert.notEqual(dir.total, null);
  assert.deepEqual(admin.total, dir.total);
  // the counts agree with the findings listed and with each other
  assert.equal(dir.total.days_without, dir.days_without.length);
  assert.equal(dir.total.days_without, sum(dir.advisors, 'days_without'));
  assert.equal(dir.total.days_over, dir.days_over.length);
  assert.equal(dir.total.duplicate_groups, dir.duplicates.length);
  assert.equal(dir.total.duplicate_registrations, dir.duplicates.reduce((s, g) => s + g.registrations.length, 0));
  const bc = dir.advisors.find((a) => a.code === 'BC');
  assert.deepEqual(adv.advisors[0], bc);
  assert.equal(dir.days_without.filter((f) => f.advisor === 'BC').length, bc.days_without);
  // each day without registrations: a weekday up to today, not in a holiday, not a day off
  const holidays = sql('SELECT start_date, end_date FROM holiday').split('\n').map((l) => l.split('|'));
  const off = new Set(sql("SELECT a.code || ' ' || d.date FROM advisor_day_off d JOIN advisor a ON a.id = d.advisor_id").split('\n'));
  for (const f of dir.days_without) {
    const wd = new Date(`${f.date}T12:00:00Z`).getUTCDay();
    assert.ok(wd >= 1 && wd <= 5, `${f.date} is a weekday`);
    assert.ok(f.date <= today);
    assert.ok(!holidays.some(([a, b]) => a <= f.date && f.date <= b), `${f.date} is in a holiday`);
    assert.ok(!off.has(`${f.advisor} ${f.date}`), `${f.date} is a day off of ${f.advisor}`);
  }
  for (const f of dir.days_over) assert.ok(f.minutes > 600);
  // another school year by its name
  const past = await call('directie', 'GET', '/api/v1/quality?year=2024-2025');
  assert.equal(past.status, 200);
  assert.equal(past.json.from, '2024-09-01');
  assert.equal(past.json.to, '2025-08-31');
});

test('quality: server-set created and updated times, and the lag they give', async () => {
  const before = (await call('directie', 'GET', '/api/v1/quality')).json.total;
  const body = { id: 'q-lag-1', date: today, minutes: 30, kind: 'internal', line: 'P3', advisors: ['BC'],
    activity: 'preparation' };
  let r = await call('begeleider', 'POST', '/api/v1/registrations', { body });
  assert.equal(r.status, 201);
  const etag = r.headers.get('etag');
  const [created, updated] = sql("SELECT created_at, updated_at FROM registration WHERE ext_id = 'q-lag-1'").split('|');
  assert.match(created, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  assert.equal(updated, created);
  assert.ok(Math.abs(Date.parse(created) - Date.now()) < 120000, `created_at ${created} is now`);
  // counted with a known lag of 0 days (entered today)
  const after = (await call('directie', 'GET', '/api/v1/quality')).json.total;
  assert.equal(after.lag_known, before.lag_known + 1);
  assert.equal(after.lag_within_7, before.lag_within_7 + 1);
  assert.equal(after.lag_unknown, before.lag_unknown);
  // a change moves updated_at on, created_at stays
  await sleep(1100);
  r = await call('begeleider', 'PUT', '/api/v1/registrations/q-lag-1', { body: { ...body, minutes: 40 }, headers: { 'If-Match': etag } });
  assert.equal(r.status, 200);
  const [created2, updated2] = sql("SELECT created_at, updated_at FROM registration WHERE ext_id = 'q-lag-1'").split('|');
  assert.equal(created2, created);
  assert.ok(updated2 > created, `updated_at ${updated2} after ${created}`);
  // the dataset (registrations.csv has no such columns) exported and imported again with a
  // change leaves both times as they are
  const dir = mkdtempSync(join(tmpdir(), 'bereik-api-quality-'));
  try {
    bereik('export', dir);
    const csv = readFileSync(join(dir, 'registrations.csv'), 'utf8');
    const header = csv.split('\n')[0];
    assert.ok(!/created_at|updated_at/.test(header), 'registrations.csv has no time columns');
    const row = csv.split('\n').find((l) => l.startsWith('q-lag-1,'));
    const only = mkdtempSync(join(tmpdir(), 'bereik-api-quality-'));
    writeFileSync(join(only, 'registrations.csv'), `${header}\n${row.replace(',40,', ',50,')}\n`);
    bereik('import', only);
    rmSync(only, { recursive: true, force: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const [created3, updated3, minutes3] = sql("SELECT created_at, updated_at, minutes FROM registration WHERE ext_id = 'q-lag-1'").split('|');
  assert.equal(minutes3, '50');
  assert.equal(created3, created);
  assert.equal(updated3, updated2);
  r = await call('begeleider', 'GET', '/api/v1/registrations/q-lag-1');
  r = await call('begeleider', 'DELETE', '/api/v1/registrations/q-lag-1', { headers: { 'If-Match': r.headers.get('etag') } });
  assert.equal(r.status, 204);
});
