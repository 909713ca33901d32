// SPDX-License-Identifier: EUPL-1.2
// Diensten and Vergelijking (docs/SERVICES.md): several services on one PostgreSQL installation,
// each choosing whether to share its indicators, named or anonymous; an outside service
// contributing its facts file. The numbers checked come from the fixture's independently
// computed expected facts (../shared/fixtures/small/expected-facts.csv): the service
// `fix` imports that dataset and publishes its facts, and the outside contributor sends
// the expected facts themselves. Real `bereik serve` as the application role, Debian's
// Chromium; the services are told apart by host name (*.test mapped to 127.0.0.1).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { BIN, PASSWORD, freePort } from '../e2e/lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const shared = process.env.SHARED_DIR || join(root, '..', 'shared');
const fixture = join(shared, 'fixtures', 'small');
const PG = process.env.BEREIK_TEST_PG;
const YEAR = '2024-2025';
const dbName = `bt_cmp_${process.pid}_${Date.now()}`;
let owner, app, server, port, browser;

// The rows a service shares (docs/SERVICES.md), written here from the document, not
// from the code: totals over the organisation, a unit or a kind of line.
function sharedRow(table, row) {
  switch (table) {
    case 'fte': return row === 'total_plan' || row === 'total_all';
    case 'client_hours': case 'modality': return ['total_plan', 'total_plan_projects', 'total'].includes(row);
    case 'klv': return row === 'total' || row.startsWith('unit:');
    case 'klv_by_line': case 'hits': return row === 'total';
    case 'reach': case 'target_groups': return true;
    case 'impact': return row === 'org' || row.startsWith('unit:');
    default: return false;
  }
}

function expectedFacts() {
  const lines = readFileSync(join(fixture, 'expected-facts.csv'), 'utf8').trim().split('\n').slice(1);
  const m = new Map();
  for (const l of lines) {
    const [table, year, row, col, value] = l.split(',');
    if (sharedRow(table, row)) m.set(`${table}|${year}|${row}|${col}`, Number(value));
  }
  return m;
}

function psql(uri, sql) {
  return execFileSync('psql', [uri, '-qAtX', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' }).trim();
}
function bereik(db, ...args) {
  return execFileSync(BIN, ['--db', db, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
function serviceId(code) {
  return psql(owner, `SELECT id FROM service WHERE code = '${code}'`);
}

before(async () => {
  if (!PG) return;
  const hostPart = PG.replace(/^postgresql:\/\/[^@]*@/, '');
  psql(`${PG}/postgres`, `DO $$BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bereik_owner') THEN CREATE ROLE bereik_owner LOGIN; END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bereik_app') THEN CREATE ROLE bereik_app LOGIN; END IF;
  END$$`);
  psql(`${PG}/postgres`, `CREATE DATABASE ${dbName} OWNER bereik_owner`);
  owner = `postgresql://bereik_owner@${hostPart}/${dbName}`;
  app = `postgresql://bereik_app@${hostPart}/${dbName}`;
  bereik(owner, 'init');
  bereik(owner, 'service', 'grant', 'bereik_app');
  bereik(owner, 'service', 'set', 'main', '--host', 'main.test');
  for (const [code, name, seed] of [['noord', 'Dienst Noord', '1'], ['zuid', 'Dienst Zuid', '7'], ['west', 'Dienst West', '3']]) {
    bereik(owner, 'service', 'add', code, '--name', name, '--host', `${code}.test`);
    bereik(owner, '--service', code, 'demo', '--seed', seed);
  }
  bereik(owner, 'service', 'set', 'noord', '--platform', 'on');
  bereik(owner, 'service', 'add', 'fix', '--name', 'Fixture', '--host', 'fix.test');
  bereik(owner, '--service', 'fix', 'import', fixture);
  bereik(owner, '--service', 'noord', 'compare', 'share', 'named');
  bereik(owner, '--service', 'zuid', 'compare', 'share', 'anonymous');
  bereik(owner, '--service', 'fix', 'compare', 'share', 'named');
  bereik(owner, 'compare', 'contribute', join(fixture, 'expected-facts.csv'), '--name', 'Extern (eigen installatie)');
  port = await freePort();
  server = spawn(BIN, ['--db', app, 'serve', '--listen', `127.0.0.1:${port}`, '--threads', '2'], { stdio: ['ignore', 'ignore', 'pipe'] });
  server.stderr.on('data', () => {});
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--host-resolver-rules=MAP *.test 127.0.0.1'],
  });
});

after(async () => {
  if (!PG) return;
  if (browser) await browser.close();
  if (server) { server.kill('SIGTERM'); await new Promise((r) => server.once('exit', r)); }
  psql(`${PG}/postgres`, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
});

async function signedIn(code, width = 1440) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'nl-BE' });
  const page = await context.newPage();
  const base = `http://${code}.test:${port}`;
  await page.goto(`${base}/login`);
  await page.fill('#login', 'admin');
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('form.stack button[type=submit]')]);
  return { page, base };
}

// The table as {headers: [...], rows: {label: [data-v or null per source]}}.
async function table(page) {
  return page.evaluate(() => {
    const t = document.querySelector('table#compare');
    if (!t) return null;
    const headers = [...t.querySelectorAll('thead th')].slice(1).map((th) => th.textContent.trim());
    const rows = {};
    for (const tr of t.querySelectorAll('tbody tr')) {
      rows[tr.querySelector('th').textContent.trim()] = [...tr.querySelectorAll('td')].map((td) =>
        td.dataset.v === undefined ? null : Number(td.dataset.v));
    }
    return { headers, rows };
  });
}

const skip = !PG && 'BEREIK_TEST_PG is not set (PostgreSQL only)';

test('a service publishes exactly the shared rows of its facts (fixture small)', { skip }, () => {
  const want = expectedFacts();
  const got = new Map(psql(owner, `SET bereik.service = '${serviceId('fix')}';
    SELECT tbl || '|' || year || '|' || row_key || '|' || col || '=' || value FROM shared_facts
    WHERE service_id = ${serviceId('fix')}`).split('\n').filter((l) => l.includes('=')).map((l) => {
    const [k, v] = l.split('=');
    return [k, Number(v)];
  }));
  // impact rows: the fixture has no expected impact facts; all others must match
  for (const [k, v] of want) {
    const g = got.get(k) ?? 0; // a fact whose value is 0 may be absent
    assert.ok(Math.abs(g - v) <= 1e-9 * Math.max(1, Math.abs(v)), `${k}: published ${g}, expected ${v}`);
  }
  for (const [k, v] of got) {
    const [table, , row] = k.split('|');
    assert.ok(sharedRow(table, row), `${k} is not a shared row`);
    if (table !== 'impact') assert.ok(want.has(k) || v === 0, `${k} = ${v} is not in the expected facts`);
  }
  assert.ok(!/\|(advisor|team|line|goal):/.test([...got.keys()].join('\n')), 'no advisor, team, line or goal row');
});

test('Vergelijking shows the sharing services, named or anonymous, with the fixture numbers', { skip }, async () => {
  const { page, base } = await signedIn('noord');
  await page.goto(`${base}/vergelijking?jaar=${YEAR}`);
  const t = await table(page);
  assert.ok(t, 'the comparison table is there');
  const alias = psql(owner, "SELECT alias FROM service WHERE code = 'zuid'");
  assert.match(t.headers[0], /^Dienst Noord \(eigen dienst\)$/);
  assert.ok(t.headers.includes(`Dienst ${alias}`), `zuid shown as Dienst ${alias}: ${t.headers}`);
  assert.ok(t.headers.includes('Fixture') && t.headers.includes('Extern (eigen installatie)'), `${t.headers}`);
  const body = await page.textContent('body');
  assert.ok(!body.includes('Dienst Zuid'), 'the anonymous service is not named');
  assert.ok(!body.includes('Dienst West'), 'a service that does not share is not shown');
  const want = expectedFacts();
  for (const source of ['Fixture', 'Extern (eigen installatie)']) {
    const k = t.headers.indexOf(source);
    const checks = [
      ['FTE-realisatie pijlers', 'fte', 'total_plan', 'realization_pct'],
      ['FTE-realisatie pijlers en projecten', 'fte', 'total_all', 'realization_pct'],
      ['Bereik van instellingen', 'reach', 'total', 'reach_pct'],
      ['Klasvloercontext (KLV%)', 'klv', 'total', 'klv_pct'],
      ['leraren', 'target_groups', 'leraren', 'reach'],
    ];
    for (const [label, table, row, col] of checks) {
      const v = want.get(`${table}|${YEAR}|${row}|${col}`);
      assert.ok(v !== undefined, `${table} ${row} ${col} is in the fixture`);
      assert.ok(t.rows[label], `row ${label}`);
      assert.ok(Math.abs(t.rows[label][k] - v) <= 1e-9, `${source} ${label}: ${t.rows[label][k]} vs ${v}`);
    }
  }
  if (process.env.BEREIK_SCREENSHOTS) {
    mkdirSync(process.env.BEREIK_SCREENSHOTS, { recursive: true });
    for (const w of [390, 1440]) {
      await page.setViewportSize({ width: w, height: 900 });
      await page.screenshot({ path: join(process.env.BEREIK_SCREENSHOTS, `compare-${w}.png`), fullPage: true });
    }
  }
  await page.context().close();
});

test('a service that does not share sees no other service, in the page and in the database', { skip }, async () => {
  const { page, base } = await signedIn('west');
  await page.goto(`${base}/vergelijking`);
  assert.ok(await page.isVisible('#compare-closed'));
  assert.equal(await page.$('table#compare'), null);
  const body = await page.textContent('body');
  for (const other of ['Dienst Noord', 'Fixture', 'Extern']) assert.ok(!body.includes(other), other);
  assert.equal(psql(app, `SET bereik.service = '${serviceId('west')}'; SELECT count(*) FROM shared_facts`), '0');
  if (process.env.BEREIK_SCREENSHOTS) {
    for (const w of [390, 1440]) {
      await page.setViewportSize({ width: w, height: 900 });
      await page.screenshot({ path: join(process.env.BEREIK_SCREENSHOTS, `compare-closed-${w}.png`), fullPage: true });
    }
  }
  // the admin chooses to share anonymously: the page publishes and shows the others
  await page.check('input[name=delen][value=anoniem]');
  await Promise.all([page.waitForNavigation(), page.click('#share-form button[type=submit]')]);
  const alias = psql(owner, "SELECT alias FROM service WHERE code = 'west'");
  assert.match(await page.textContent('#share-status'), new RegExp(`anoniem, als Dienst ${alias}`));
  const t = await table(page);
  assert.ok(t && t.headers[0].startsWith('Dienst West'), 'own service first, by its own name');
  assert.ok(t.headers.includes('Dienst Noord'));
  assert.equal(psql(owner, `SELECT share FROM service WHERE code = 'west'`), 'anonymous');
  // and stops again: its published rows are gone
  await page.check('input[name=delen][value=niet]');
  await Promise.all([page.waitForNavigation(), page.click('#share-form button[type=submit]')]);
  assert.ok(await page.isVisible('#compare-closed'));
  assert.equal(psql(owner, `SET bereik.service = '${serviceId('west')}';
    SELECT count(*) FROM shared_facts WHERE service_id = ${serviceId('west')}`), '0');
  await page.context().close();
});

test('an outside contributor is checked line by line and can be withdrawn', { skip }, () => {
  const bad = join(root, 'tests', 'services', 'bad-facts.csv');
  let err = '';
  try {
    bereik(owner, 'compare', 'contribute', bad, '--name', 'Kapot');
  } catch (e) {
    err = String(e.stderr);
  }
  assert.match(err, /bad-facts\.csv: line 3: year '2024-2026' is not a school year/);
  assert.equal(psql(owner, "SELECT count(*) FROM shared_source WHERE name = 'Kapot'"), '0');
  bereik(owner, 'compare', 'withdraw', '--name', 'Extern (eigen installatie)');
  assert.equal(psql(owner, "SELECT count(*) FROM shared_facts WHERE service_id < 0"), '0');
});

test('Diensten: a platform service\'s admin adds, suspends and resumes services; no other service can', { skip }, async () => {
  const { page, base } = await signedIn('noord');
  await page.goto(`${base}/diensten`);
  const listed = await page.$$eval('table#services tbody tr td code', (cs) => cs.map((c) => c.textContent));
  assert.deepEqual(listed.sort(), ['fix', 'main', 'noord', 'west', 'zuid']);
  // a bad code is refused with the reason, and nothing is added
  await page.fill('#svc-name', 'Dienst Oost');
  await page.fill('#svc-code', 'oost');
  await page.fill('#svc-host', 'zuid.test');
  await Promise.all([page.waitForNavigation(), page.click('#service-add button[type=submit]')]);
  assert.match(await page.textContent('#services-error'), /host 'zuid.test' belongs to another service/);
  assert.equal(psql(owner, "SELECT count(*) FROM service WHERE code = 'oost'"), '0');
  await page.fill('#svc-name', 'Dienst Oost');
  await page.fill('#svc-code', 'oost');
  await page.fill('#svc-host', 'oost.test');
  await Promise.all([page.waitForNavigation(), page.click('#service-add button[type=submit]')]);
  assert.ok(await page.isVisible('#services-done'));
  const oost = serviceId('oost');
  assert.equal(psql(owner, `SELECT host || ' ' || status FROM service WHERE id = ${oost}`), 'oost.test active');
  assert.equal(psql(owner, `SET bereik.service = '${oost}'; SELECT count(*) FROM questionnaire`), '2');
  assert.equal(psql(owner, `SET bereik.service = '${serviceId('noord')}';
    SELECT count(*) FROM audit WHERE action = 'create' AND object_type = 'service' AND object_key = 'oost'`), '1');
  if (process.env.BEREIK_SCREENSHOTS) {
    for (const w of [390, 1440]) {
      await page.setViewportSize({ width: w, height: 900 });
      await page.screenshot({ path: join(process.env.BEREIK_SCREENSHOTS, `services-${w}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1440, height: 900 });
  }
  // suspend: oost answers 503 within the server's 2 s re-read, then resume
  await Promise.all([page.waitForNavigation(), page.click('form:has(input[name=code][value=oost]) button')]);
  assert.equal(psql(owner, `SELECT status FROM service WHERE id = ${oost}`), 'suspended');
  await new Promise((r) => setTimeout(r, 2200));
  const ctx = await browser.newContext();
  const p2 = await ctx.newPage();
  const res = await p2.goto(`http://oost.test:${port}/login`);
  assert.equal(res.status(), 503);
  await ctx.close();
  await Promise.all([page.waitForNavigation(), page.click('form:has(input[name=code][value=oost]) button')]);
  assert.equal(psql(owner, `SELECT status FROM service WHERE id = ${oost}`), 'active');
  // the platform service has no button for itself
  assert.equal(await page.$('form:has(input[name=code][value=noord])'), null);
  await page.context().close();
  // another service's admin has no such page, and its role cannot add one in SQL either
  const z = await signedIn('zuid');
  const r404 = await z.page.goto(`${z.base}/diensten`);
  assert.equal(r404.status(), 404);
  await z.page.context().close();
  assert.throws(() => psql(app, `SET bereik.service = '${serviceId('zuid')}';
    SELECT bereik_platform_add('x', 'x', '', 'X')`), /only a platform service adds services/);
  assert.throws(() => psql(app, "INSERT INTO service (code, name, alias, created_at) VALUES ('y', 'y', 'Y', 'now')"),
    /permission denied for table service/);
});

test('a host no service answers on gets the page Onbekende dienst', { skip }, async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'nl-BE' });
  const page = await context.newPage();
  const res = await page.goto(`http://elders.test:${port}/login`);
  assert.equal(res.status(), 404);
  assert.match(await page.textContent('#service-refused'), /Op dit adres werkt geen dienst van deze installatie/);
  assert.equal(await page.$('#login'), null);
  if (process.env.BEREIK_SCREENSHOTS) {
    for (const w of [390, 1440]) {
      await page.setViewportSize({ width: w, height: 900 });
      await page.screenshot({ path: join(process.env.BEREIK_SCREENSHOTS, `service-unknown-${w}.png`), fullPage: true });
    }
  }
  // the language switch is the installation's: it works there too
  await Promise.all([page.waitForNavigation(), page.click('text=English')]);
  assert.match(await page.textContent('#service-refused'), /No service of this installation works at this address/);
  await context.close();
});
