// SPDX-License-Identifier: EUPL-1.2
// Issue 13, defects 2-8: the bounds of a registration (domain/bounds.h) through the API
// and the web form, the co-advisor rule and the write rate limit, against the real
// server of run.sh (demo database, either engine) and, for the limits that need other
// options, two more `bereik serve` processes on the same database.
//
// The hostile-input table sends empty, null, wrong-type, too-long, out-of-range and
// control-character values to every field of a registration (POST and PUT), to the
// reference-data writes and to every field of the registration form, and checks that
// each answer is a 4xx (never a 5xx) and that nothing was written (rows, audit, ETag).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { call, sql, bereik, bin, db, setCookies } from './lib.mjs';

const one = (q) => sql(q).split('\n')[0];
const counts = () => one('SELECT (SELECT COUNT(*) FROM registration) || \',\' || (SELECT COUNT(*) FROM registration_advisor) || \',\' || (SELECT COUNT(*) FROM registration_count) || \',\' || (SELECT COUNT(*) FROM audit)');
const base = process.env.API_BASE;

// a valid internal registration of BC (the demo's begeleider) on a day without data
const valid = (id, extra = {}) => ({
  id, date: '2025-10-05', minutes: 30, kind: 'internal', line: 'P3', advisors: ['BC'], activity: 'preparation',
  description: 'grens', ...extra,
});
const validClient = (id, extra = {}) => ({
  id, date: '2025-10-05', minutes: 30, kind: 'client', line: 'P3', advisors: ['BC'], institutions: ['SAA'],
  modality: 'online', counts: { leraren: 2 }, ...extra,
});

// ---- other servers on the same database ----
const servers = [];
after(() => { for (const s of servers) s.kill('SIGTERM'); });
function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}
async function startServer(args, env = {}) {
  const port = await freePort();
  const p = spawn(bin, ['--db', db, 'serve', '--listen', `127.0.0.1:${port}`, '--threads', '2', ...args], {
    env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'ignore'],
  });
  servers.push(p);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(url + '/healthz')).ok) return url; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}
async function post(url, token, body) {
  const res = await fetch(url + '/api/v1/registrations', {
    method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : null };
}

// a second advisor account: FJ, BC's team mate, as co-advisor
const fjToken = (() => {
  execFileSync(bin, ['--db', db, 'user', 'add', 'fj', '--role', 'advisor', '--advisor', 'FJ', '--password-stdin'], { input: 'fj-password-long-enough\n' });
  return bereik('user', 'token', 'fj', '--label', 'bounds test').trim();
})();
const asFj = (method, path, opts = {}) => call('anon', method, path, { ...opts, token: fjToken });

// ---- defects 2-6 through the API, one regression test each ----

test('defect 2: a head count above 10,000 (2^63-1 once overflowed the sums) is refused at /counts/leraren', async () => {
  const before = counts();
  // the numbers as JSON text (a JavaScript number cannot hold 2^63-1 exactly)
  for (const n of ['10001', '4611686018427387904', '9223372036854775807']) {
    const raw = JSON.stringify(validClient('big-count')).replace('"leraren":2', `"leraren":${n}`);
    assert.ok(raw.includes(n));
    const r = await call('begeleider', 'POST', '/api/v1/registrations', { raw });
    assert.equal(r.status, 422);
    assert.deepEqual(r.json.errors.map((e) => e.pointer), ['/counts/leraren']);
    assert.match(r.json.errors[0].message, /at most 10000/);
  }
  const r = await call('begeleider', 'POST', '/api/v1/registrations', { body: validClient('max-count', { counts: { leraren: 10000 } }) });
  assert.equal(r.status, 201);
  assert.equal(await call('begeleider', 'DELETE', '/api/v1/registrations/max-count', { headers: { 'If-Match': r.headers.get('etag') } }).then((x) => x.status), 204);
  assert.equal(counts().split(',').slice(0, 3).join(','), before.split(',').slice(0, 3).join(','));
});

test('defect 3: a date after today (2031, 2100, 9999) or before the oldest school year is refused; no empty year appears', async () => {
  const before = counts();
  const years = one("SELECT COUNT(DISTINCT substr(date, 1, 4)) FROM registration");
  for (const date of ['2031-01-01', '2100-06-30', '9999-12-31']) {
    const r = await call('begeleider', 'POST', '/api/v1/registrations', { body: valid('future', { date }) });
    assert.equal(r.status, 422, date);
    assert.equal(r.json.errors[0].pointer, '/date');
    assert.match(r.json.errors[0].message, /lies after today/);
  }
  const r = await call('begeleider', 'POST', '/api/v1/registrations', { body: valid('early', { date: '2023-08-31' }) });
  assert.equal(r.status, 422);
  assert.match(r.json.errors[0].message, /lies before 2023-09-01, the first day of the oldest school year/);
  assert.equal(counts(), before);
  assert.equal(one("SELECT COUNT(DISTINCT substr(date, 1, 4)) FROM registration"), years);
  const f = await call('directie', 'GET', '/api/v1/facts');
  assert.ok(f.json.years.every((y) => y <= '2026-2027'), f.json.years.join(' '));
});

test('defect 3: today in Brussels is accepted, tomorrow is not (BEREIK_TODAY fixes today)', async () => {
  const url = await startServer([], { BEREIK_TODAY: '2026-03-10' });
  const token = bereik('user', 'token', 'begeleider', '--label', 'today').trim();
  let r = await post(url, token, valid('today-ok', { date: '2026-03-10' }));
  assert.equal(r.status, 201);
  r = await post(url, token, valid('tomorrow', { date: '2026-03-11' }));
  assert.equal(r.status, 422);
  assert.match(r.json.errors[0].message, /date 2026-03-11 lies after today \(2026-03-10\)/);
  assert.equal(one("SELECT COUNT(*) FROM registration WHERE ext_id = 'tomorrow'"), '0');
});

test('defect 4: at most 1440 minutes per advisor and day, as author or co-advisor, stored rows included', async () => {
  const day = '2025-10-12'; // a Sunday: no demo data
  assert.equal(one(`SELECT COUNT(*) FROM registration WHERE date = '${day}'`), '0');
  let r = await call('begeleider', 'POST', '/api/v1/registrations', { body: valid('day-1', { date: day, minutes: 1440, advisors: ['BC', 'FJ'] }) });
  assert.equal(r.status, 201);
  // a second full day of BC: refused; the first was stored
  r = await call('begeleider', 'POST', '/api/v1/registrations', { body: valid('day-2', { date: day, minutes: 1440 }) });
  assert.equal(r.status, 422);
  assert.equal(r.json.errors[0].pointer, '/minutes');
  assert.match(r.json.errors[0].message, /advisor 'BC' would have 2880 minutes registered on 2025-10-12; at most 1440 minutes/);
  // the co-advisor's own day is full too
  r = await asFj('POST', '/api/v1/registrations', { body: valid('day-3', { date: day, minutes: 1, advisors: ['FJ'] }) });
  assert.equal(r.status, 422);
  assert.match(r.json.errors[0].message, /advisor 'FJ' would have 1441 minutes/);
  assert.equal(one(`SELECT SUM(minutes) FROM registration WHERE date = '${day}'`), '1440');
  // changing the stored one to 1440 again does not count it twice
  const g = await call('begeleider', 'GET', '/api/v1/registrations/day-1');
  r = await call('begeleider', 'PUT', '/api/v1/registrations/day-1', { body: valid('day-1', { date: day, minutes: 1440, advisors: ['BC', 'FJ'], description: 'nieuw' }), headers: { 'If-Match': g.headers.get('etag') } });
  assert.equal(r.status, 200);
});

test('defect 4: a co-advisor may only remove themselves; the author owns the registration', async () => {
  let r = await call('begeleider', 'POST', '/api/v1/registrations', { body: valid('co-1', { date: '2025-10-19', advisors: ['BC', 'FJ'] }) });
  assert.equal(r.status, 201);
  assert.equal(one("SELECT a.code FROM registration r JOIN advisor a ON a.id = r.author_id WHERE r.ext_id = 'co-1'"), 'BC');
  const etag = (await asFj('GET', '/api/v1/registrations/co-1')).headers.get('etag');
  const put = (body) => asFj('PUT', '/api/v1/registrations/co-1', { body, headers: { 'If-Match': etag } });
  // removing the author, or changing anything else, is refused
  r = await put(valid('co-1', { date: '2025-10-19', advisors: ['FJ'] }));
  assert.equal(r.status, 403);
  assert.equal(r.json.errors[0].pointer, '/advisors');
  assert.match(r.json.errors[0].message, /you may only remove yourself .* BC registered it/);
  r = await put(valid('co-1', { date: '2025-10-19', advisors: ['BC', 'FJ'], minutes: 31 }));
  assert.equal(r.status, 403);
  r = await put(valid('co-1', { date: '2025-10-19', advisors: ['BC'], minutes: 31 }));
  assert.equal(r.status, 403);
  r = await asFj('DELETE', '/api/v1/registrations/co-1', { headers: { 'If-Match': etag } });
  assert.equal(r.status, 403);
  assert.equal(one("SELECT minutes || ' ' || (SELECT COUNT(*) FROM registration_advisor ra WHERE ra.registration_id = r.id) FROM registration r WHERE ext_id = 'co-1'"), '30 2');
  // removing themselves, everything else unchanged: allowed; the registration stays BC's
  r = await put(valid('co-1', { date: '2025-10-19', advisors: ['BC'] }));
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.advisors, ['BC']);
  assert.equal((await asFj('GET', '/api/v1/registrations/co-1')).status, 404);
  // the author may change everything, co-advisors included
  const e2 = (await call('begeleider', 'GET', '/api/v1/registrations/co-1')).headers.get('etag');
  r = await call('begeleider', 'PUT', '/api/v1/registrations/co-1', { body: valid('co-1', { date: '2025-10-19', advisors: ['BC', 'FJ'], minutes: 45 }), headers: { 'If-Match': e2 } });
  assert.equal(r.status, 200);
});

test('defect 5: an empty date gives 422 with /date, not 500', async () => {
  const before = counts();
  for (const date of ['', '   ']) {
    const r = await call('begeleider', 'POST', '/api/v1/registrations', { body: valid('empty-date', { date }) });
    assert.equal(r.status, 422);
    assert.deepEqual(r.json.errors.map((e) => e.pointer), ['/date']);
    assert.match(r.json.errors[0].message, /a date is required/);
  }
  const r = await call('begeleider', 'POST', '/api/v1/registrations', { body: valid('empty-minutes', { minutes: null }) });
  assert.equal(r.status, 422);
  assert.equal(counts(), before);
});

test('defect 6: ids are 1-64 characters of [A-Za-z0-9._-]; an existing id out of sight answers as a free one', async () => {
  const before = counts();
  for (const id of ['a/b', 'r1\r\nX-Injected: 1', 'x'.repeat(65), 'x'.repeat(10000), 'é', '../x', ' ']) {
    const r = await call('begeleider', 'POST', '/api/v1/registrations', { body: valid(id) });
    assert.equal(r.status, id.length > 10000 ? 413 : 422, JSON.stringify(id));
    if (r.status === 422) assert.equal(r.json.errors[0].pointer, '/id');
  }
  assert.equal(counts(), before);
  // FJ's registration exists; BC cannot see it. Creating it, with BC or with FJ as advisor,
  // answers exactly as a free id BC may not create.
  const taken = one("SELECT r.ext_id FROM registration r JOIN registration_advisor ra ON ra.registration_id = r.id JOIN advisor a ON a.id = ra.advisor_id WHERE a.code = 'FJ' AND NOT EXISTS (SELECT 1 FROM registration_advisor x JOIN advisor b ON b.id = x.advisor_id WHERE x.registration_id = r.id AND b.code = 'BC') ORDER BY r.id LIMIT 1");
  assert.ok(taken);
  const free = await call('begeleider', 'POST', '/api/v1/registrations', { body: valid('never-used-id', { advisors: ['FJ'] }) });
  const hidden = await call('begeleider', 'POST', '/api/v1/registrations', { body: valid(taken, { advisors: ['FJ'] }) });
  const hiddenOwn = await call('begeleider', 'POST', '/api/v1/registrations', { body: valid(taken) });
  assert.equal(free.status, 403);
  assert.deepEqual(hidden.json, free.json);
  assert.equal(hidden.status, free.status);
  assert.deepEqual(hiddenOwn.json, free.json);
  assert.equal(counts(), before);
});

test('defects 7 and 8: the API drops no field: control characters are refused, 2000 characters is the bound', async () => {
  const before = counts();
  let r = await call('begeleider', 'POST', '/api/v1/registrations', { body: valid('ctl', { description: 'bel\u0007 \u001b[2J' }) });
  assert.equal(r.status, 422);
  assert.equal(r.json.errors[0].pointer, '/description');
  r = await call('begeleider', 'POST', '/api/v1/registrations', { body: valid('long', { description: 'é'.repeat(2001) }) });
  assert.equal(r.status, 422);
  assert.match(r.json.errors[0].message, /at most 2000 characters \(this text has 2001\)/);
  // invalid UTF-8 cannot be JSON: 400, nothing stored
  const res = await fetch(base + '/api/v1/registrations', {
    method: 'POST', headers: { Authorization: `Bearer ${process.env.TOKEN_begeleider}`, 'Content-Type': 'application/json' },
    body: Buffer.concat([Buffer.from('{"id":"utf8","date":"2025-10-05","minutes":30,"kind":"internal","line":"P3",'
      + '"advisors":["BC"],"activity":"preparation","description":"'), Buffer.from([0xff]), Buffer.from('"}')]),
  });
  assert.equal(res.status, 400);
  assert.equal(counts(), before);
  // what is accepted comes back whole: 2000 characters, tabs and line breaks
  const text = 'regel 1\r\n\tregel 2 ' + 'é'.repeat(1981);
  r = await call('begeleider', 'POST', '/api/v1/registrations', { body: valid('long-ok', { description: text }) });
  assert.equal(r.status, 201);
  r = await call('begeleider', 'GET', '/api/v1/registrations/long-ok');
  assert.equal(r.json.description, text);
});

test('defect 8: registration writes per token are limited (429, Retry-After), counted in the database for every process', async () => {
  const a = await startServer(['--write-rate', '3/MIN']);
  const b = await startServer(['--write-rate', '3/MIN']);
  const token = bereik('user', 'token', 'begeleider', '--label', 'rate').trim();
  const other = bereik('user', 'token', 'begeleider', '--label', 'rate 2').trim();
  const statuses = [];
  for (const [i, url] of [a, b, a, b].entries()) statuses.push((await post(url, token, valid(`rate-${i}`, { date: '2025-10-26', minutes: 10 }))).status);
  assert.deepEqual(statuses, [201, 201, 201, 429]);
  const r = await post(b, token, valid('rate-x', { date: '2025-10-26', minutes: 10 }));
  assert.equal(r.status, 429);
  const retry = Number(r.headers.get('retry-after'));
  assert.ok(retry >= 1 && retry <= 60, String(retry));
  assert.equal(r.headers.get('content-type'), 'application/problem+json');
  assert.match(r.json.detail, /at most 3 registration writes a minute per token/);
  assert.equal(one("SELECT COUNT(*) FROM registration WHERE ext_id LIKE 'rate-%'"), '3');
  // another token has its own count
  assert.equal((await post(a, other, valid('rate-other', { date: '2025-10-26', minutes: 10 }))).status, 201);
  // rows of ended windows are purged when a new window starts
  sql("UPDATE write_rate SET window_start = window_start - 120");
  assert.equal((await post(a, token, valid('rate-later', { date: '2025-10-26', minutes: 10 }))).status, 201);
  assert.equal(one('SELECT COUNT(*) FROM write_rate'), '1');
});

// ---- the hostile-input table ----

const long = (n) => 'x'.repeat(n);
// field -> values that must be refused (each with why)
const hostile = {
  id: [[null, 'null is a free id only when absent'], ['', 'empty'], [12, 'wrong type'], [['r1'], 'wrong type'], [long(65), 'too long'], ['a/b', 'slash'], ['a\u0000b', 'NUL'], ['r\n1', 'control']],
  date: [[null, 'null'], ['', 'empty'], [20251005, 'wrong type'], [{}, 'wrong type'], ['2025-02-30', 'not a date'], ['2100-01-01', 'future'], ['9999-12-31', 'far future'], ['1899-12-31', 'out of range'], ['2023-08-31', 'before the oldest school year'], ['2025-10-05\u0001', 'control'], [long(5000), 'too long']],
  minutes: [[null, 'null'], ['', 'empty'], ['30', 'text'], [30.5, 'fraction'], [0, 'zero'], [-1, 'negative'], [1441, 'above 1440'], [9223372036854775807, 'int64 max'], [[], 'wrong type'], [true, 'boolean']],
  kind: [[null, 'null'], ['', 'empty'], ['other', 'unknown'], [1, 'wrong type'], [long(100), 'too long'], ['internal\u0007', 'control']],
  line: [[null, 'null'], ['', 'empty'], ['NOPE', 'unknown'], [3, 'wrong type'], [long(65), 'too long'], ['P3\u001b', 'control']],
  goal: [['NOPE', 'unknown'], [1, 'wrong type'], [long(65), 'too long'], ['3.2\u0000', 'NUL']],
  advisors: [[null, 'null'], ['BC', 'not a list'], [[], 'empty'], [[''], 'empty entry'], [['ZZ'], 'unknown'], [['BC', 'BC'], 'twice'], [[1], 'wrong type'], [['B|C'], 'pipe'], [[long(65)], 'too long'], [Array(300).fill('BC'), 'too many'], [['BC\u0001'], 'control']],
  institutions: [['SAA', 'not a list'], [[1], 'wrong type'], [['SAA'], 'institutions on internal time'], [['NOPE'], 'unknown'], [[long(100)], 'too long']],
  modality: [['fysiek', 'modality on internal time'], [1, 'wrong type'], ['telepathie', 'unknown'], [long(65), 'too long']],
  activity: [[null, 'internal time needs one'], ['', 'empty'], ['sleeping', 'unknown'], [1, 'wrong type'], ['preparation\u0085', 'C1 control'], [long(65), 'too long']],
  trajectory: [['NOPE', 'unknown / internal'], [1, 'wrong type'], [long(65), 'too long']],
  level: [['meso', 'level on internal time'], ['mega', 'unknown'], [1, 'wrong type']],
  followup: [[true, 'follow-up on internal time'], ['true', 'text'], [1, 'number']],
  description: [[1, 'wrong type'], [['x'], 'wrong type'], [long(2001), 'too long'], ['a\u0000b', 'NUL'], ['a\u0001b', 'control'], ['a\u007fb', 'DEL'], ['a\u009bb', 'C1 CSI']],
  counts: [['leraren', 'not an object'], [[], 'wrong type'], [{ leraren: 1 }, 'counts on internal time'], [{ marsmannetjes: 1 }, 'unknown group'], [{ leraren: -1 }, 'negative'], [{ leraren: 10001 }, 'above 10000'], [{ leraren: 9223372036854775807 }, 'int64 max'], [{ leraren: '1' }, 'text'], [{ leraren: 1.5 }, 'fraction'], [{ leraren: null }, 'null']],
  colour: [['red', 'unknown field']],
};
// client-only fields on a client registration
const hostileClient = {
  institutions: [[null, 'a client needs one'], [[], 'empty'], [['SAA', 'SAA'], 'twice']],
  modality: [[null, 'a client needs one'], ['', 'empty']],
  activity: [['preparation', 'activity on client time']],
  level: [['', 'empty is fine? no: unknown'], ['MESO\n', 'control']],
};

test('hostile input: every API field of a registration, POST and PUT, answers 4xx and writes nothing', async () => {
  const r0 = await call('begeleider', 'POST', '/api/v1/registrations', { body: valid('hostile-target') });
  assert.equal(r0.status, 201);
  const etag = r0.headers.get('etag');
  const before = counts();
  let n = 0;
  const check = async (method, path, body, label, headers) => {
    const r = await call('begeleider', method, path, { body, headers });
    assert.ok(r.status >= 400 && r.status < 500, `${label}: ${r.status} ${r.text.slice(0, 300)}`);
    if (r.status === 422) assert.ok(r.json.errors.every((e) => e.pointer.startsWith('/')), label);
    assert.equal(counts(), before, `${label}: something was written`);
    n++;
  };
  for (const [field, cases] of Object.entries(hostile)) {
    for (const [value, why] of cases) {
      if (field === 'level' && value === '') continue;
      const body = { ...valid('hostile-new'), [field]: value };
      if (field === 'id' && value === null) continue; // absent id: the server assigns one
      await check('POST', '/api/v1/registrations', body, `POST ${field}=${JSON.stringify(value).slice(0, 40)} (${why})`);
      if (field !== 'id') {
        await check('PUT', '/api/v1/registrations/hostile-target', { ...valid('hostile-target'), [field]: value },
          `PUT ${field} (${why})`, { 'If-Match': etag });
      }
    }
  }
  for (const [field, cases] of Object.entries(hostileClient)) {
    for (const [value, why] of cases) {
      if (value === '' && field === 'level') continue;
      await check('POST', '/api/v1/registrations', { ...validClient('hostile-client'), [field]: value }, `POST client ${field} (${why})`);
    }
  }
  // bodies that are no registration at all
  for (const raw of ['', 'null', '[]', '"x"', '{', '{"id": "a", "id": "b"}', '\u0000']) {
    const r = await call('begeleider', 'POST', '/api/v1/registrations', { raw });
    assert.ok(r.status >= 400 && r.status < 500, `raw ${JSON.stringify(raw)}: ${r.status}`);
    assert.equal(counts(), before);
    n++;
  }
  assert.equal((await call('begeleider', 'GET', '/api/v1/registrations/hostile-target')).headers.get('etag'), etag);
  assert.ok(n > 200, `only ${n} cases ran`);
});

test('hostile input: the reference-data writes answer 4xx and write nothing', async () => {
  const before = one("SELECT COUNT(*) || ',' || (SELECT COUNT(*) FROM audit) || ',' || (SELECT COUNT(*) FROM target) || ',' || (SELECT COUNT(*) FROM plan) FROM line");
  const cases = [
    ['/api/v1/lines/PX', { name: long(201), kind: 'project' }, 'name too long'],
    ['/api/v1/lines/PX', { name: 'a\u0001b', kind: 'project' }, 'name control'],
    ['/api/v1/lines/PX', { name: '', kind: 'project' }, 'name empty'],
    ['/api/v1/lines/PX', { name: null, kind: 'project' }, 'name null'],
    ['/api/v1/lines/PX', { name: 'x', kind: 'galaxy' }, 'kind unknown'],
    ['/api/v1/lines/PX', { name: 'x', kind: 1 }, 'kind wrong type'],
    ['/api/v1/lines/PX', { name: 'x', kind: 'project', position: 'one' }, 'position wrong type'],
    ['/api/v1/lines/PX', { name: 'x', kind: 'project', position: 1.5 }, 'position fraction'],
    ['/api/v1/lines/PX', { name: ['x'], kind: 'project' }, 'name wrong type'],
    ['/api/v1/lines/PX', { name: 'x', kind: 'project', colour: 'red' }, 'unknown field'],
    [`/api/v1/lines/${long(65)}`, { name: 'x', kind: 'project' }, 'code too long'],
    ['/api/v1/lines/P%01X', { name: 'x', kind: 'project' }, 'code control'],
    ['/api/v1/targets/2025-2026/leraren', { target: -1 }, 'negative target'],
    ['/api/v1/targets/2025-2026/leraren', { target: 'many' }, 'target wrong type'],
    ['/api/v1/targets/2025-2026/leraren', { target: null }, 'target null'],
    ['/api/v1/targets/9999-10000/leraren', { target: 1 }, 'school year out of range'],
    ['/api/v1/plan/2025-2026/P3', { planned_fte: -1 }, 'negative plan'],
    ['/api/v1/plan/2025-2026/P3', { planned_fte: '1' }, 'plan wrong type'],
    ['/api/v1/plan/2025-2026/P3', { planned_fte: 1e300 }, 'plan out of range'],
  ];
  for (const [path, body, why] of cases) {
    const r = await call('admin', 'PUT', path, { body });
    assert.ok(r.status >= 400 && r.status < 500, `${why}: ${r.status} ${r.text.slice(0, 200)}`);
  }
  assert.equal(one("SELECT COUNT(*) || ',' || (SELECT COUNT(*) FROM audit) || ',' || (SELECT COUNT(*) FROM target) || ',' || (SELECT COUNT(*) FROM plan) FROM line"), before);
});

// ---- the web form ----

class Browser {
  constructor(url) { this.url = url; this.jar = new Map(); }
  cookies() { return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '); }
  async req(method, path, body) {
    const headers = { Cookie: this.cookies() };
    if (body !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(this.url + path, { method, headers, body, redirect: 'manual' });
    for (const c of setCookies(res)) {
      const [kv] = c.split(';');
      const i = kv.indexOf('=');
      this.jar.set(kv.slice(0, i), kv.slice(i + 1));
    }
    const text = await res.text();
    const m = text.match(/name="csrf" value="([0-9a-f]+)"/);
    if (m) this.csrf = m[1];
    return { status: res.status, text, headers: res.headers };
  }
  async login(login) {
    await this.req('GET', '/login');
    const r = await this.req('POST', '/login', `csrf=${this.csrf}&login=${login}&password=demo-bereik&next=/`);
    assert.equal(r.status, 303);
    await this.req('GET', '/registreren');
  }
}
// a form body: fields in order, values percent-encoded byte for byte (raw: already encoded)
const form = (fields) => fields.map(([k, v, raw]) => `${k}=${raw ? v : encodeURIComponent(v)}`).join('&');
const validForm = (csrf) => [['csrf', csrf], ['kind', 'internal'], ['date', '2025-10-05'], ['duration', '30'], ['line', 'P3'],
  ['activity', 'preparation'], ['description', 'grens']];
const withField = (fields, k, v, raw) => {
  const out = fields.filter(([x]) => x !== k);
  if (v !== undefined) out.push([k, v, raw]);
  return out;
};

test('defect 7 and the hostile table through the web form: every field, 422 beside the field, nothing written', async () => {
  const br = new Browser(base);
  await br.login('begeleider');
  // the form as such saves
  let r = await br.req('POST', '/registreren', form(validForm(br.csrf)));
  assert.equal(r.status, 303, r.text.slice(0, 500));
  const before = counts();
  const cases = [
    ['date', '', 'empty', /geef een datum/], ['date', '2100-01-01', 'future', /ligt na vandaag/], ['date', '2023-08-31', 'before the oldest school year', /ligt vóór 2023-09-01/],
    ['date', '9999-12-31', 'year 9999', /ligt na vandaag/], ['date', '05/10/2025', 'format', /geef een geldige datum/], ['date', '%FF', 'invalid UTF-8', /UTF-8/, true],
    // the form reads durations as people type them (docs/DAY-form.md): its bounds in words
    ['duration', '', 'empty', /geef een duur/], ['duration', '0', 'zero', /van 1 minuut tot 24u00/], ['duration', '1441', 'above 1440', /van 1 minuut tot 24u00/], ['duration', '25u', 'hours', /van 1 minuut tot 24u00/],
    ['duration', '9223372036854775807', 'int64 max', /van 1 minuut tot 24u00/], ['duration', '%FF', 'invalid UTF-8', /geef een duur van 1 tot 1440 minuten/, true],
    ['line', '', 'empty', /onbekende/], ['line', 'NOPE', 'unknown', /onbekende/], ['line', 'P3%1B', 'control', /controleteken/, true], ['line', long(65), 'too long', /hoogstens 64 tekens/],
    ['goal', 'NOPE', 'unknown', /onbekend operationeel doel/], ['goal', '%C0%AF', 'overlong UTF-8', /UTF-8/, true],
    ['activity', '', 'empty', /kies een activiteit/], ['activity', 'sleeping', 'unknown', /onbekende activiteit/],
    ['description', '%FF%FE', 'invalid UTF-8', /geen geldige UTF-8-tekst/, true], ['description', 'a%01b', 'control', /controleteken/, true],
    ['description', 'é'.repeat(2001), 'too long', /hoogstens 2000 tekens \(deze tekst heeft er 2001\)/],
    ['co', 'ZZ', 'unknown co-advisor', /onbekende begeleider/], ['co', 'BC', 'self twice', /twee keer/], ['co', '%FF', 'invalid UTF-8', /UTF-8/, true],
    ['kind', 'client', 'client without institutions and modality', /kies minstens één instelling/],
  ];
  for (const [field, value, why, message, raw] of cases) {
    r = await br.req('POST', '/registreren', form(withField(validForm(br.csrf), field, value, raw)));
    assert.equal(r.status, 422, `${field} (${why}): ${r.status}`);
    assert.match(r.text, message, `${field} (${why})`);
    assert.equal(counts(), before, `${field} (${why}): something was written`);
  }
  // client fields
  const client = (csrf) => [...withField(validForm(csrf), 'kind', 'client').filter(([k]) => k !== 'activity'),
    ['modality', 'online'], ['institutions', 'SAA'], ['tg-leraren', '2']];
  r = await br.req('POST', '/registreren', form(client(br.csrf)));
  assert.equal(r.status, 303);
  const before2 = counts();
  const clientCases = [
    ['tg-leraren', '10001', 'above 10000', /hoogstens 10000/], ['tg-leraren', '-1', 'negative', /negatief/],
    ['tg-leraren', '9223372036854775807', 'int64 max', /hoogstens 10000/], ['tg-leraren', 'veel', 'text', /geheel aantal/],
    ['tg-leraren', '%FF', 'invalid UTF-8', /geheel aantal/, true], ['modality', 'telepathie', 'unknown', /onbekende modaliteit/],
    ['modality', '', 'empty', /kies een modaliteit/], ['institutions', 'NOPE', 'unknown', /onbekende instelling/],
    ['institutions', '', 'empty', /kies minstens één instelling/], ['institutions', '%FF', 'invalid UTF-8', /UTF-8|onbekende/, true],
    ['level', 'mega', 'unknown', /onbekend niveau/], ['trajectory', 'NOPE', 'unknown', /onbekend begeleidingstraject/],
  ];
  for (const [field, value, why, message, raw] of clientCases) {
    r = await br.req('POST', '/registreren', form(withField(client(br.csrf), field, value, raw)));
    assert.equal(r.status, 422, `${field} (${why}): ${r.status}`);
    assert.match(r.text, message, `${field} (${why})`);
    assert.equal(counts(), before2, `${field} (${why}): something was written`);
  }
});

test('the web form: the day bound beside the minutes, a co-advisor only removes themselves, and the write rate per session', async () => {
  const url = await startServer(['--write-rate', '2/MIN']);
  const bc = new Browser(url);
  await bc.login('begeleider');
  const day = '2025-11-02'; // a Sunday
  let r = await bc.req('POST', '/registreren', form([...withField(validForm(bc.csrf), 'date', day).filter(([k]) => k !== 'duration'), ['duration', '1440'], ['co', 'FJ']]));
  assert.equal(r.status, 303);
  r = await bc.req('POST', '/registreren', form([...withField(validForm(bc.csrf), 'date', day)]));
  assert.equal(r.status, 422);
  assert.match(r.text, /begeleider &#39;BC&#39; zou 1470 minuten geregistreerd hebben op 2025-11-02|begeleider 'BC' zou 1470 minuten geregistreerd hebben op 2025-11-02/);
  // the third write of this session in the minute (the refused one did not count): 429
  r = await bc.req('POST', '/registreren', form(withField(validForm(bc.csrf), 'date', '2025-11-09')));
  assert.equal(r.status, 303);
  r = await bc.req('POST', '/registreren', form(withField(validForm(bc.csrf), 'date', '2025-11-16')));
  assert.equal(r.status, 429);
  assert.ok(Number(r.headers.get('retry-after')) >= 1);
  assert.match(r.text, /te veel registraties kort na elkaar bewaard/);
  assert.equal(one("SELECT COUNT(*) FROM registration WHERE date = '2025-11-16'"), '0');
  // FJ (co-advisor) cannot change BC's registration; Verwijderen removes only FJ
  const id = one(`SELECT ext_id FROM registration WHERE date = '${day}'`);
  const fj = new Browser(base);
  await fj.req('GET', '/login');
  r = await fj.req('POST', '/login', `csrf=${fj.csrf}&login=fj&password=fj-password-long-enough&next=/`);
  assert.equal(r.status, 303);
  await fj.req('GET', '/registreren');
  r = await fj.req('POST', '/registratie', form([['id', id], ...withField(validForm(fj.csrf), 'date', day)]));
  assert.equal(r.status, 403);
  r = await fj.req('POST', '/registratie/verwijder', form([['csrf', fj.csrf], ['id', id]]));
  assert.equal(r.status, 303);
  assert.equal(one(`SELECT r.minutes || ' ' || a.code FROM registration r JOIN registration_advisor ra ON ra.registration_id = r.id JOIN advisor a ON a.id = ra.advisor_id WHERE r.ext_id = '${id}'`), '1440 BC');
});
