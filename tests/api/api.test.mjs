// SPDX-License-Identifier: EUPL-1.2
// The JSON API: the OpenAPI document, the role matrix of every endpoint, every error
// status, tokens (expiry, revocation), registrations (ETag/If-Match, idempotent POST,
// validation with the import's messages, audit, locked years), pagination, facts and
// indicators. Expected numbers are worked out by hand from spec/DOMAIN.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { call, roles, sql, bereik, factsCsv, doc, docPath, seen, tokens } from './lib.mjs';

const one = (q) => sql(q).split('\n')[0];
const onlyAdvisor = (code, extra = '') =>
  one(`SELECT r.ext_id FROM registration r WHERE ${extra} EXISTS (SELECT 1 FROM registration_advisor x JOIN advisor a ON a.id = x.advisor_id WHERE x.registration_id = r.id AND a.code = '${code}') AND NOT EXISTS (SELECT 1 FROM registration_advisor x JOIN advisor a ON a.id = x.advisor_id WHERE x.registration_id = r.id AND a.code <> '${code}') ORDER BY r.id LIMIT 1`);
const bcReg = onlyAdvisor('BC', "r.date >= '2024-09-01' AND r.kind = 'client' AND");
const fjReg = onlyAdvisor('FJ', "r.date >= '2024-09-01' AND");
const lockedReg = onlyAdvisor('BC', "r.date < '2024-09-01' AND");

const internal = (id, advisor) => ({
  id, date: '2025-10-07', minutes: 45, kind: 'internal', line: 'P3', advisors: [advisor], activity: 'preparation',
});

test('the OpenAPI document is valid OpenAPI 3.1 and is served as it is in the repository', async () => {
  const v = new Validator();
  const r = await v.validate(docPath.pathname);
  assert.equal(r.valid, true, JSON.stringify(r.errors));
  assert.equal(doc.openapi, '3.1.0');
  const served = await call('anon', 'GET', '/api/v1/openapi.json');
  assert.equal(served.status, 200);
  assert.deepEqual(served.json, JSON.parse(readFileSync(docPath, 'utf8')));
});

test('the role matrix: every endpoint for anonymous, advisor, coordinator, director and admin', async () => {
  assert.ok(bcReg && fjReg && lockedReg, 'fixtures found');
  const rows = {};
  for (const [res, key, val] of [['sectors', 'code', null], ['lines', 'code', 'P1'], ['goals', 'code', null],
    ['institutions', 'number', null], ['teams', 'code', 'T-CUR'], ['advisors', 'code', 'BC'],
    ['target-groups', 'code', 'leraren'], ['trajectories', 'id', null], ['plan', null, null], ['targets', null, null]]) {
    const list = (await call('admin', 'GET', `/api/v1/${res}`)).json.items;
    assert.ok(list.length > 0, `${res} has rows`);
    rows[res] = val ? list.find((x) => x[key] === val)
      : res === 'trajectories' ? list.find((x) => !x.advisors.includes('BC')) : list[0];
    assert.ok(rows[res], `${res} row`);
  }
  const k = (res, key) => encodeURIComponent(rows[res][key]);
  // [method, path, body or undefined, expected statuses per role]
  const matrix = [
    ['GET', '/api/v1/openapi.json', undefined, [200, 200, 200, 200, 200]],
    ['GET', '/api/v1/registrations', undefined, [401, 200, 200, 200, 200]],
    ['POST', '/api/v1/registrations', (role) => internal(`m-${role}`, 'BC'), [401, 201, 403, 403, 403]],
    ['GET', `/api/v1/registrations/${bcReg}`, undefined, [401, 200, 404, 200, 200]],
    ['PUT', `/api/v1/registrations/${bcReg}`, () => internal(bcReg, 'BC'), [401, 428, 404, 403, 403]],
    ['DELETE', `/api/v1/registrations/${bcReg}`, undefined, [401, 428, 404, 403, 403]],
    ['GET', `/api/v1/registrations/${fjReg}`, undefined, [401, 404, 200, 200, 200]],
    ['PUT', `/api/v1/registrations/${fjReg}`, () => internal(fjReg, 'FJ'), [401, 404, 428, 403, 403]],
    ['GET', '/api/v1/facts?years=2024-2025', undefined, [401, 403, 403, 200, 200]],
    ['GET', '/api/v1/indicators', undefined, [401, 200, 200, 200, 200]],
    ['GET', '/api/v1/indicators?scope=organisation', undefined, [401, 403, 403, 200, 200]],
    ['GET', '/api/v1/indicators?scope=advisor', undefined, [401, 200, 200, 200, 200]],
  ];
  for (const [res, key] of [['sectors', 'code'], ['lines', 'code'], ['goals', 'code'], ['institutions', 'number'],
    ['teams', 'code'], ['advisors', 'code'], ['target-groups', 'code']]) {
    matrix.push(['GET', `/api/v1/${res}`, undefined, [401, 200, 200, 200, 200]]);
    matrix.push(['GET', `/api/v1/${res}/${k(res, key)}`, undefined, [401, 200, 200, 200, 200]]);
    matrix.push(['PUT', `/api/v1/${res}/${k(res, key)}`, () => rows[res], [401, 403, 403, 403, 200]]);
  }
  // trajectories are kept by their advisors (docs/IMPACT.md): an advisor neither sees nor
  // changes one they are not an advisor of (404, as one that does not exist); a
  // coordinator exactly those in their list; the director and the admins all of them
  const coordSees = (await call('coordinator', 'GET', '/api/v1/trajectories')).json.items
    .some((x) => x.id === rows.trajectories.id) ? 200 : 404;
  matrix.push(['GET', '/api/v1/trajectories', undefined, [401, 200, 200, 200, 200]]);
  matrix.push(['GET', `/api/v1/trajectories/${k('trajectories', 'id')}`, undefined, [401, 404, coordSees, 200, 200]]);
  matrix.push(['PUT', `/api/v1/trajectories/${k('trajectories', 'id')}`, () => rows.trajectories, [401, 404, coordSees, 200, 200]]);
  matrix.push(['GET', '/api/v1/plan', undefined, [401, 200, 200, 200, 200]]);
  matrix.push(['PUT', `/api/v1/plan/${rows.plan.school_year}/${k('plan', 'line')}`, () => rows.plan, [401, 403, 403, 403, 200]]);
  matrix.push(['GET', '/api/v1/targets', undefined, [401, 200, 200, 200, 200]]);
  matrix.push(['PUT', `/api/v1/targets/${rows.targets.school_year}/${k('targets', 'target_group')}`, () => rows.targets, [401, 403, 403, 403, 200]]);
  const failures = [];
  for (const [method, path, body, want] of matrix)
    for (let i = 0; i < roles.length; i++) {
      const r = await call(roles[i], method, path, body ? { body: body(roles[i]) } : {});
      if (r.status !== want[i]) failures.push(`${method} ${path} as ${roles[i]}: ${r.status}, expected ${want[i]}`);
    }
  assert.deepEqual(failures, []);
  // writing the stored rows back through the import changes nothing
  assert.equal(one("SELECT COUNT(*) FROM registration WHERE ext_id LIKE 'm-%'"), '1');
});

test('authentication: bearer tokens only; unknown, expired and revoked tokens are refused', async () => {
  let r = await call('anon', 'GET', '/api/v1/registrations');
  assert.equal(r.status, 401);
  assert.equal(r.headers.get('content-type'), 'application/problem+json');
  assert.match(r.headers.get('www-authenticate'), /^Bearer/);
  r = await call('anon', 'GET', '/api/v1/registrations', { token: 'bereik_' + '0'.repeat(64) });
  assert.equal(r.status, 401);
  // a browser session cookie is no API credential
  r = await call('anon', 'GET', '/api/v1/registrations', { headers: { Cookie: 'bereik_session=' + 'a'.repeat(64) } });
  assert.equal(r.status, 401);
  // expiry
  const t = bereik('user', 'token', 'begeleider', '--expires', '2099-12-31', '--label', 'expiring').trim();
  assert.match(t, /^bereik_[0-9a-f]{64}$/);
  assert.equal((await call('anon', 'GET', '/api/v1/registrations?limit=1', { token: t })).status, 200);
  assert.notEqual(one("SELECT last_used FROM api_token WHERE label = 'expiring'"), '', 'last use recorded');
  sql(`UPDATE api_token SET expires_at = 1000 WHERE label = 'expiring'`);
  assert.equal((await call('anon', 'GET', '/api/v1/registrations?limit=1', { token: t })).status, 401);
  // revocation
  const t2 = bereik('user', 'token', 'begeleider', '--label', 'revoked').trim();
  assert.equal((await call('anon', 'GET', '/api/v1/registrations?limit=1', { token: t2 })).status, 200);
  sql(`UPDATE api_token SET revoked_at = 1000 WHERE label = 'revoked'`);
  assert.equal((await call('anon', 'GET', '/api/v1/registrations?limit=1', { token: t2 })).status, 401);
  // only a hash is stored
  assert.equal(one(`SELECT COUNT(*) FROM api_token WHERE token_hash = '${t2}' OR token_hash = '${t2.slice(7)}'`), '0');
  // an expiry in the past and an unknown login are refused by the CLI
  assert.throws(() => bereik('user', 'token', 'begeleider', '--expires', '2001-01-01'));
  assert.throws(() => bereik('user', 'token', 'nobody'));
});

test('error statuses: 400 404 405 409 412 413 415 422 428 as problem documents', async () => {
  let r = await call('begeleider', 'POST', '/api/v1/registrations', { raw: '{"id": "x",\n  "date": }' });
  assert.equal(r.status, 400);
  assert.match(r.json.detail, /malformed JSON at line 2, column \d+/);
  r = await call('begeleider', 'GET', '/api/v1/registrations?limit=0&kind=other&school_year=2024&cursor=zz');
  assert.equal(r.status, 400);
  assert.deepEqual(r.json.errors.map((e) => e.field).sort(), ['cursor', 'kind', 'limit', 'school_year']);
  r = await call('directie', 'GET', '/api/v1/facts?years=2024');
  assert.equal(r.status, 400);
  r = await call('begeleider', 'GET', '/api/v1/indicators?scope=planet');
  assert.equal(r.status, 400);
  r = await call('begeleider', 'GET', '/api/v1/registrations/does-not-exist');
  assert.equal(r.status, 404);
  r = await call('begeleider', 'GET', '/api/v1/lines/NOPE');
  assert.equal(r.status, 404);
  const unknown = await fetch(process.env.API_BASE + '/api/v1/nothing-here', { headers: { Authorization: `Bearer ${tokens.begeleider}` } });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.headers.get('content-type'), 'application/problem+json');
  const wrong = await fetch(process.env.API_BASE + '/api/v1/registrations', { method: 'DELETE', headers: { Authorization: `Bearer ${tokens.begeleider}` } });
  assert.equal(wrong.status, 405);
  assert.equal(wrong.headers.get('content-type'), 'application/problem+json');
  r = await call('begeleider', 'POST', '/api/v1/registrations', { raw: 'id=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.status, 415);
  r = await call('begeleider', 'POST', '/api/v1/registrations', { raw: JSON.stringify({ description: 'x'.repeat(70000) }) });
  assert.equal(r.status, 413);
  // 422: one entry per invalid field, with the messages of the import (English) and the form (Dutch)
  r = await call('begeleider', 'POST', '/api/v1/registrations', {
    body: { id: 'bad-1', date: '2025-02-30', minutes: 2000, kind: 'client', line: 'PX', advisors: ['BC', 'ZZ'],
      institutions: ['NOPE'], modality: 'telepathie', counts: { leraren: -3, marsmannetjes: 1 }, colour: 'red' },
  });
  assert.equal(r.status, 422);
  const byField = Object.fromEntries([...r.json.errors].reverse().map((e) => [e.field, e])); // the first per field
  assert.equal(byField.colour.message, 'unknown field');
  assert.equal(byField.date.message, 'not a real calendar date in the form YYYY-MM-DD: 2025-02-30');
  assert.equal(byField.minutes.message, 'must be a whole number of minutes from 1 to 1440: 2000');
  assert.equal(byField.line.message, "unknown line 'PX'");
  assert.equal(byField.line.message_nl, "onbekende pijler of project 'PX'");
  assert.equal(byField.advisors.message, "unknown advisor 'ZZ'");
  assert.equal(byField.institutions.message, "unknown institution 'NOPE'");
  assert.equal(byField.modality.message, "unknown value 'telepathie' (expected one of: fysiek, online, hybride, helpdesk, walk, klasbezoek)");
  assert.equal(byField['counts.leraren'].message, 'a head count cannot be negative: -3');
  assert.equal(byField['counts.marsmannetjes'].message, 'unknown target group');
  assert.equal(one("SELECT COUNT(*) FROM registration WHERE ext_id = 'bad-1'"), '0');
  // the same rule gives the same message through the dataset import
  const dir = `${process.env.API_TMP}/imp`;
  bereik('export', dir);
  const csv = readFileSync(`${dir}/registrations.csv`, 'utf8').split('\n');
  const cols = csv[0].split(',');
  const cells = csv[1].split(',');
  cells[cols.indexOf('line')] = 'PX';
  const { writeFileSync, mkdirSync } = await import('node:fs');
  mkdirSync(`${dir}/one`, { recursive: true });
  writeFileSync(`${dir}/one/registrations.csv`, `${csv[0]}\n${cells.join(',')}\n`);
  let stderr = '';
  try { bereik('import', `${dir}/one`); } catch (e) { stderr = String(e.stderr); }
  assert.match(stderr, /registrations\.csv:2: line: unknown line 'PX'/);
  // 428, 412 and 409 are below (ETag and idempotency)
});

test('registrations: create, idempotent replay, conflict, ETag/If-Match, update, delete, audit, locked years', async () => {
  const body = { id: 'api-1', date: '2025-10-08', minutes: 60, kind: 'client', line: 'P3', advisors: ['BC'],
    institutions: ['SAA'], modality: 'online', counts: { leraren: 3 }, description: 'Via de API' };
  let r = await call('begeleider', 'POST', '/api/v1/registrations', { body });
  assert.equal(r.status, 201);
  assert.equal(r.headers.get('location'), '/api/v1/registrations/api-1');
  assert.equal(r.json.followup, false);
  assert.deepEqual(r.json.institutions, [one("SELECT number FROM institution WHERE code = 'SAA'")]);
  const etag1 = r.headers.get('etag');
  // a replay with the same id and content, in another but equivalent form, creates nothing
  r = await call('begeleider', 'POST', '/api/v1/registrations', {
    body: { ...body, institutions: [one("SELECT number FROM institution WHERE code = 'SAA'")], followup: false, counts: { leraren: 3, middenkader: 0 } },
  });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('etag'), etag1);
  assert.equal(one("SELECT COUNT(*) FROM registration WHERE ext_id = 'api-1'"), '1');
  assert.equal(one("SELECT COUNT(*) FROM audit WHERE object_key = 'api-1'"), '1');
  r = await call('begeleider', 'POST', '/api/v1/registrations', { body: { ...body, minutes: 61 } });
  assert.equal(r.status, 409);
  // without an id the server assigns one
  r = await call('begeleider', 'POST', '/api/v1/registrations', { body: { ...body, id: undefined } });
  assert.equal(r.status, 201);
  assert.match(r.json.id, /^a-[0-9a-f]{16}$/);
  // GET gives the same ETag; PUT needs it
  r = await call('begeleider', 'GET', '/api/v1/registrations/api-1');
  assert.equal(r.headers.get('etag'), etag1);
  r = await call('begeleider', 'PUT', '/api/v1/registrations/api-1', { body: { ...body, minutes: 75 } });
  assert.equal(r.status, 428);
  r = await call('begeleider', 'PUT', '/api/v1/registrations/api-1', { body: { ...body, minutes: 75 }, headers: { 'If-Match': '"0000"' } });
  assert.equal(r.status, 412);
  r = await call('begeleider', 'PUT', '/api/v1/registrations/api-1', { body: { ...body, minutes: 75, id: 'other' }, headers: { 'If-Match': etag1 } });
  assert.equal(r.status, 422);
  assert.equal(r.json.errors[0].field, 'id');
  r = await call('begeleider', 'PUT', '/api/v1/registrations/api-1', { body: { ...body, minutes: 75 }, headers: { 'If-Match': etag1 } });
  assert.equal(r.status, 200);
  assert.equal(r.json.minutes, 75);
  const etag2 = r.headers.get('etag');
  assert.notEqual(etag2, etag1);
  // the first writer's ETag is stale now: no lost update
  r = await call('begeleider', 'PUT', '/api/v1/registrations/api-1', { body: { ...body, minutes: 90 }, headers: { 'If-Match': etag1 } });
  assert.equal(r.status, 412);
  assert.equal(one("SELECT minutes FROM registration WHERE ext_id = 'api-1'"), '75');
  // giving the registration away to advisors outside the user's scope is refused
  r = await call('begeleider', 'PUT', '/api/v1/registrations/api-1', { body: { ...body, advisors: ['FJ'] }, headers: { 'If-Match': etag2 } });
  assert.equal(r.status, 403);
  // a coordinator changes a team member's registration (FJ is in T-EXC)
  r = await call('coordinator', 'GET', `/api/v1/registrations/${fjReg}`);
  const fjEtag = r.headers.get('etag');
  r = await call('coordinator', 'PUT', `/api/v1/registrations/${fjReg}`, { body: { ...r.json, description: 'Door de coordinator' }, headers: { 'If-Match': fjEtag } });
  assert.equal(r.status, 200);
  assert.equal(one(`SELECT COUNT(*) FROM audit WHERE object_key = '${fjReg}' AND actor = 'coordinator' AND action = 'update'`), '1');
  // locked school year (2023-2024): no change, with the import's message on the date
  r = await call('begeleider', 'GET', `/api/v1/registrations/${lockedReg}`);
  const le = r.headers.get('etag');
  r = await call('begeleider', 'PUT', `/api/v1/registrations/${lockedReg}`, { body: { ...r.json, minutes: 1 }, headers: { 'If-Match': le } });
  assert.equal(r.status, 422);
  assert.equal(r.json.errors[0].field, 'date');
  assert.equal(r.json.errors[0].message, 'school year 2023-2024 is locked; an admin must reopen it before its registrations can change');
  r = await call('begeleider', 'DELETE', `/api/v1/registrations/${lockedReg}`, { headers: { 'If-Match': le } });
  assert.equal(r.status, 422);
  r = await call('begeleider', 'POST', '/api/v1/registrations', { body: { ...body, id: 'api-locked', date: '2023-10-02' } });
  assert.equal(r.status, 422);
  assert.equal(r.json.errors[0].field, 'date');
  // delete
  r = await call('begeleider', 'DELETE', '/api/v1/registrations/api-1');
  assert.equal(r.status, 428);
  r = await call('begeleider', 'DELETE', '/api/v1/registrations/api-1', { headers: { 'If-Match': etag1 } });
  assert.equal(r.status, 412);
  r = await call('begeleider', 'DELETE', '/api/v1/registrations/api-1', { headers: { 'If-Match': etag2 } });
  assert.equal(r.status, 204);
  r = await call('begeleider', 'GET', '/api/v1/registrations/api-1');
  assert.equal(r.status, 404);
  assert.equal(one("SELECT action FROM audit WHERE object_key = 'api-1' AND actor = 'begeleider' ORDER BY id"), 'create');
  assert.equal(sql("SELECT action FROM audit WHERE object_key = 'api-1' ORDER BY id").split('\n').join(','), 'create,update,delete');
});

test('lists: every page of a filter, in (date, id) order, equals an SQL count', async () => {
  const filters = [
    ['directie', 'advisor=BC&school_year=2024-2025', "SELECT COUNT(*) FROM registration r WHERE r.date BETWEEN '2024-09-01' AND '2025-08-31' AND EXISTS (SELECT 1 FROM registration_advisor x JOIN advisor a ON a.id = x.advisor_id WHERE x.registration_id = r.id AND a.code = 'BC')"],
    ['directie', 'line=P3&kind=client&from=2024-10-01&to=2024-12-31', "SELECT COUNT(*) FROM registration r JOIN line l ON l.id = r.line_id WHERE l.code = 'P3' AND r.kind = 'client' AND r.date BETWEEN '2024-10-01' AND '2024-12-31'"],
    ['directie', 'institution=SAA&school_year=2024-2025', "SELECT COUNT(*) FROM registration r WHERE r.date BETWEEN '2024-09-01' AND '2025-08-31' AND EXISTS (SELECT 1 FROM registration_institution x JOIN institution i ON i.id = x.institution_id WHERE x.registration_id = r.id AND i.code = 'SAA')"],
    // an advisor sees only registrations that list them
    ['begeleider', 'school_year=2024-2025', "SELECT COUNT(*) FROM registration r WHERE r.date BETWEEN '2024-09-01' AND '2025-08-31' AND EXISTS (SELECT 1 FROM registration_advisor x JOIN advisor a ON a.id = x.advisor_id WHERE x.registration_id = r.id AND a.code = 'BC')"],
    // a coordinator: own and the members of their teams (T-EXC, T-KLO)
    ['coordinator', 'from=2025-01-01&to=2025-03-31', "SELECT COUNT(*) FROM registration r WHERE r.date BETWEEN '2025-01-01' AND '2025-03-31' AND EXISTS (SELECT 1 FROM registration_advisor x JOIN advisor a ON a.id = x.advisor_id WHERE x.registration_id = r.id AND a.code IN ('AP','FJ','KD','PV','RM','SS','TD','EM','IW','MD','QV'))"],
  ];
  const internalId = new Map(sql('SELECT ext_id, id FROM registration').split('\n').map((l) => l.split('|')));
  for (const [role, q, count] of filters) {
    const ids = new Set();
    let last = '';
    let cursor = null;
    let pages = 0;
    do {
      const r = await call(role, 'GET', `/api/v1/registrations?${q}&limit=40${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(r.status, 200);
      for (const x of r.json.items) {
        const key = `${x.date} ${String(internalId.get(x.id)).padStart(12, '0')}`;
        assert.ok(key > last, `order at ${x.id}`);
        last = key;
        assert.ok(!ids.has(x.id), `no duplicate ${x.id}`);
        ids.add(x.id);
      }
      cursor = r.json.next_cursor;
      pages++;
    } while (cursor);
    assert.equal(String(ids.size), sql(count), `${role} ${q}`);
    assert.ok(pages > 1 || ids.size <= 40);
  }
});

test('facts: GET /api/v1/facts is byte for byte what bereik report --format json writes', async () => {
  for (const years of ['2022-2023..2024-2025', '2025-2026']) {
    const r = await call('directie', 'GET', `/api/v1/facts?years=${years}`);
    assert.equal(r.status, 200);
    assert.equal(r.text, bereik('report', '--years', years, '--format', 'json'));
  }
  const all = await call('admin', 'GET', '/api/v1/facts');
  assert.equal(all.text, bereik('report', '--format', 'json'));
});

test('indicators: the dashboard summaries per scope, per role', async () => {
  let r = await call('directie', 'GET', '/api/v1/indicators?year=2025-2026');
  const scopes = new Set(r.json.items.map((x) => x.scope));
  assert.deepEqual([...scopes].sort(), ['advisor', 'line', 'organisation', 'team', 'unit']);
  const facts = factsCsv('2025-2026');
  const org = r.json.items.find((x) => x.scope === 'organisation');
  assert.equal(org.klv.fte_hours, facts.get('klv,2025-2026,total,fte_hours'));
  assert.equal(org.klv.klv_hours, facts.get('klv,2025-2026,total,klv_hours'));
  const p3 = r.json.items.find((x) => x.scope === 'line' && x.code === 'P3');
  assert.equal(p3.client_hours, facts.get('client_hours,2025-2026,P3,hours'));
  // an advisor: their own row and their team's, nobody else's
  r = await call('begeleider', 'GET', '/api/v1/indicators?year=2025-2026');
  assert.deepEqual(r.json.items.filter((x) => x.scope === 'advisor').map((x) => x.code), ['BC']);
  assert.deepEqual(r.json.items.filter((x) => x.scope === 'team').map((x) => x.code), ['T-CUR']);
  r = await call('coordinator', 'GET', '/api/v1/indicators?scope=team&year=2025-2026');
  assert.deepEqual(r.json.items.map((x) => x.code).sort(), ['T-EXC', 'T-KLO']);
});

test('reference data: admins write through the import rules, with its messages', async () => {
  let r = await call('admin', 'PUT', '/api/v1/lines/P9', { body: { name: 'Pijler 9 - API', kind: 'project', position: 9 } });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { code: 'P9', name: 'Pijler 9 - API', kind: 'project', unit: 'pbd', position: 9 });
  assert.equal(one("SELECT action || ' ' || object_type FROM audit WHERE object_key = 'P9' ORDER BY id DESC"), 'create lines');
  r = await call('admin', 'PUT', '/api/v1/lines/P9', { body: { name: 'x', kind: 'galaxy' } });
  assert.equal(r.status, 422);
  assert.equal(r.json.errors[0].field, 'kind');
  assert.equal(one("SELECT name FROM line WHERE code = 'P9'"), 'Pijler 9 - API');
  r = await call('admin', 'PUT', '/api/v1/lines/P9', { body: { code: 'P8', name: 'x', kind: 'project' } });
  assert.equal(r.status, 422);
  r = await call('admin', 'PUT', '/api/v1/targets/2025-2026/leraren', { body: { target: 1234 } });
  assert.equal(r.status, 200);
  assert.equal(r.json.target, 1234);
  r = await call('admin', 'PUT', '/api/v1/plan/2025-2026/P9', { body: { planned_fte: 1.5 } });
  assert.equal(r.status, 200);
  assert.equal(r.json.planned_fte, 1.5);
});

test('must show: the API\'s reference writes record the row before and after in the audit trail', async () => {
  const audit = () => sql("SELECT action || '|' || object_type || '|' || COALESCE(before_json, '') || '|' || COALESCE(after_json, '') "
    + "FROM audit WHERE object_key = 'P77' ORDER BY id").split('\n').filter((l) => l).map((l) => {
    const [action, type, before, after] = l.split('|');
    return { action, type, before: before ? JSON.parse(before) : null, after: after ? JSON.parse(after) : null };
  });
  const total = () => one('SELECT COUNT(*) FROM audit');
  let r = await call('admin', 'PUT', '/api/v1/lines/P77', { body: { name: 'Project 77', kind: 'project', position: 77 } });
  assert.equal(r.status, 200);
  // the line as the dataset writes it (lines.csv: code, name, kind, unit, position; unit's default pbd)
  const created = { code: 'P77', name: 'Project 77', kind: 'project', unit: 'pbd', position: '77' };
  assert.deepEqual(audit(), [{ action: 'create', type: 'lines', before: null, after: created }]);
  r = await call('admin', 'PUT', '/api/v1/lines/P77', { body: { name: 'Project 77 (hernoemd)', kind: 'project' } });
  assert.equal(r.status, 200);
  assert.deepEqual(audit()[1], { action: 'update', type: 'lines', before: created,
    after: { ...created, name: 'Project 77 (hernoemd)' } });
  // a refused write changes nothing and records nothing
  const n = total();
  r = await call('admin', 'PUT', '/api/v1/lines/P77', { body: { name: 'x', kind: 'galaxy' } });
  assert.equal(r.status, 422);
  assert.equal(r.json.errors[0].field, 'kind');
  assert.equal(r.json.errors[0].pointer, '/kind');
  assert.equal(total(), n);
  assert.equal(audit().length, 2);
  // the admin's writes through the API are row entries, none an import of a temporary folder
  assert.equal(one("SELECT COUNT(*) FROM audit WHERE actor = 'admin' AND object_type = 'dataset'"), '0');
});

test('must show: registering through the API changes the facts by exactly the hand-computed amounts', async () => {
  const before = factsCsv('2025-2026');
  // DOMAIN.md section 3, for one client registration of 90 minutes on line P3 with two
  // institutions (BAA, SAA), two advisors (BC and co-advisor FJ) and 7 + 2 participants:
  //   hits         += |C(r)| = 2                           (one per institution)
  //   client_hours += d(r) * |C(r)| / 60 = 90 * 2 / 60 = 3
  //   klv_hours    += d(r) * |A(r)| / 60 = 90 * 2 / 60 = 3  (organisation and line P3)
  //   klv_hours(advisor BC) += 90 * 1 / 60 = 1.5            (only the advisor in scope)
  //   reach(leraren) += 7, reach(middenkader) += 2
  const r = await call('begeleider', 'POST', '/api/v1/registrations', {
    body: { id: 'must-show', date: '2025-10-06', minutes: 90, kind: 'client', line: 'P3', advisors: ['BC', 'FJ'],
      institutions: ['BAA', 'SAA'], modality: 'fysiek', counts: { leraren: 7, middenkader: 2 } },
  });
  assert.equal(r.status, 201);
  const after = factsCsv('2025-2026');
  const d = (key) => Math.round(((after.get(key) || 0) - (before.get(key) || 0)) * 1e9) / 1e9;
  const baa = one("SELECT code FROM institution WHERE code = 'BAA'");
  assert.equal(d('hits,2025-2026,total,hits'), 2);
  assert.equal(d(`hits,2025-2026,${baa},hits`), 1);
  assert.equal(d('hits,2025-2026,SAA,hits'), 1);
  assert.equal(d('client_hours,2025-2026,P3,hours'), 3);
  assert.equal(d('client_hours,2025-2026,total,hours'), 3);
  assert.equal(d('klv,2025-2026,total,klv_hours'), 3);
  assert.equal(d('klv_by_line,2025-2026,P3,hours'), 3);
  assert.equal(d('klv,2025-2026,advisor:BC,klv_hours'), 1.5);
  assert.equal(d('klv,2025-2026,advisor:FJ,klv_hours'), 1.5);
  assert.equal(d('target_groups,2025-2026,leraren,reach'), 7);
  assert.equal(d('target_groups,2025-2026,middenkader,reach'), 2);
});

// ---- surveys (tests/api/surveys.test.mjs tests them in full; node runs each file in a
// process of its own, so the operations are answered here once for the check below) ----
test('surveys: each operation answers once in this file', async () => {
  const made = await call('begeleider', 'POST', '/api/v1/surveys', { body: { kind: 'short', registration: bcReg } });
  assert.equal(made.status, 201);
  assert.equal((await call('begeleider', 'GET', '/api/v1/surveys')).status, 200);
  assert.equal((await call('begeleider', 'GET', `/api/v1/surveys/${made.json.id}/results`)).status, 200);
  // an SVG body is not JSON: fetched directly, then counted
  const qr = await fetch(`${process.env.API_BASE}/api/v1/surveys/${made.json.id}/qr.svg`, {
    headers: { Authorization: `Bearer ${tokens.begeleider}` },
  });
  assert.equal(qr.status, 200);
  assert.equal(qr.headers.get('content-type').split(';')[0], Object.keys(doc.paths['/api/v1/surveys/{id}/qr.svg'].get.responses['200'].content)[0]);
  seen.add('GET /api/v1/surveys/{id}/qr.svg');
});
// ---- end of surveys ----

// ---- trajectories and impact (docs/IMPACT.md; the behaviour in trajectories.test.mjs) ----
test('trajectories and impact: each operation answers once in this file', async () => {
  const inst = (await call('begeleider', 'GET', '/api/v1/institutions')).json.items.find((i) => i.own && i.active);
  const made = await call('begeleider', 'POST', '/api/v1/trajectories', {
    body: { institution: inst.number, level: 'meso', shared_goal: 'Doel', start: '2026-09-01' },
  });
  assert.equal(made.status, 201, JSON.stringify(made.json));
  assert.ok(made.json.advisors.includes('BC'), 'the advisor keeps what they make');
  const fu = await call('begeleider', 'POST', `/api/v1/trajectories/${encodeURIComponent(made.json.id)}/followups`, {
    body: { date: '2026-10-01', note: 'Overleg met de directie' },
  });
  assert.equal(fu.status, 201, JSON.stringify(fu.json));
  assert.equal((await call('directie', 'GET', '/api/v1/impact')).status, 200);
});

// ---- data quality (docs/QUALITY.md; the behaviour in quality.test.mjs) ----
test('data quality: the operation answers once in this file', async () => {
  assert.equal((await call('coordinator', 'GET', '/api/v1/quality')).status, 200);
});

// ---- management views (docs/VIEWS.md; the role matrix in views.test.mjs) ----
test('management views: the operation answers once in this file', async () => {
  assert.equal((await call('directie', 'GET', '/api/v1/views')).status, 200);
});

test('every operation of the OpenAPI document was answered successfully at least once', () => {
  const all = [];
  for (const [p, ops] of Object.entries(doc.paths)) for (const m of Object.keys(ops)) all.push(`${m.toUpperCase()} ${p}`);
  assert.deepEqual(all.filter((x) => !seen.has(x)), []);
});
