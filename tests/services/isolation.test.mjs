// SPDX-License-Identifier: EUPL-1.2
// Cross-service isolation over HTTP (docs/SERVICES.md): two services, noord and zuid, in
// one PostgreSQL database behind one `bereik serve` that connects as an application role
// held to row-level security. For every route of src/web/router.c (read from the file, so
// a new route is covered without a change here), in both directions:
//   (a) B's session cookie (pages) or API token (API) at A's host is an anonymous
//       visitor's, and A's rows do not change; B's password, second-factor setup ticket
//       and device cookie are unknown at A's login form; a login at A that carries B's
//       session cookie leaves B's session alone;
//   (b) A's own admin (and coordinator, where the handler needs an advisor), given B's
//       ids, codes, tokens and tickets, finds nothing of B: each route answers what it
//       answers for a missing object (the table below says which status and why);
//       A's Vergelijking shows nothing of B, which does not share;
//   (c) B's rows (a checksum per table, read as the superuser by service_id, not through
//       the policies under test) are the same after all of A's attempts;
// and (d) a host no service has answers 404, a suspended service 503 until resumed.
// B's distinctive strings are made here (random per run), on B's side only, through B's
// own API and pages; no response of A may contain one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { BIN, PASSWORD, freePort } from '../e2e/lib.mjs';

const PG = process.env.BEREIK_TEST_PG;
if (!PG) {
  console.log('skipped: BEREIK_TEST_PG is not set');
  process.exit(77);
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RUN = randomBytes(3).toString('hex');
const DBNAME = `bt_iso_${process.pid}_${RUN}`;
const pgHostPort = PG.replace(/^postgresql:\/\/[^@]*@/, '');
const OWNER_URI = `postgresql://bereik_owner@${pgHostPort}/${DBNAME}`;
const APP_URI = `postgresql://bereik_app@${pgHostPort}/${DBNAME}`;
const SUPER_URI = `${PG}/${DBNAME}`;
// what the failed logins and the one successful login of (a) write at A: the throttle
// counters and the failures shown in the audit view (auth.c login_failed), and the new
// session (the device cookie it came with is known already)
const LOGIN_TABLES = ['login_attempt', 'login_failure', 'session'];

let dir, server, port, serverLog = '';
const svc = {}; // code -> { code, id, host, name, admin, coordinator, token, coordToken, v }

// ---- processes and SQL ----

function bereik(args, input) {
  return execFileSync(BIN, args, {
    encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 << 20,
  });
}

function psql(uri, sql) {
  return execFileSync('psql', [uri, '-qAtX', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20,
  }).trim();
}

// One checksum per table of the rows of service id (and its own row of `service`), read
// as the superuser (no policy applies) by the service_id column.
let ownedTables;
function checksums(id) {
  if (!ownedTables) {
    ownedTables = psql(SUPER_URI, `SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND a.attname = 'service_id'
      AND NOT a.attisdropped ORDER BY 1`).split('\n');
  }
  const parts = ownedTables.map((t) => `SELECT '${t}', COALESCE(md5(string_agg(x::text, '|' ORDER BY x::text)), '-') FROM ${t} x WHERE service_id = ${id}`);
  parts.push(`SELECT 'service', md5(x::text) FROM service x WHERE id = ${id}`);
  const out = {};
  for (const line of psql(SUPER_URI, parts.join(' UNION ALL ')).split('\n')) {
    const [t, sum] = line.split('|');
    out[t] = sum;
  }
  return out;
}

// The checksums once the server's work after the last request (the views it refreshes
// in the background) is done: two readings 300 ms apart that agree.
async function settledChecksums(id) {
  let last = checksums(id);
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 300));
    const now = checksums(id);
    if (changedTables(last, now).length === 0) return now;
    last = now;
  }
  throw new Error(`the rows of service ${id} keep changing`);
}

function changedTables(before, after) {
  return Object.keys(before).filter((t) => before[t] !== after[t]);
}

// ---- HTTP ----

function request(method, path, { host, cookies = {}, headers = {}, form, json, raw, contentType, from, noHost } = {}) {
  let body = null;
  const h = noHost ? { ...headers } : { host, ...headers };
  if (form) {
    body = Buffer.from(new URLSearchParams(form).toString());
    h['content-type'] = 'application/x-www-form-urlencoded';
  } else if (json !== undefined) {
    body = Buffer.from(JSON.stringify(json));
    h['content-type'] = 'application/json';
  } else if (raw !== undefined) {
    body = Buffer.from(raw);
    h['content-type'] = contentType;
  }
  if (body) h['content-length'] = body.length;
  const jar = Object.entries(cookies).map(([k, v]) => `${k}=${v}`).join('; ');
  if (jar) h.cookie = jar;
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: h, agent: false, localAddress: from, setHost: !noHost }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const buf = Buffer.concat(chunks);
        resolve({ status: res.statusCode, headers: res.headers, buf, text: buf.toString('latin1'), sent: `${path}\n${body ? body.toString() : ''}\n${JSON.stringify(headers)}` });
      });
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

function setCookies(res) {
  const out = {};
  for (const c of res.headers['set-cookie'] || []) {
    const m = /^([^=]+)=([^;]*)/.exec(c);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

function csrfOf(text) {
  const m = /name="csrf" value="([0-9a-f]+)"/.exec(text);
  return m ? m[1] : null;
}

// Logs in through the login form of the service on host: its session cookie and CSRF token.
async function login(host, user, password = PASSWORD) {
  const pre = await request('GET', '/login', { host });
  assert.equal(pre.status, 200, `GET /login at ${host}`);
  const cookies = setCookies(pre);
  const res = await request('POST', '/login', {
    host, cookies, form: { csrf: csrfOf(pre.text), login: user, password, next: '/' },
  });
  assert.equal(res.status, 303, `${user} logs in at ${host}: ${res.text.slice(0, 300)}`);
  const { bereik_session: session, bereik_device: device } = setCookies(res);
  assert.ok(session, 'a session cookie');
  const page = await request('GET', '/mijn-account', { host, cookies: { bereik_session: session } });
  assert.equal(page.status, 200);
  return { cookies: { bereik_session: session }, csrf: csrfOf(page.text), login: user, device };
}

// The text of a response as a reader sees it: XLSX (zip) entries inflated, PDF through
// pdftotext, everything else as it came.
function readable(res) {
  const b = res.buf;
  if (b.length > 22 && b.readUInt32LE(0) === 0x04034b50) {
    // the entries by the central directory (their sizes are there also when the local
    // headers defer them to a data descriptor)
    const eocd = b.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    let at = b.readUInt32LE(eocd + 16), text = '';
    for (let i = b.readUInt16LE(eocd + 10); i > 0; i--) {
      const method = b.readUInt16LE(at + 10), size = b.readUInt32LE(at + 20);
      const local = b.readUInt32LE(at + 42);
      const start = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
      const data = b.subarray(start, start + size);
      text += (method === 8 ? zlib.inflateRawSync(data) : data).toString('utf8');
      at += 46 + b.readUInt16LE(at + 28) + b.readUInt16LE(at + 30) + b.readUInt16LE(at + 32);
    }
    return text;
  }
  if (b.subarray(0, 5).toString() === '%PDF-') {
    return execFileSync('pdftotext', ['-q', '-', '-'], { input: b, encoding: 'utf8', maxBuffer: 64 << 20 });
  }
  return b.toString('utf8');
}

// Asserts that the response holds none of B's distinctive strings that this request did
// not itself send, nor any of the extra strings named for it.
function assertNothingOf(B, res, what, extra = []) {
  const text = readable(res);
  for (const m of [...svc[B].markers, ...extra]) {
    if (res.sent.includes(m)) continue;
    assert.ok(!text.includes(m), `${what}: the response holds ${B}'s "${m}"`);
  }
}

// ---- the route table ----

function readRoutes() {
  const src = readFileSync(join(root, 'src', 'web', 'router.c'), 'utf8');
  const re = /\b(PAGE|API)\(\s*"([A-Z]+)",\s*"([^"]+)",\s*(ROLE_[A-Z]+),\s*\w+,\s*((?:"[^"]*"\s*)+)\)/g;
  const out = [];
  for (let m; (m = re.exec(src));) {
    const fields = [...m[5].matchAll(/"([^"]*)"/g)].map((x) => x[1]).join('').split(/\s+/).filter(Boolean);
    out.push({ kind: m[1], method: m[2], path: m[3], role: m[4], fields, key: `${m[2]} ${m[3]}` });
  }
  return out;
}
const routes = readRoutes();

// The path with B's values in its parameters.
function pathOf(route, v) {
  return route.path.replace(/\{(\w+)\}/g, (_, p) => {
    if (p === 'id') {
      if (route.path.includes('/trajectories/')) return v.traj;
      if (route.path.includes('/surveys/')) return v.survey;
      return v.reg;
    }
    if (p === 'code') {
      const res = route.path.split('/')[3];
      return { sectors: v.sector, lines: v.line, goals: v.goal, teams: v.team, advisors: v.advisor, 'target-groups': v.tg }[res] || v.team;
    }
    if (p === 'number') return v.inst;
    if (p === 'school_year') return v.year;
    if (p === 'line') return v.line;
    if (p === 'target_group') return v.tg;
    if (p === 'file') return 'icon.svg';
    return v.reg;
  });
}

// ---- the probes of (b): per route, the requests with B's ids and what A may answer ----
//
// Each probe: q (query), form, json, headers, as ('admin' or 'coordinator'), expect (the
// statuses accepted, from the handler's code for a missing object), why, and optionally
// absent (strings of B that must not be in the answer) or check(res).
// A route missing here gets the default probe: its id-like fields filled with B's
// values, any status below 500 accepted (not a 2xx when an id-like field was filled), and
// no B string in the answer.

const REF_RESOURCES = { sectors: 'sector', lines: 'line', goals: 'goal', institutions: 'inst', teams: 'team', advisors: 'advisor', 'target-groups': 'tg' };
const DATA_FILES = [['teams', 'team'], ['advisors', 'advisor'], ['institutions', 'inst'], ['lines', 'line'], ['goals', 'goal'], ['sectors', 'sector'], ['target_groups', 'tg'], ['trajectories', 'traj']];

function regForm(v, extra = {}) {
  return {
    kind: 'client', date: v.date, duration: '1:00', line: v.line, goal: v.goal, institutions: v.inst, modality: 'fysiek',
    trajectory: v.traj, level: 'micro', description: 'probe', ...extra,
  };
}

function probes(v) {
  const P = {
    'GET /': [{ expect: [303], why: 'home redirects by role; it takes no id' }],
    'GET /login': [{ q: { next: '/' }, expect: [303], why: 'a logged-in user is sent on' }],
    'POST /login': [{ form: { login: v.login, password: v.password, next: '/' }, expect: [401], why: 'B\'s account and password are unknown at A' }],
    'POST /logout': [{ expect: [303], why: 'ends A\'s own session (run last)' }],
    'GET /login/oidc': [{ q: { next: '/' }, expect: [404], why: 'no OpenID provider is configured' }],
    'GET /login/oidc/callback': [{ q: { state: v.reg, code: 'x' }, expect: [404], why: 'no OpenID provider is configured' }],
    'POST /taal': [{ form: { lang: 'nl', next: '/' }, expect: [303], why: 'sets the language cookie; no id' }],
    'GET /healthz': [{ expect: [200], why: 'the installation\'s, not a service\'s' }],
    'GET /static/{file}': [{ expect: [200], why: 'the installation\'s, not a service\'s' }],
    'GET /dashboard': [{ q: { jaar: v.year }, expect: [200], why: 'A\'s dashboard; no id' }],
    'GET /week': [
      { q: { begeleider: v.advisor }, expect: [403], why: 'an advisor outside the user\'s read scope (unknown) is refused (week_advisor -2)' },
      { as: 'coordinator', q: { begeleider: v.advisor }, expect: [403], why: 'the same for a coordinator' },
      { as: 'coordinator', q: { datum: v.date, gekopieerd: v.reg }, expect: [200], why: 'A\'s own week; B\'s registration id names nothing' },
    ],
    'GET /week/zoeken': [
      { q: { q: v.descPart, pijler: v.line }, expect: [200], why: 'a search: A\'s rows only' },
      { as: 'coordinator', q: { q: v.descPart }, expect: [200], why: 'a search: A\'s rows only' },
    ],
    'POST /week/kopieer': [
      { as: 'coordinator', form: { bereik: 'dag', van: v.date, naar: v.date2 }, expect: [303], why: 'copies A\'s own day (a write in A; no id)' },
    ],
    'GET /rapport': [{ q: { jaar: v.year }, expect: [200], why: 'A\'s report' }],
    'GET /rapport/xlsx': [{ q: { jaar: v.year }, expect: [200], why: 'A\'s report' }],
    'GET /rapport/pdf': [{ q: { jaar: v.year }, expect: [200], why: 'A\'s report' }],
    'GET /rapport/html': [{ q: { jaar: v.year }, expect: [200], why: 'A\'s report' }],
    'GET /rapport/csv': [{ q: { jaar: v.year }, expect: [200], why: 'A\'s report' }],
    'GET /trajecten': [{ q: { jaar: v.year }, expect: [200], why: 'A\'s trajectories', absent: [v.traj] }],
    'GET /datakwaliteit': [{ q: { jaar: v.year }, expect: [200], why: 'A\'s data quality' }],
    'GET /traject': [
      { q: { id: v.traj }, expect: [404], why: 'an unknown trajectory id is 404 (page_trajectory_get)' },
      { q: { instelling: v.inst }, expect: [200], why: 'the empty form of a new trajectory; the number is only echoed' },
    ],
    'POST /traject': [
      { form: { id: v.traj, institution: v.inst, status: 'lopend' }, expect: [404], why: 'editing an unknown trajectory id is 404' },
      { form: { institution: v.inst, line: v.line, goal: v.goal }, expect: [422], why: 'a new trajectory at an institution A does not have is refused' },
    ],
    'POST /traject/opvolging': [{ form: { id: v.traj, date: v.date, note: 'probe' }, expect: [404], why: 'an unknown trajectory id is 404' }],
    'POST /traject/fase': [{ form: { id: v.traj, phase: 'analyse', date: v.date }, expect: [404], why: 'an unknown trajectory id is 404' }],
    'GET /enquete': [{ q: { t: v.surveyToken }, expect: [404], why: 'an unknown survey link is the 404 message page' }],
    'POST /enquete': [{ form: { t: v.surveyToken }, expect: [404], why: 'an unknown survey link is the 404 message page' }],
    'GET /enquetes': [{ q: { id: v.survey }, expect: [404], why: 'an unknown survey id is 404' }],
    'POST /enquetes': [
      { form: { kind: 'short', trajectory: v.traj }, expect: [422], why: 'a survey of an unknown trajectory is refused (SURVEY_NOT_FOUND)' },
      { form: { kind: 'short', registration: v.reg }, expect: [422], why: 'a survey of an unknown registration is refused' },
    ],
    'GET /enquetes/qr.svg': [{ q: { id: v.survey }, expect: [404], why: 'an unknown survey id is 404' }],
    'GET /instellingen': [{ q: { q: v.instPart, formaat: 'json' }, expect: [200], why: 'a search: no hits', check: (r) => assert.equal(r.text.trim(), '[]') }],
    'GET /beheer': [{ expect: [200], why: 'A\'s administration' }],
    'POST /beheer/schooljaar': [{ form: { jaar: v.year, slot: 'dicht' }, expect: [422], why: 'locking without confirmation writes nothing; no id' }],
    'GET /audit': [{ expect: [200], why: 'A\'s audit trail' }],
    'GET /beheer/export': DATA_FILES.map(([file, k]) => ({ q: { bestand: `${file}.csv` }, expect: [200], why: `A's ${file}.csv`, absent: [v[k]] })),
    'POST /beheer/import': [{ multipart: true, expect: [422], why: 'no file: nothing imported' }],
    'GET /beheer/gebruikers': [{ expect: [200], why: 'A\'s accounts', absent: [v.login] }],
    'POST /beheer/gebruikers': [{ form: { login: `${v.login}-new`, role: 'advisor', advisor: v.advisor, password: 'Lang-en-sterk-wachtwoord-71' }, expect: [422], why: 'an account for an advisor A does not have is refused' }],
    'POST /beheer/gebruikers/actief': [{ form: { login: v.login, actief: 'nee' }, expect: [404], why: 'an unknown login is 404' }],
    'GET /beheer/gegevens': [{ q: { bestand: 'teams', q: v.teamPart }, expect: [200], why: 'A\'s teams; the search finds nothing' }],
    'GET /beheer/rij': DATA_FILES.map(([file, k]) => ({ q: { bestand: file, k0: v[k] }, expect: [404], why: `an unknown key of ${file} is 404` })),
    'POST /beheer/rij': [
      { form: { bestand: 'teams', bestaand: '1', 'c-code': v.team, 'c-name': 'probe' }, expect: [404], why: 'editing an unknown row is 404' },
      { form: { bestand: 'advisors', bestaand: '1', 'c-code': v.advisor, 'c-name': 'probe', 'c-fte': '1' }, expect: [404], why: 'editing an unknown row is 404' },
    ],
    'POST /beheer/rij/verwijder': DATA_FILES.filter(([f]) => f !== 'trajectories').map(([file, k]) => ({ form: { bestand: file, k0: v[k] }, expect: [404], why: `deleting an unknown key of ${file} is 404` })),
    'GET /registreren': [
      { q: { herhaal: v.reg }, expect: [200], why: 'the admin has no advisor: the page says so' },
      { as: 'coordinator', q: { herhaal: v.reg }, expect: [200], why: 'repeating an unknown registration gives the empty form' },
      { as: 'coordinator', q: { favoriet: v.fav }, expect: [200], why: 'an unknown favourite gives the empty form' },
    ],
    'POST /registreren': [
      { form: regForm(v), expect: [403], why: 'the admin has no advisor' },
      { as: 'coordinator', form: regForm(v), expect: [422], why: 'B\'s line, institution and trajectory are unknown at A' },
    ],
    'POST /registreren/favoriet': [
      { as: 'coordinator', form: regForm(v, { favoriet_naam: 'probe' }), expect: [303], why: 'a favourite keeps the fields as typed, unchecked: A\'s own new favourite (B\'s favourite id stays unknown: GET /registreren?favoriet=)' },
    ],
    'POST /registreren/favoriet/verwijder': [
      { form: { favoriet_id: v.fav }, expect: [400], why: 'the admin has no advisor' },
      { as: 'coordinator', form: { favoriet_id: v.fav }, expect: [303], why: 'deletes the user\'s own favourite with that id: none; the same answer as for any missing favourite (favourite_delete)' },
    ],
    'GET /sw.js': [{ expect: [200], why: 'the service worker' }],
    'POST /registreren/sync': [
      { as: 'coordinator', headers: { 'idempotency-key': v.idem }, form: regForm(v), expect: [422], why: 'B\'s Idempotency-Key is new at A; B\'s codes are unknown', absent: [v.reg] },
    ],
    'POST /timer/start': [{ form: { next: '/registreren' }, expect: [303], why: 'A\'s own timer; no id' }],
    'POST /timer/stop': [{ expect: [303], why: 'A\'s own timer; no id' }],
    'GET /registratie': [
      { q: { id: v.reg }, expect: [403], why: 'a registration not found in the user\'s write scope is 403 (load_own)' },
      { as: 'coordinator', q: { id: v.reg }, expect: [403], why: 'the same for the coordinator' },
    ],
    'POST /registratie': [{ as: 'coordinator', form: { ...regForm(v), id: v.reg }, expect: [403], why: 'editing a registration not found is 403 (handle_post)' }],
    'GET /registratie/verwijder': [{ as: 'coordinator', q: { id: v.reg }, expect: [403], why: 'not found is 403' }],
    'POST /registratie/verwijder': [{ as: 'coordinator', form: { id: v.reg }, expect: [403], why: 'not found is 403' }],
    'POST /registratie/ongedaan': [{ as: 'coordinator', form: { id: v.reg }, expect: [403], why: 'not found is 403' }],
    'GET /api-sleutels': [{ expect: [200], why: 'A\'s own tokens' }],
    'POST /api-sleutels': [{ form: {}, expect: [422], why: 'no label: nothing made; no id' }],
    'POST /api-sleutels/intrekken': [{ form: { id: v.tokenId }, expect: [404], why: 'an unknown token id is 404' }],
    'GET /mijn-account': [{ expect: [200], why: 'A\'s own account' }],
    'POST /mijn-account/wachtwoord': [{ form: {}, expect: [422], why: 'no password given; no id' }],
    'POST /mijn-account/tweede-factor': [{ form: {}, expect: [422], why: 'no step given; no id' }],
    'POST /mijn-account/sessie/beeindig': [{ form: { id: v.sessionHash }, expect: [404], why: 'an unknown session is 404' }],
    'POST /mijn-account/sessies/andere': [{ expect: [303], why: 'ends A\'s own other sessions; no id' }],
    'POST /mijn-account/e-mail': [{ form: {}, expect: [200], why: 'an empty form clears A\'s own address (the saved page); no id' }],
    'POST /login/tweede-factor': [{ form: { ticket: v.ticket, code: '123456' }, expect: [400], why: 'B\'s second-factor setup ticket is unknown at A (the "expired" page)' }],
    'POST /beheer/gebruikers/wachtwoord': [{ form: { login: v.login, password: 'Lang-en-sterk-wachtwoord-71' }, expect: [404], why: 'an unknown login is 404' }],
    'POST /beheer/gebruikers/tweede-factor': [{ form: { rol: 'advisor' }, expect: [200], why: 'A\'s own rule (unchanged: advisors); no id' }],
    // the services' pages: Vergelijking shows only services that share (B does not), the
    // platform page only to a platform service's admins (A is none)
    'GET /vergelijking': [{ q: { jaar: v.year }, expect: [200], why: 'A\'s comparison: B does not share' }],
    'POST /vergelijking/delen': [{ form: { delen: 'niet' }, expect: [303], why: 'A\'s own choice (unchanged: not sharing); no id' }],
    'GET /diensten': [{ expect: [404], why: 'A is no platform service (platform_only)' }],
    'POST /diensten': [{ form: { code: `${v.code}-twee`, naam: 'Probe', host: '' }, expect: [404], why: 'A is no platform service: it adds none' }],
    'POST /diensten/status': [{ form: { code: v.code, status: 'opgeschort' }, expect: [404], why: 'A is no platform service: B is not suspended' }],
    // the API
    'GET /api/v1/openapi.json': [{ expect: [200], why: 'public' }],
    'GET /api/v1/registrations': [
      { q: { advisor: v.advisor }, expect: [400], why: 'a filter on an advisor A does not have: "unknown advisor"', check: problemAt('advisor') },
      { q: { institution: v.inst }, expect: [400], why: 'a filter on an institution A does not have: "unknown institution"', check: problemAt('institution') },
      { q: { line: v.line }, expect: [400], why: 'a filter on a line A does not have: "unknown line"', check: problemAt('line') },
    ],
    'POST /api/v1/registrations': [
      { json: v.regJson, headers: { 'idempotency-key': v.idem }, expect: [422], why: 'B\'s id and Idempotency-Key are new at A (a replay would be 200/409); B\'s codes are unknown' },
    ],
    'GET /api/v1/registrations/{id}': [{ expect: [404], why: 'unknown id' }],
    'PUT /api/v1/registrations/{id}': [{ json: {}, headers: { 'if-match': '"x"' }, expect: [404], why: 'unknown id (before the ETag check)' }],
    'DELETE /api/v1/registrations/{id}': [{ headers: { 'if-match': '"x"' }, expect: [404], why: 'unknown id' }],
    'GET /api/v1/facts': [{ expect: [200], why: 'A\'s facts' }],
    'GET /api/v1/indicators': [{ expect: [200], why: 'A\'s indicators' }],
    'GET /api/v1/impact': [{ expect: [200], why: 'A\'s impact' }],
    'GET /api/v1/quality': [{ expect: [200], why: 'A\'s data quality' }],
    'GET /api/v1/views': [{ expect: [200], why: 'A\'s views' }],
    'GET /api/v1/trajectories': [{ expect: [200], why: 'A\'s trajectories', absent: [v.traj] }],
    'GET /api/v1/trajectories/{id}': [{ expect: [404], why: 'unknown id' }],
    'PUT /api/v1/trajectories/{id}': [{ json: { institution: v.inst }, expect: [404], why: 'unknown id (checked first)' }],
    'POST /api/v1/trajectories': [{ json: { id: v.traj }, expect: [422], why: 'a free id at A: institution required (a visible id would be 409)' }],
    'POST /api/v1/trajectories/{id}/followups': [{ json: { date: v.date, note: 'probe' }, expect: [404], why: 'unknown id' }],
    'GET /api/v1/surveys': [{ expect: [200], why: 'A\'s surveys', absent: [v.survey] }],
    'POST /api/v1/surveys': [
      { json: { kind: 'short', trajectory: v.traj }, expect: [422], why: 'an unknown trajectory is refused' },
      { json: { kind: 'short', registration: v.reg }, expect: [422], why: 'an unknown registration is refused' },
    ],
    'GET /api/v1/surveys/{id}/qr.svg': [{ expect: [404], why: 'unknown id' }],
    'GET /api/v1/surveys/{id}/results': [{ expect: [404], why: 'unknown id' }],
    'GET /api/v1/plan': [{ expect: [200], why: 'A\'s plan', check: (r) => noItem(r, 'line', v.line) }],
    'PUT /api/v1/plan/{school_year}/{line}': [{ json: { planned_fte: 1 }, expect: [422], why: 'a plan for a line A does not have is refused (a visible row would be 200)' }],
    'GET /api/v1/targets': [{ expect: [200], why: 'A\'s targets', check: (r) => noItem(r, 'target_group', v.tg) }],
    'PUT /api/v1/targets/{school_year}/{target_group}': [{ json: { target: 5 }, expect: [422], why: 'a target for a target group A does not have is refused' }],
  };
  // A PUT of B's key at A is a free key there: the new row is A's own. Absent optional
  // fields keep the stored values of an existing row, so the answer shows whose row it
  // wrote: none of B's values may be in it. A key that refers to B's other rows is refused.
  const puts = {
    sectors: { json: { name: 'Probe' }, expect: [200], why: 'a free code at A: A\'s new sector (B\'s group not kept)', check: (r) => assert.equal(JSON.parse(r.text).group, null) },
    lines: { json: { name: 'Probe', kind: 'other' }, expect: [200], why: 'a free code at A: A\'s new line' },
    goals: { json: { line: v.line, name: 'Probe' }, expect: [422], why: 'a goal of B\'s line: the line is unknown at A' },
    institutions: { json: { code: `P${RUN}`, name: 'Probe', sector: v.sector }, expect: [422], why: 'B\'s sector is unknown at A' },
    teams: { json: { name: 'Probe' }, expect: [200], why: 'a free code at A: A\'s new team (B\'s lines not kept)', check: (r) => assert.deepEqual(JSON.parse(r.text).lines, []), absent: [v.line] },
    advisors: { json: { name: 'Probe', fte: 0.1 }, expect: [200], why: 'a free code at A: A\'s new advisor (B\'s teams not kept)', check: (r) => assert.deepEqual(JSON.parse(r.text).teams, []), absent: [v.team] },
    'target-groups': { json: { name: 'Probe' }, expect: [200], why: 'a free code at A: A\'s new target group' },
  };
  for (const [res, k] of Object.entries(REF_RESOURCES)) {
    const keyName = res === 'institutions' ? 'number' : 'code';
    P[`GET /api/v1/${res}`] = [{ expect: [200], why: `A's ${res}`, check: (r) => noItem(r, keyName, v[k]) }];
    P[`GET /api/v1/${res}/{${keyName}}`] = [{ expect: [404], why: 'unknown key' }];
    P[`PUT /api/v1/${res}/{${keyName}}`] = [puts[res]];
  }
  return P;
}

function problemAt(field) {
  return (r) => assert.deepEqual(JSON.parse(r.text).errors.map((e) => e.field), [field]);
}

function noItem(r, field, value) {
  const items = JSON.parse(r.text).items;
  assert.ok(Array.isArray(items));
  assert.ok(!items.some((i) => i[field] === value), `an item with ${field} ${value}`);
}

const ID_FIELDS = {
  id: 'reg', t: 'surveyToken', trajectory: 'traj', registration: 'reg', favoriet_id: 'fav', favoriet: 'fav',
  herhaal: 'reg', gekopieerd: 'reg', login: 'login', advisor: 'advisor', advisors: 'advisor', begeleider: 'advisor',
  institution: 'inst', institutions: 'inst', instelling: 'inst', line: 'line', pijler: 'line', goal: 'goal',
  ticket: 'ticket', state: 'reg',
};

function defaultProbe(route, v) {
  const params = {};
  let filled = false;
  for (const f of route.fields) {
    if (ID_FIELDS[f]) {
      params[f] = v[ID_FIELDS[f]];
      filled = true;
    }
  }
  const p = { why: 'default probe (no entry in the table of this test)', expect: null, filled };
  if (route.kind === 'API') {
    if (route.method === 'GET' || route.method === 'DELETE') p.q = params; else p.json = params;
  } else if (route.method === 'GET') {
    p.q = params;
  } else {
    p.form = params;
  }
  return [p];
}

// One request of a probe, as the given actor (cookies and CSRF for pages, a token for the API).
function send(route, probe, v, actor, host) {
  let path = pathOf(route, v);
  if (probe.q && Object.keys(probe.q).length) path += `?${new URLSearchParams(probe.q)}`;
  const headers = { ...(probe.headers || {}) };
  const opts = { host, headers };
  if (route.kind === 'API') {
    if (actor.token) headers.authorization = `Bearer ${actor.token}`;
    if (probe.json !== undefined) opts.json = probe.json;
  } else {
    opts.cookies = actor.cookies || {};
    if (route.method === 'POST') {
      if (probe.multipart) { // the CSRF token as the one part, no file
        opts.raw = `--x\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${actor.csrf || ''}\r\n--x--\r\n`;
        opts.contentType = 'multipart/form-data; boundary=x';
      } else {
        opts.form = { ...(probe.form || {}), csrf: actor.csrf || '' };
      }
    }
  }
  return request(route.method, path, opts);
}

// Runs the checks of one request; a failure is kept (with what was asked) and the
// requests go on, so that one run names every route that fails.
async function collect(failures, what, fn) {
  try {
    await fn();
  } catch (e) {
    failures.push(`${what}: ${e.message.split('\n')[0]}`);
  }
}

// (a): what an anonymous visitor gets. A page that needs a role: its GET redirects to
// the login, its POST is refused (before the CSRF check could pass with B's token); the
// API: 401. A public route: the status of the same request without any credential.
function assertAnonymous(route, res, anon, what) {
  if (route.role === 'ROLE_PUBLIC') {
    assert.equal(res.status, anon.status, `${what}: as for an anonymous visitor`);
  } else if (route.kind === 'API') {
    assert.equal(res.status, 401, what);
    assert.match(res.headers['www-authenticate'] || '', /^Bearer/, what);
  } else if (route.method === 'GET') {
    assert.equal(res.status, 303, what);
    assert.match(res.headers.location || '', /^\/login\?next=/, what);
  } else {
    assert.equal(res.status, 403, what);
  }
  const made = (res.headers['set-cookie'] || []).filter((c) => /^bereik_session=[^;]/.test(c));
  assert.deepEqual(made, [], `${what}: no session is made`);
}

// (b): the statuses the probe accepts (the default probe: no server error, and no 2xx
// when B's ids were given); A's own session stays valid.
function assertProbe(route, probe, res, B) {
  if (probe.expect) {
    assert.ok(probe.expect.includes(res.status), `${res.status}, expected ${probe.expect.join('/')} (${probe.why}): ${res.text.slice(0, 300)}`);
  } else {
    assert.ok(res.status < 500, `${res.status}`);
    if (probe.filled) assert.ok(res.status >= 300, `${res.status} for ${B}'s ids`);
  }
  if (route.kind === 'PAGE' && route.method === 'GET' && res.status === 303) {
    assert.doesNotMatch(res.headers.location || '', /^\/login/, 'A\'s session is still valid');
  }
}

// ---- set-up ----

function ensureRole(name) {
  psql(`${PG}/postgres`, `DO $$ BEGIN CREATE ROLE ${name} LOGIN NOSUPERUSER NOBYPASSRLS; ` +
    'EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$');
}

function today(offset = 0) {
  return new Date(Date.now() + offset * 86400000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Brussels' });
}

function schoolYear(day) {
  const [y, m] = day.split('-').map(Number);
  const first = m >= 9 ? y : y - 1;
  return `${first}-${first + 1}`;
}

async function api(S, method, path, json, token = svc[S].coordToken, headers = {}) {
  const res = await request(method, path, { host: svc[S].host, headers: { authorization: `Bearer ${token}`, ...headers }, json });
  return { status: res.status, body: res.text ? JSON.parse(res.text) : null, text: res.text };
}

// B's own objects, made through B's API and pages, with distinctive names: the ids A is
// given in (b), and the strings no answer of A may hold.
async function makeOwnObjects(S) {
  const s = svc[S];
  const cap = S[0].toUpperCase() + S.slice(1);
  const r = RUN.toUpperCase();
  const n = { noord: 8, zuid: 9 }[S];
  const v = {
    team: `T-${S.toUpperCase()}-${r}`, sector: `S${n}${r}`, line: `L-${S.toUpperCase()}-${r}`, goal: `G${n}.${r}`,
    inst: `0${n}${String(parseInt(RUN, 16) % 10000).padStart(4, '0')}`, advisor: `A${n}${r}`, tg: `tg${n}${RUN}`,
    traj: `TR-${S.toUpperCase()}-${r}`, reg: `${S}-reg-${RUN}`, idem: `${S}-idem-${RUN}`,
    login: `${S}-only-${RUN}`, password: `Eigen-${S}-wachtwoord-${RUN}`,
    date: today(-1), date2: today(-2), year: schoolYear(today(-1)), code: S,
  };
  const name = (what) => `${cap}Geheim${what}${RUN}`;
  s.mark = name;
  s.markers = [s.name, s.host, name('Team'), name('Sector'), name('Lijn'), name('Doel'), name('School'),
    name('Begeleider'), name('Doelgroep'), name('Gedeeld'), name('Plan'), name('Beschrijving'), name('Favoriet'),
    name('Groep')];
  // searches for B's strings send a part of them (the search box echoes what it was given)
  v.descPart = `${cap}GeheimBeschrijving`;
  v.instPart = `${cap}GeheimSchool`;
  v.teamPart = `${cap}GeheimTeam`;
  const put = async (path, body) => {
    const res = await api(S, 'PUT', path, body, s.token);
    assert.equal(res.status, 200, `PUT ${path} at ${S}: ${res.text}`);
  };
  await put(`/api/v1/sectors/${v.sector}`, { name: name('Sector'), group: name('Groep') });
  await put(`/api/v1/lines/${v.line}`, { name: name('Lijn'), kind: 'project' });
  await put(`/api/v1/goals/${encodeURIComponent(v.goal)}`, { line: v.line, name: name('Doel') });
  await put(`/api/v1/institutions/${v.inst}`, { code: `I${n}${r}`, name: name('School'), sector: v.sector });
  await put(`/api/v1/teams/${v.team}`, { name: name('Team'), lines: [v.line] });
  await put(`/api/v1/advisors/${v.advisor}`, { name: name('Begeleider'), fte: 0.5, teams: [v.team] });
  await put(`/api/v1/target-groups/${v.tg}`, { name: name('Doelgroep') });
  await put(`/api/v1/plan/${v.year}/${v.line}`, { planned_fte: 0.4 });
  await put(`/api/v1/targets/${v.year}/${v.tg}`, { target: 17 });
  // the coordinator (advisor AP) is in the new team, so that the registration and the
  // trajectory below are theirs
  let res = await api(S, 'GET', '/api/v1/advisors/AP', undefined, s.token);
  assert.equal(res.status, 200, res.text);
  await put('/api/v1/advisors/AP', { ...res.body, teams: [...res.body.teams, v.team] });
  res = await api(S, 'POST', '/api/v1/trajectories', {
    id: v.traj, institution: v.inst, line: v.line, goal: v.goal, shared_goal: name('Gedeeld'), action_plan: name('Plan'),
    start: v.date2,
  });
  assert.equal(res.status, 201, `trajectory at ${S}: ${res.text}`);
  v.regJson = {
    id: v.reg, date: v.date, minutes: 60, kind: 'client', line: v.line, goal: v.goal, advisors: ['AP'],
    institutions: [v.inst], modality: 'fysiek', trajectory: v.traj, level: 'micro', followup: false,
    counts: { [v.tg]: 3 },
  };
  res = await api(S, 'POST', '/api/v1/registrations', { ...v.regJson, description: name('Beschrijving') }, s.coordToken, { 'idempotency-key': v.idem });
  assert.equal(res.status, 201, `registration at ${S}: ${res.text}`);
  res = await api(S, 'POST', '/api/v1/surveys', { kind: 'short', trajectory: v.traj });
  assert.equal(res.status, 201, `survey at ${S}: ${res.text}`);
  v.survey = res.body.id;
  v.surveyToken = new URL(res.body.url, 'http://x').searchParams.get('t');
  assert.ok(v.surveyToken, `the survey link ${res.body.url}`);
  // a favourite of the coordinator, through the registration form
  const fav = await request('POST', '/registreren/favoriet', {
    host: s.host, cookies: s.coordinator.cookies,
    form: { csrf: s.coordinator.csrf, ...regForm(v, { favoriet_naam: name('Favoriet'), trajectory: '', description: 'x' }) },
  });
  assert.ok([200, 303].includes(fav.status), `favourite at ${S}: ${fav.status} ${fav.text.slice(0, 500)}`);
  v.fav = psql(SUPER_URI, `SELECT id FROM favourite WHERE service_id = ${s.id} AND name = '${name('Favoriet')}'`);
  assert.match(v.fav, /^\d+$/, 'the favourite was stored');
  // an account of B's own, whose second factor B requires (advisors): its login gives a
  // setup ticket
  bereik(['--db', OWNER_URI, '--service', S, 'user', 'add', v.login, '--role', 'advisor', '--advisor', 'BC', '--password-stdin'], `${v.password}\n`);
  res = await request('POST', '/beheer/gebruikers/tweede-factor', { host: s.host, cookies: s.admin.cookies, form: { csrf: s.admin.csrf, rol: 'advisor' } });
  assert.equal(res.status, 200, 'B requires a second factor of advisors');
  const pre = await request('GET', '/login', { host: s.host });
  res = await request('POST', '/login', {
    host: s.host, cookies: setCookies(pre), form: { csrf: csrfOf(pre.text), login: v.login, password: v.password, next: '/' },
  });
  const ticket = /name="ticket" value="([0-9a-f]{64})"/.exec(res.text);
  assert.ok(ticket, `a setup ticket at ${S} (${res.status})`);
  v.ticket = ticket[1];
  v.tokenId = psql(SUPER_URI, `SELECT min(t.id) FROM api_token t JOIN app_user u ON u.service_id = t.service_id AND u.id = t.user_id WHERE t.service_id = ${s.id} AND u.login = 'admin'`);
  s.v = v;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bereik-iso-'));
  ensureRole('bereik_owner');
  ensureRole('bereik_app');
  psql(`${PG}/postgres`, `CREATE DATABASE ${DBNAME} OWNER bereik_owner`);
  bereik(['--db', OWNER_URI, 'init']);
  bereik(['--db', OWNER_URI, 'service', 'grant', 'bereik_app']);
  const demo = join(dir, 'noord.db');
  bereik(['--db', demo, 'demo', '--seed', '1']);
  svc.noord = { code: 'noord', host: 'noord.test', name: `Dienst Noord ${RUN}` };
  svc.zuid = { code: 'zuid', host: 'zuid.test', name: `Dienst Zuid ${RUN}` };
  bereik(['migrate-db', '--from', demo, '--to', OWNER_URI, '--service', 'noord', '--name', svc.noord.name, '--host', 'noord.test']);
  bereik(['--db', OWNER_URI, 'service', 'add', 'zuid', '--name', svc.zuid.name, '--host', 'zuid.test']);
  bereik(['--db', OWNER_URI, '--service', 'zuid', 'demo', '--seed', '7']);
  for (const S of ['noord', 'zuid']) {
    svc[S].id = psql(SUPER_URI, `SELECT id FROM service WHERE code = '${S}'`);
    svc[S].token = bereik(['--db', OWNER_URI, '--service', S, 'user', 'token', 'admin']).trim();
    svc[S].coordToken = bereik(['--db', OWNER_URI, '--service', S, 'user', 'token', 'coordinator']).trim();
  }
  svc.main = { id: psql(SUPER_URI, "SELECT id FROM service WHERE code = 'main'") };
  port = await freePort();
  server = spawn(BIN, ['--db', APP_URI, 'serve', '--listen', `127.0.0.1:${port}`, '--threads', '2'], { stdio: ['ignore', 'ignore', 'pipe'] });
  server.stderr.on('data', (d) => { serverLog = (serverLog + d).slice(-200000); });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await request('GET', '/healthz', { host: 'noord.test' })).status === 200) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const S of ['noord', 'zuid']) {
    svc[S].admin = await login(svc[S].host, 'admin');
    svc[S].coordinator = await login(svc[S].host, 'coordinator');
    // the device cookie of a login of the director account ('directie')
    svc[S].device = (await login(svc[S].host, 'directie')).device;
    assert.match(svc[S].device || '', /^[0-9a-f]{64}$/, `a device cookie at ${S}`);
  }
  for (const S of ['noord', 'zuid']) await makeOwnObjects(S);
  for (const S of ['noord', 'zuid']) {
    // the session of B's coordinator (A's admin is given its id)
    svc[S].v.sessionHash = psql(SUPER_URI, `SELECT max(s.id_hash) FROM session s JOIN app_user u ON u.service_id = s.service_id AND u.id = s.user_id WHERE s.service_id = ${svc[S].id} AND u.login = 'coordinator'`);
  }
});

after(async () => {
  if (server) {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    // the server errors of the run, if any, for the reader of a failure
    const errors = serverLog.split('\n').filter((l) => l.includes('"http.server_error"'));
    if (errors.length) console.error(errors.slice(-20).join('\n'));
  }
  try {
    psql(`${PG}/postgres`, `DROP DATABASE IF EXISTS ${DBNAME} WITH (FORCE)`);
  } catch (e) {
    console.error(`dropping ${DBNAME}: ${e.message}`);
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// ---- the tests ----

// B's own objects exist in B, once, and not in A (so that a 404 at A means "not B's").
function assertOwnObjects(A, B) {
  const v = svc[B].v, a = svc[A].id, b = svc[B].id;
  const checks = [
    ['registration', 'ext_id', v.reg], ['trajectory', 'ext_id', v.traj], ['survey', 'ext_id', v.survey],
    ['survey', 'token', v.surveyToken], ['team', 'code', v.team], ['advisor', 'code', v.advisor],
    ['institution', 'number', v.inst], ['line', 'code', v.line], ['goal', 'code', v.goal], ['sector', 'code', v.sector],
    ['target_group', 'code', v.tg], ['app_user', 'login', v.login], ['favourite', 'id', v.fav],
    ['api_token', 'id', v.tokenId], ['session', 'id_hash', v.sessionHash],
  ];
  const sql = checks.map(([table, col, value]) => `SELECT '${table}.${col}', count(*) FILTER (WHERE service_id = ${b}), count(*) FILTER (WHERE service_id = ${a}) FROM ${table} WHERE ${col}::text = '${value}'`);
  const rows = psql(SUPER_URI, sql.join(' UNION ALL ')).split('\n');
  checks.forEach(([table, col, value], i) => {
    assert.equal(rows[i], `${table}.${col}|1|0`, `${value}: in ${B} once, not in ${A}`);
  });
  const text = psql(SUPER_URI, `SELECT string_agg(x::text, '|') FROM (SELECT t::text FROM registration t WHERE service_id = ${a} UNION ALL SELECT t::text FROM trajectory t WHERE service_id = ${a} UNION ALL SELECT t::text FROM team t WHERE service_id = ${a}) x`);
  for (const m of svc[B].markers.slice(2)) assert.ok(!text.includes(m), `${A}'s rows hold ${B}'s ${m}`);
}


test('the route table is read from src/web/router.c', () => {
  // every entry of the table: a line that opens PAGE(" or API("
  const src = readFileSync(join(root, 'src', 'web', 'router.c'), 'utf8');
  assert.equal(routes.length, src.split('\n').filter((l) => /^\s*(PAGE|API)\("/.test(l)).length, 'every entry parsed');
  assert.equal(new Set(routes.map((r) => r.key)).size, routes.length, 'no entry twice');
  for (const k of ['GET /traject', 'POST /login', 'GET /api/v1/registrations/{id}', 'PUT /api/v1/targets/{school_year}/{target_group}']) {
    assert.ok(routes.some((r) => r.key === k), k);
  }
});

for (const [A, B] of [['noord', 'zuid'], ['zuid', 'noord']]) {
  const foreign = () => ({ cookies: svc[B].admin.cookies, csrf: svc[B].admin.csrf, token: svc[B].token });
  let sumsB, sumsMain;

  test(`controls of the ${A} tests: ${B}'s credentials and ids work on ${B}'s own host, ${B}'s objects exist only in ${B}`, async () => {
    const b = svc[B], v = b.v;
    assertOwnObjects(A, B);
    assert.equal((await request('GET', '/mijn-account', { host: b.host, cookies: b.admin.cookies })).status, 200, 'B\'s session');
    assert.equal((await api(B, 'GET', '/api/v1/teams', undefined, b.token)).status, 200, 'B\'s token');
    assert.equal((await api(B, 'GET', `/api/v1/registrations/${v.reg}`, undefined, b.token)).status, 200, 'B\'s registration');
    assert.equal((await api(B, 'GET', `/api/v1/trajectories/${v.traj}`, undefined, b.token)).status, 200, 'B\'s trajectory');
    assert.equal((await api(B, 'GET', `/api/v1/surveys/${v.survey}/results`, undefined, b.token)).status, 200, 'B\'s survey');
    assert.equal((await api(B, 'GET', `/api/v1/teams/${v.team}`, undefined, b.token)).status, 200, 'B\'s team');
    assert.equal((await request('GET', `/enquete?t=${v.surveyToken}`, { host: b.host })).status, 200, 'B\'s survey link');
    const page = await request('GET', `/traject?id=${v.traj}`, { host: b.host, cookies: b.admin.cookies });
    assert.equal(page.status, 200, 'B\'s trajectory page');
    assert.ok(page.text.includes(b.mark('Gedeeld')), 'B\'s trajectory page shows its shared goal');
    // the reading of the XLSX and PDF reports finds B's strings in B's own reports (so
    // that their absence from A's means something)
    for (const f of ['xlsx', 'pdf']) {
      const res = await request('GET', `/rapport/${f}?jaar=${v.year}`, { host: b.host, cookies: b.admin.cookies });
      assert.equal(res.status, 200, `B's ${f} report`);
      assert.ok(readable(res).includes(b.mark('Lijn')), `B's ${f} report names B's line`);
    }
    sumsB = await settledChecksums(b.id);
    sumsMain = checksums(svc.main.id);
  });

  test(`(a) ${B}'s session cookie and API token at ${A}'s host are an anonymous visitor's on every route, and change nothing at ${A}`, async (t) => {
    const sumsA = await settledChecksums(svc[A].id);
    const v = svc[B].v, P = probes(v);
    const failures = [], tally = {};
    for (const route of routes) {
      const probe = (P[route.key] || defaultProbe(route, v))[0];
      const res = await send(route, probe, v, foreign(), svc[A].host);
      const what = `${route.key} at ${A} with ${B}'s credentials`;
      const anon = route.role === 'ROLE_PUBLIC' ? await send(route, probe, v, { csrf: svc[B].admin.csrf }, svc[A].host) : null;
      await collect(failures, what, () => {
        assertAnonymous(route, res, anon, what);
        assertNothingOf(B, res, what);
      });
      tally[res.status] = (tally[res.status] || 0) + 1;
    }
    t.diagnostic(`${routes.length} routes: ${Object.entries(tally).map(([k, n]) => `${n} × ${k}`).join(', ')}`);
    assert.deepEqual(failures, [], failures.join('\n'));
    const changed = changedTables(sumsA, await settledChecksums(svc[A].id));
    t.diagnostic(`${A}'s tables changed: ${changed.join(', ') || 'none'}`);
    assert.deepEqual(changed, [], `${A}'s tables changed by ${B}'s credentials`);
  });

  test(`(a) ${B}'s password, second-factor ticket and device cookie at ${A}'s login form are unknown there`, async (t) => {
    const a = svc[A], v = svc[B].v;
    const sumsA = await settledChecksums(a.id);
    // an anonymous visitor with A's pre-session CSRF cookie
    const pre = await request('GET', '/login', { host: a.host });
    const jar = setCookies(pre), csrf = csrfOf(pre.text);
    let res = await request('POST', '/login', { host: a.host, cookies: jar, form: { csrf, login: v.login, password: v.password, next: '/' } });
    assert.equal(res.status, 401, `${B}'s own account and password at ${A}`);
    assertNothingOf(B, res, 'login');
    res = await request('POST', '/login/tweede-factor', { host: a.host, cookies: jar, form: { csrf, ticket: v.ticket, code: '123456' } });
    assert.equal(res.status, 400, `${B}'s second-factor setup ticket at ${A}: the "expired" page`);
    assert.doesNotMatch(res.text, /otpauth:/, 'no second-factor secret');
    // the device cookie of an earlier login passes the account's throttle (auth.h); B's
    // does not at A. Six wrong passwords for A's 'directie' from one address, then the
    // right one from another: with B's device cookie throttled (429), with A's logged in.
    const attacker = A === 'noord' ? '127.0.0.31' : '127.0.0.41', owner = A === 'noord' ? '127.0.0.32' : '127.0.0.42';
    for (let i = 0; i < 6; i++) {
      await request('POST', '/login', { host: a.host, cookies: jar, from: attacker, form: { csrf, login: 'directie', password: `gok-${i}` } });
    }
    const attempt = (device) => request('POST', '/login', {
      host: a.host, from: owner, cookies: { ...jar, ...(device ? { bereik_device: device } : {}) },
      form: { csrf, login: 'directie', password: PASSWORD, next: '/' },
    });
    assert.equal((await attempt(null)).status, 429, `${A}'s director is throttled`);
    assert.equal((await attempt(svc[B].device)).status, 429, `${B}'s device cookie does not pass ${A}'s throttle`);
    assert.equal((await attempt(a.device)).status, 303, `${A}'s own device cookie does (the control)`);
    const changed = changedTables(sumsA, await settledChecksums(a.id));
    t.diagnostic(`${A}'s tables changed: ${changed.join(', ') || 'none'}`);
    assert.deepEqual(changed.filter((x) => !LOGIN_TABLES.includes(x)), [], `${A}'s tables besides the login's`);
  });

  test(`(b) ${A}'s admin (and coordinator), given ${B}'s ids, finds nothing of ${B}, on every route`, async (t) => {
    const v = svc[B].v, P = probes(v);
    const actors = {
      admin: { ...svc[A].admin, token: svc[A].token },
      coordinator: { ...svc[A].coordinator, token: svc[A].coordToken },
    };
    // the PUTs that make A's own rows under B's keys after every other probe (which
    // expect those keys to be unknown at A), a goal and an institution before the line
    // and sector they refer to, and the logout last
    const late = ['PUT /api/v1/plan/{school_year}/{line}', 'PUT /api/v1/targets/{school_year}/{target_group}',
      'PUT /api/v1/goals/{code}', 'PUT /api/v1/institutions/{number}', 'PUT /api/v1/teams/{code}', 'PUT /api/v1/advisors/{code}',
      'PUT /api/v1/sectors/{code}', 'PUT /api/v1/lines/{code}', 'PUT /api/v1/target-groups/{code}', 'POST /logout'];
    const order = [...routes.filter((r) => !late.includes(r.key)), ...late.map((k) => routes.find((r) => r.key === k)).filter(Boolean)];
    let defaults = 0;
    const failures = [];
    for (const route of order) {
      const list = P[route.key] || defaultProbe(route, v);
      if (!P[route.key]) {
        defaults++;
        t.diagnostic(`${route.key}: default probe`);
      }
      for (const probe of list) {
        const actor = actors[probe.as || 'admin'];
        const res = await send(route, probe, v, actor, svc[A].host);
        const what = `${route.key} ${JSON.stringify(probe.q || probe.form || probe.json || {})} as ${A}'s ${probe.as || 'admin'}`;
        await collect(failures, what, () => {
          assertProbe(route, probe, res, B);
          assertNothingOf(B, res, what, probe.absent || []);
          if (probe.check) probe.check(res);
        });
      }
    }
    t.diagnostic(`${routes.length} routes, ${defaults} by the default probe`);
    // A's admin logged out last: a new session for the tests that follow
    svc[A].admin = await login(svc[A].host, 'admin');
    assert.deepEqual(failures, [], failures.join('\n'));
  });

  test(`(b) ${A} shares its facts and ${B} does not: ${A}'s Vergelijking shows nothing of ${B}`, async () => {
    const a = svc[A];
    const share = (delen) => request('POST', '/vergelijking/delen', { host: a.host, cookies: a.admin.cookies, form: { csrf: a.admin.csrf, delen } });
    assert.equal((await share('naam')).status, 303, `${A} shares by name`);
    try {
      const res = await request('GET', `/vergelijking?jaar=${svc[B].v.year}`, { host: a.host, cookies: a.admin.cookies });
      assert.equal(res.status, 200);
      assertNothingOf(B, res, `${A}'s Vergelijking`);
    } finally {
      assert.equal((await share('niet')).status, 303, `${A} stops sharing`);
    }
  });

  test(`(c) ${B}'s rows, and the third service's, did not change during ${A}'s attempts; ${B}'s credentials still work at ${B}`, async () => {
    assert.ok(sumsB, 'the checksums before');
    assert.deepEqual(changedTables(sumsB, checksums(svc[B].id)), [], `${B}'s tables`);
    assert.deepEqual(changedTables(sumsMain, checksums(svc.main.id)), [], 'main\'s tables');
    // B's credentials still work at B
    assert.equal((await request('GET', '/mijn-account', { host: svc[B].host, cookies: svc[B].admin.cookies })).status, 200);
    assert.equal((await api(B, 'GET', `/api/v1/registrations/${svc[B].v.reg}`, undefined, svc[B].token)).status, 200);
  });

  test(`(a) logging in at ${A} while carrying ${B}'s session cookie leaves ${B}'s session alone`, async () => {
    const a = svc[A], b = svc[B];
    const sessions = psql(SUPER_URI, `SELECT count(*) FROM session WHERE service_id = ${b.id}`);
    const pre = await request('GET', '/login', { host: a.host });
    const res = await request('POST', '/login', {
      host: a.host, cookies: { ...setCookies(pre), ...b.admin.cookies },
      form: { csrf: csrfOf(pre.text), login: 'admin', password: PASSWORD, next: '/' },
    });
    assert.equal(res.status, 303, `A's admin logs in at ${A}`);
    assert.notEqual(setCookies(res).bereik_session, b.admin.cookies.bereik_session, 'a new session id');
    assert.equal(psql(SUPER_URI, `SELECT count(*) FROM session WHERE service_id = ${b.id}`), sessions, `${B}'s sessions`);
    assert.equal((await request('GET', '/mijn-account', { host: b.host, cookies: b.admin.cookies })).status, 200, `${B}'s session works at ${B}`);
  });
}

// ---- (d) hosts and suspension ----

async function until(what, fn, ms = 10000) {
  const end = Date.now() + ms;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('(d) a host no service has (or none): the 404 page #service-refused, an API problem 404; /healthz and /static answer', async () => {
  for (const host of ['elders.test', `127.0.0.1:${port}`, 'noord.test.elders.test', 'test']) {
    const page = await request('GET', '/login', { host });
    assert.equal(page.status, 404, `GET /login at ${host}`);
    assert.match(page.text, /id="service-refused"/, `the page of ${host}`);
    const home = await request('GET', '/mijn-account', { host, cookies: svc.noord.admin.cookies });
    assert.equal(home.status, 404, `noord's session at ${host}`);
    assert.match(home.text, /id="service-refused"/);
    const res = await request('GET', '/api/v1/teams', { host, headers: { authorization: `Bearer ${svc.noord.token}` } });
    assert.equal(res.status, 404, `the API at ${host}`);
    assert.match(res.headers['content-type'], /^application\/problem\+json/);
    assert.equal(JSON.parse(res.text).status, 404);
    assert.equal((await request('GET', '/healthz', { host })).status, 200, `/healthz at ${host}`);
    assert.equal((await request('GET', '/static/icon.svg', { host })).status, 200, `/static at ${host}`);
    for (const S of ['noord', 'zuid']) assertNothingOf(S, home, host);
  }
  // no Host header at all: HTTP/1.1 requires one (400), else no service answers (404)
  const bare = await request('GET', '/login', { noHost: true });
  assert.ok([400, 404].includes(bare.status), `no Host header: ${bare.status}`);
});

test('(d) the host name is matched without its port and in any letter case', async () => {
  for (const host of ['zuid.test:8080', 'ZUID.TEST', 'Zuid.Test:443']) {
    const res = await request('GET', '/mijn-account', { host, cookies: svc.zuid.admin.cookies });
    assert.equal(res.status, 200, `zuid's session at ${host}`);
    const other = await request('GET', '/mijn-account', { host, cookies: svc.noord.admin.cookies });
    assert.equal(other.status, 303, `noord's session at ${host}`);
  }
});

test('(d) a suspended service answers 503 with Retry-After (pages and API), the others go on; resumed, it answers again', async () => {
  const z = svc.zuid;
  bereik(['--db', OWNER_URI, 'service', 'suspend', 'zuid']);
  try {
    // the server reads the services again every 2 s
    await until('zuid suspended', async () => (await request('GET', '/login', { host: z.host })).status === 503);
    for (const [path, cookies] of [['/login', {}], ['/mijn-account', z.admin.cookies], [`/enquete?t=${z.v.surveyToken}`, {}]]) {
      const res = await request('GET', path, { host: z.host, cookies });
      assert.equal(res.status, 503, `${path} at zuid`);
      assert.match(res.headers['retry-after'] || '', /^\d+$/, `${path}: Retry-After`);
      assert.match(res.text, /id="service-refused"/);
    }
    const post = await request('POST', '/logout', { host: z.host, cookies: z.admin.cookies, form: { csrf: z.admin.csrf } });
    assert.equal(post.status, 503, 'POST /logout at zuid');
    const res = await api('zuid', 'GET', `/api/v1/registrations/${z.v.reg}`, undefined, z.token);
    assert.equal(res.status, 503, 'the API at zuid');
    assert.equal(res.body.status, 503);
    assert.ok(!res.text.includes(z.mark('Beschrijving')));
    assert.equal((await request('GET', '/healthz', { host: z.host })).status, 200, '/healthz at zuid');
    assert.equal((await request('GET', '/mijn-account', { host: svc.noord.host, cookies: svc.noord.admin.cookies })).status, 200, 'noord goes on');
  } finally {
    bereik(['--db', OWNER_URI, 'service', 'resume', 'zuid']);
  }
  await until('zuid resumed', async () => (await request('GET', '/login', { host: z.host })).status === 200);
  assert.equal((await request('GET', '/mijn-account', { host: z.host, cookies: z.admin.cookies })).status, 200, 'zuid\'s session after the resume');
  assert.equal((await api('zuid', 'GET', `/api/v1/registrations/${z.v.reg}`, undefined, z.token)).status, 200, 'zuid\'s API after the resume');
});
