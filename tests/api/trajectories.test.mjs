// SPDX-License-Identifier: EUPL-1.2
// The trajectories of issue 16 through the JSON API (docs/IMPACT.md, docs/API.md): an
// advisor creates one (201, and they are always among its advisors), reads and replaces
// it; another advisor gets 404 for it, as for one that does not exist; follow-up entries
// (201, 422); validation (422, the field named, nothing stored); the impact measures
// (an advisor sees no organisation scope, the director does, and its numbers move by
// exactly the trajectory and registration made here); and the dataset export holds what
// the API stored. Every response is checked against the OpenAPI document (lib.mjs).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, sql, bereik, bin, db } from './lib.mjs';

const one = (q) => sql(q).split('\n')[0];
const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Brussels' }); // the server's today
const dayOffset = (n) => new Date(Date.parse(today) + n * 86400000).toISOString().slice(0, 10);
const schoolYear = (() => {
  const [y, m] = today.split('-').map(Number);
  const first = m >= 9 ? y : y - 1;
  return `${first}-${first + 1}`;
})();
const yearEnd = `${Number(schoolYear.slice(5))}-06-30`;

// Own, active schools without a trajectory in this school year or later (so not reached
// this year under the 2025-2030 rule); other test files may have made some.
function freeInstitutions() {
  return sql(`SELECT i.number FROM institution i WHERE i.own = 1 AND i.active = 1 AND i.name LIKE 'School %'
    AND NOT EXISTS (SELECT 1 FROM trajectory t WHERE t.institution_id = i.id
      AND (t.end_date IS NULL OR t.end_date >= '${schoolYear.slice(0, 4)}-09-01')) ORDER BY i.code`)
    .split('\n').filter(Boolean);
}
let free;
const take = () => {
  const n = free.shift();
  assert.ok(n, 'an own school without a trajectory is left');
  return n;
};

// bereik with text on its standard input (a password)
function bereikWithInput(input, ...args) {
  return execFileSync(bin, ['--db', db, ...args], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

// A second advisor account: Cem Yilmaz (CY), with a token of their own.
let tokenCY;
before(() => {
  free = freeInstitutions();
  assert.ok(free.length >= 5, `own schools without trajectory: ${free.length}`);
  if (one("SELECT COUNT(*) FROM app_user WHERE login = 'traj-cy'") === '0')
    bereikWithInput('Kx7-traject-Qv9-test\n', 'user', 'add', 'traj-cy', '--role', 'advisor', '--advisor', 'CY',
      '--password-stdin');
  tokenCY = bereik('user', 'token', 'traj-cy', '--label', 'trajectories test').trim();
  assert.match(tokenCY, /^bereik_[0-9a-f]{64}$/);
});

const asCY = (method, path, opts = {}) => call('anon', method, path, { ...opts, token: tokenCY });

const body = (institution, extra = {}) => ({
  institution,
  line: 'P1',
  goal: '1.1',
  level: 'meso',
  shared_goal: 'Begrijpend lezen versterken',
  action_plan: 'Studiedag in oktober, klasbezoeken in het voorjaar, evaluatie in juni',
  start: today,
  status: 'active',
  advisors: ['BC'],
  steps: [{ what: 'Klasbezoeken', who: 'werkgroep lezen', due: yearEnd, expected: 'feedback aan elke leraar', done: false }],
  ...extra,
});

const created = {}; // name -> the trajectory as POST answered it

test('an advisor creates a trajectory: 201 with the stored trajectory, the advisor always among its advisors', async () => {
  const before = Number(one('SELECT COUNT(*) FROM trajectory'));
  // as in the brief: the advisor names themselves
  const inst1 = take();
  let r = await call('begeleider', 'POST', '/api/v1/trajectories', { body: body(inst1) });
  assert.equal(r.status, 201, r.text);
  const t = r.json;
  assert.ok(t.id, 'an id is assigned');
  assert.equal(t.institution, inst1);
  assert.equal(t.line, 'P1');
  assert.equal(t.goal, '1.1');
  assert.equal(t.level, 'meso');
  assert.equal(t.shared_goal, 'Begrijpend lezen versterken');
  assert.equal(t.action_plan, 'Studiedag in oktober, klasbezoeken in het voorjaar, evaluatie in juni');
  assert.equal(t.start, today);
  assert.equal(t.end, null);
  assert.equal(t.status, 'active');
  assert.deepEqual(t.advisors, ['BC']);
  assert.deepEqual(t.steps, [{ what: 'Klasbezoeken', who: 'werkgroep lezen', due: yearEnd, expected: 'feedback aan elke leraar', done: false }]);
  assert.equal(t.phase, null);
  assert.deepEqual(t.phase_dates, {});
  assert.equal(t.outcome, null);
  created.own = t;

  // a colleague named, the advisor not: they are added
  const inst2 = take();
  r = await call('begeleider', 'POST', '/api/v1/trajectories', { body: body(inst2, { advisors: ['CY'] }) });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([...r.json.advisors].sort(), ['BC', 'CY']);
  created.shared = r.json;

  // no advisors at all: the advisor alone
  const inst3 = take();
  const { advisors, ...noAdvisors } = body(inst3, { level: 'micro', steps: [] });
  r = await call('begeleider', 'POST', '/api/v1/trajectories', { body: noAdvisors });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.advisors, ['BC']);
  assert.deepEqual(r.json.steps, []);
  created.bare = r.json;

  assert.equal(Number(one('SELECT COUNT(*) FROM trajectory')), before + 3);
  // one audit entry each, a creation
  for (const x of [created.own, created.shared, created.bare])
    assert.equal(one(`SELECT COUNT(*) || ' ' || MIN(action) FROM audit WHERE object_type = 'trajectory' AND object_key = '${x.id}'`), '1 create');

  // read back: the same, alone and in the list of the advisor and of the director
  r = await call('begeleider', 'GET', `/api/v1/trajectories/${encodeURIComponent(created.own.id)}`);
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, created.own);
  const mine = (await call('begeleider', 'GET', '/api/v1/trajectories')).json.items;
  for (const x of [created.own, created.shared, created.bare])
    assert.deepEqual(mine.find((y) => y.id === x.id), x);
  const all = (await call('directie', 'GET', '/api/v1/trajectories')).json.items;
  assert.ok(all.some((y) => y.id === created.own.id), 'the director sees it');
  // the colleague named on it sees that one, not the others
  const cy = (await asCY('GET', '/api/v1/trajectories')).json.items.map((y) => y.id);
  assert.ok(cy.includes(created.shared.id));
  assert.ok(!cy.includes(created.own.id) && !cy.includes(created.bare.id));

  // an id that exists is no creation
  r = await call('begeleider', 'POST', '/api/v1/trajectories', { body: { ...body(inst1), id: created.own.id } });
  assert.equal(r.status, 409);
});

test("another advisor's token: 404 for reading, replacing and following up a trajectory they do not keep", async () => {
  assert.ok(created.own, 'made by the test before');
  const id = encodeURIComponent(created.own.id);
  const nobody = encodeURIComponent('T-does-not-exist');
  for (const [method, path, b] of [
    ['GET', `/api/v1/trajectories/${id}`, undefined],
    ['PUT', `/api/v1/trajectories/${id}`, { ...created.own, shared_goal: 'overgenomen' }],
    ['POST', `/api/v1/trajectories/${id}/followups`, { date: today, note: 'niet van mij' }],
  ]) {
    const r = await asCY(method, path, b ? { body: b } : {});
    assert.equal(r.status, 404, `${method} ${path} as CY`);
    assert.equal(r.headers.get('content-type'), 'application/problem+json');
    // exactly as a trajectory that does not exist
    const n = await asCY(method, path.replace(id, nobody), b ? { body: b } : {});
    assert.equal(n.status, 404);
    assert.equal(r.json.title, n.json.title);
  }
  // the coordinator (An Peeters) shares no team with Bert Claes: 404 too
  assert.equal((await call('coordinator', 'GET', `/api/v1/trajectories/${id}`)).status, 404);
  // begeleider likewise for a demo trajectory without BC
  const other = (await call('directie', 'GET', '/api/v1/trajectories')).json.items.find((x) => !x.advisors.includes('BC'));
  assert.ok(other);
  assert.equal((await call('begeleider', 'GET', `/api/v1/trajectories/${encodeURIComponent(other.id)}`)).status, 404);
  assert.equal((await call('begeleider', 'PUT', `/api/v1/trajectories/${encodeURIComponent(other.id)}`, { body: other })).status, 404);
  assert.equal((await call('begeleider', 'POST', `/api/v1/trajectories/${encodeURIComponent(other.id)}/followups`,
    { body: { date: today, note: 'x' } })).status, 404);
  // nothing changed
  const r = await call('begeleider', 'GET', `/api/v1/trajectories/${id}`);
  assert.deepEqual(r.json, created.own);
  assert.equal(one(`SELECT COUNT(*) FROM followup f JOIN trajectory t ON t.id = f.trajectory_id WHERE t.ext_id = '${created.own.id}'`), '0');
  assert.equal(one(`SELECT COUNT(*) FROM audit WHERE object_key = '${created.own.id}'`), '1');
});

test('the advisor replaces their trajectory with PUT; the colleague on it may too; writing it back unchanged writes no audit entry', async () => {
  const id = encodeURIComponent(created.shared.id);
  const changed = {
    ...body(created.shared.institution),
    level: 'micro',
    shared_goal: 'Wiskundige taal in alle vakken',
    action_plan: null,
    advisors: ['CY', 'DJ'],
    steps: [
      { what: 'Beginsituatie', who: 'directie', due: dayOffset(30), expected: 'gedeeld beeld', done: true },
      { what: 'Werkgroep', who: null, due: null, expected: null, done: false },
    ],
  };
  let r = await call('begeleider', 'PUT', `/api/v1/trajectories/${id}`, { body: changed });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.id, created.shared.id);
  assert.equal(r.json.level, 'micro');
  assert.equal(r.json.shared_goal, 'Wiskundige taal in alle vakken');
  assert.equal(r.json.action_plan, null);
  assert.deepEqual([...r.json.advisors].sort(), ['BC', 'CY', 'DJ']); // BC added back
  assert.deepEqual(r.json.steps, [
    { what: 'Beginsituatie', who: 'directie', due: dayOffset(30), expected: 'gedeeld beeld', done: true },
    { what: 'Werkgroep', who: null, due: null, expected: null, done: false },
  ]);
  const stored = r.json;
  assert.deepEqual((await call('begeleider', 'GET', `/api/v1/trajectories/${id}`)).json, stored);
  assert.equal(one(`SELECT COUNT(*) FROM audit WHERE object_type = 'trajectory' AND object_key = '${created.shared.id}'`), '2');

  // the stored representation written back: 200, the same, no new audit entry
  r = await call('begeleider', 'PUT', `/api/v1/trajectories/${id}`, { body: stored });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, stored);
  assert.equal(one(`SELECT COUNT(*) FROM audit WHERE object_type = 'trajectory' AND object_key = '${created.shared.id}'`), '2');

  // CY keeps it as well and changes its status
  r = await asCY('PUT', `/api/v1/trajectories/${id}`, { body: { ...stored, status: 'closed', end: today, outcome: 'partly', outcome_note: 'half' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'closed');
  assert.equal(r.json.outcome, 'partly');
  assert.deepEqual([...r.json.advisors].sort(), ['BC', 'CY', 'DJ']);

  // an id in the body that is not the one of the path
  r = await call('begeleider', 'PUT', `/api/v1/trajectories/${id}`, { body: { ...stored, id: created.own.id } });
  assert.equal(r.status, 422);
  assert.ok(r.json.errors.some((e) => e.field === 'id'), r.text);
});

test('follow-up entries: 201 with the stored entry; 422 naming the field, nothing stored', async () => {
  const id = created.own.id;
  const path = `/api/v1/trajectories/${encodeURIComponent(id)}/followups`;
  const count = () => Number(one(`SELECT COUNT(*) FROM followup f JOIN trajectory t ON t.id = f.trajectory_id WHERE t.ext_id = '${id}'`));
  let r = await call('begeleider', 'POST', path, { body: { date: today, note: 'Werkgroep besprak de klasbezoeken' } });
  assert.equal(r.status, 201, r.text);
  assert.ok(r.json.id);
  assert.equal(r.json.trajectory, id);
  assert.equal(r.json.date, today);
  assert.equal(r.json.note, 'Werkgroep besprak de klasbezoeken');
  assert.equal(r.json.next_step, null);
  assert.equal(r.json.registration, null);
  const first = r.json.id;
  r = await call('begeleider', 'POST', path, { body: { date: today, note: 'Tweede overleg', next_step: 'Evaluatie plannen' } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.next_step, 'Evaluatie plannen');
  assert.notEqual(r.json.id, first);
  assert.equal(count(), 2);
  assert.equal(one(`SELECT note || '|' || next_step FROM followup WHERE ext_id = '${r.json.id}'`), 'Tweede overleg|Evaluatie plannen');

  for (const [b, field] of [
    [{ date: today }, 'note'],
    [{ note: 'zonder datum' }, 'date'],
    [{ date: '2026-02-30', note: 'geen dag' }, 'date'],
    [{ date: today, note: 'x', mood: 'goed' }, 'mood'],
    [{ date: today, note: 42 }, 'note'],
  ]) {
    r = await call('begeleider', 'POST', path, { body: b });
    assert.equal(r.status, 422, `${JSON.stringify(b)}: ${r.text}`);
    assert.equal(r.headers.get('content-type'), 'application/problem+json');
    assert.ok(r.json.errors.some((e) => e.field === field), `${JSON.stringify(b)} names ${field}: ${r.text}`);
  }
  assert.equal(count(), 2);
});

test('validation: 422 problem documents that name the field, and nothing is stored', async () => {
  const inst = take();
  const before = one('SELECT COUNT(*) FROM trajectory');
  const audits = one('SELECT COUNT(*) FROM audit');
  for (const [b, field] of [
    [body('999999'), 'institution'],
    [(({ institution, ...x }) => x)(body(inst)), 'institution'],
    [body(inst, { level: 'macro' }), 'level'],
    [body(inst, { status: 'paused' }), 'status'],
    [body(inst, { line: 'GEEN-LIJN' }), 'line'], // api.test.mjs creates P9
    [body(inst, { start: '2026-09-31' }), 'start'],
    [body(inst, { end: dayOffset(-1) }), 'end'], // an end before the start
    [body(inst, { colour: 'blue' }), 'colour'],
    [body(inst, { steps: [{ what: 'x', who: 'y', due: 'morgen', expected: 'z', done: false }] }), 'steps.0.due'],
    [body(inst, { outcome: 'maybe' }), 'outcome'],
  ]) {
    const r = await call('begeleider', 'POST', '/api/v1/trajectories', { body: b });
    assert.equal(r.status, 422, `${JSON.stringify(b)}: ${r.text}`);
    assert.equal(r.headers.get('content-type'), 'application/problem+json');
    const e = r.json.errors.find((x) => x.field === field);
    assert.ok(e, `names ${field}: ${r.text}`);
    assert.equal(e.pointer, `/${field.replaceAll('.', '/')}`);
    assert.ok(e.message, r.text);
  }
  // an unknown advisor code: refused, named by its place in the list
  const r = await call('begeleider', 'POST', '/api/v1/trajectories', { body: body(inst, { advisors: ['BC', 'NOPE'] }) });
  assert.equal(r.status, 422, r.text);
  assert.ok(r.json.errors.some((e) => e.field === 'advisors.1' && e.pointer === '/advisors/1' && /NOPE/.test(e.message)), r.text);
  assert.equal(one('SELECT COUNT(*) FROM trajectory'), before);
  assert.equal(one('SELECT COUNT(*) FROM audit'), audits);
  free.unshift(inst);
});

// RFC 6901: the value a JSON Pointer names in a document (undefined when none).
function resolve(doc, pointer) {
  if (pointer === '') return doc;
  let v = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const k = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (v === null || typeof v !== 'object' || !(k in v)) return undefined;
    v = v[k];
  }
  return v;
}

// openapi.json: "pointer: JSON Pointer (RFC 6901) to the field in the request body", also for
// an element of the advisors and of the steps.
test('422 errors of the advisors and the steps point into the request body', async () => {
  const inst = take();
  try {
    for (const b of [
      body(inst, { advisors: ['BC', 'NOPE'] }),
      body(inst, { steps: [{ what: 'x', who: 'y', due: 'morgen', expected: 'z', done: false }] }),
    ]) {
      const r = await call('begeleider', 'POST', '/api/v1/trajectories', { body: b });
      assert.equal(r.status, 422, r.text);
      for (const e of r.json.errors)
        assert.notEqual(resolve(b, e.pointer), undefined, `${e.pointer} names nothing in ${JSON.stringify(b)}`);
    }
  } finally {
    free.unshift(inst);
  }
});

// The measures of one scope, as numbers (absent measures as 0).
function measures(json, scope) {
  return json.scopes[scope] || {};
}

test('GET /api/v1/impact: an advisor has no organisation scope, the director has; a trajectory and a registration with follow-up move it by exactly one', async () => {
  const year = `?year=${schoolYear}`;
  let adv = await call('begeleider', 'GET', `/api/v1/impact${year}`);
  assert.equal(adv.status, 200);
  assert.equal(adv.json.school_year, schoolYear);
  assert.equal(adv.json.threshold, 5);
  assert.equal('org' in adv.json.scopes, false);
  const teams = (await call('begeleider', 'GET', '/api/v1/advisors/BC')).json.teams || [];
  const allowed = new Set(['advisor:BC', ...teams.map((t) => `team:${t}`)]);
  assert.ok('advisor:BC' in adv.json.scopes, Object.keys(adv.json.scopes).join(' '));
  for (const k of Object.keys(adv.json.scopes)) assert.ok(allowed.has(k), `advisor sees scope ${k}`);
  const coord = await call('coordinator', 'GET', `/api/v1/impact${year}`);
  assert.equal(coord.status, 200);
  assert.equal('org' in coord.json.scopes, false);

  let dir = await call('directie', 'GET', `/api/v1/impact${year}`);
  assert.equal(dir.status, 200);
  assert.equal(dir.json.school_year, schoolYear);
  const org0 = measures(dir.json, 'org');
  for (const k of ['active', 'goal_plan', 'reached'])
    assert.equal(typeof org0[k], 'number', `org.${k}: ${JSON.stringify(org0)}`);
  assert.ok(org0.active > 0);
  const bc0 = measures(adv.json, 'advisor:BC');

  // an active trajectory with shared goal and action plan, begun today
  const inst = take();
  const t = await call('begeleider', 'POST', '/api/v1/trajectories', { body: body(inst, { action_plan: null }) });
  assert.equal(t.status, 201, t.text);
  dir = await call('directie', 'GET', `/api/v1/impact${year}`);
  adv = await call('begeleider', 'GET', `/api/v1/impact${year}`);
  let org1 = measures(dir.json, 'org');
  assert.equal(org1.active, org0.active + 1);
  assert.equal(org1.goal_plan, org0.goal_plan + 1); // the complete step is its action plan
  assert.equal(org1.reached, org0.reached); // no registration with follow-up yet
  assert.equal(measures(adv.json, 'advisor:BC').active, (bc0.active || 0) + 1);

  // a client session with follow-up linked to it: the school counts as reached
  const reg = await call('begeleider', 'POST', '/api/v1/registrations', {
    body: {
      id: `traj-api-${t.json.id}`, date: today, minutes: 60, kind: 'client', line: 'P1', goal: '1.1',
      advisors: ['BC'], institutions: [inst], modality: 'fysiek', trajectory: t.json.id, level: 'meso', followup: true,
    },
  });
  assert.equal(reg.status, 201, reg.text);
  assert.equal(reg.json.trajectory, t.json.id);
  assert.equal(reg.json.followup, true);
  dir = await call('directie', 'GET', `/api/v1/impact${year}`);
  org1 = measures(dir.json, 'org');
  assert.equal(org1.reached, org0.reached + 1);
  assert.equal(org1.active, org0.active + 1);

  // a year that is none
  assert.equal((await call('directie', 'GET', '/api/v1/impact?year=2026')).status, 400);
  assert.equal((await call('anon', 'GET', `/api/v1/impact${year}`)).status, 401);
});

// A CSV of the export as objects keyed by its header (the values written here hold no
// commas, quotes or line breaks).
function readCsv(dir, file) {
  const [head, ...lines] = readFileSync(join(dir, file), 'utf8').trim().split('\n');
  const cols = head.split(',');
  return lines.map((l) => {
    const cells = l.split(',');
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
  });
}

test('a trajectory created through the API is in the export: trajectories.csv, trajectory_advisors.csv, action_steps.csv', async () => {
  const inst = take();
  const r = await call('begeleider', 'POST', '/api/v1/trajectories', {
    body: body(inst, {
      goal: '1.3', level: 'micro', shared_goal: 'Taalbeleid', action_plan: 'Plan per trimester', advisors: ['EM'],
      steps: [
        { what: 'Nulmeting', who: 'werkgroep', due: dayOffset(14), expected: 'beginsituatie', done: true },
        { what: 'Studiedag', who: 'leraren', due: dayOffset(60), expected: 'afspraken', done: false },
      ],
    }),
  });
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  const list = (await call('begeleider', 'GET', '/api/v1/trajectories')).json.items;
  assert.ok(list.some((x) => x.id === id), 'listed by GET /api/v1/trajectories');

  const dir = mkdtempSync(join(process.env.API_TMP || tmpdir(), 'traj-export-'));
  try {
    bereik('export', dir);
    const rows = readCsv(dir, 'trajectories.csv').filter((x) => x.id === id);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].institution, inst);
    assert.equal(rows[0].line, 'P1');
    assert.equal(rows[0].goal, '1.3');
    assert.equal(rows[0].level, 'micro');
    assert.equal(rows[0].shared_goal, 'Taalbeleid');
    assert.equal(rows[0].action_plan, 'Plan per trimester');
    assert.equal(rows[0].start, today);
    assert.equal(rows[0].end, '');
    assert.equal(rows[0].status, 'active');
    const advisors = readCsv(dir, 'trajectory_advisors.csv').filter((x) => x.trajectory === id).map((x) => x.advisor).sort();
    assert.deepEqual(advisors, ['BC', 'EM']);
    const steps = readCsv(dir, 'action_steps.csv').filter((x) => x.trajectory === id)
      .map(({ trajectory, ...s }) => s);
    assert.deepEqual(steps, [
      { step: '1', what: 'Nulmeting', who: 'werkgroep', due: dayOffset(14), expected: 'beginsituatie', done: 'true' },
      { step: '2', what: 'Studiedag', who: 'leraren', due: dayOffset(60), expected: 'afspraken', done: 'false' },
    ]);
    // the follow-up entries made above are exported too
    const fu = readCsv(dir, 'followups.csv').filter((x) => x.trajectory === created.own.id);
    assert.deepEqual(fu.map((x) => x.note).sort(), ['Tweede overleg', 'Werkgroep besprak de klasbezoeken']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
