// SPDX-License-Identifier: EUPL-1.2
// Browser tests of offline registration, the installable app and the timer (docs/DAY.md,
// "offline"). An advisor (begeleider, Bert Claes, BC) on a phone-wide page lets the
// service worker keep Registreren, goes offline, opens the page again (from the worker,
// with its note and the app's stylesheet and script), registers three times (two valid,
// one dated in the locked school year 2023-2024) and sees "3 registraties wachten". Back
// online, the two valid ones arrive exactly once each (counted through the JSON API with
// a token), the third stays on the phone with the locked-year message and is changed in
// the form and sent. The same idempotency key sent twice (page endpoint and API) makes one
// registration. The timer survives a reload and another browser, and "stop" opens the
// form with the date, start, end and duration worked out here from the stored start.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startApp, newPage, login, axeViolations, BIN, brusselsDay } from '../e2e/lib.mjs';

let app;
let token;
const run = Math.random().toString(36).slice(2, 8);
// today in Brussels, as the server counts it
const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Brussels' });
const LOCKED_DATE = '2023-10-10'; // school year 2023-2024

before(async () => {
  app = await startApp();
  token = execFileSync(BIN, ['--db', app.db, 'user', 'token', 'begeleider', '--label', 'offline test'])
    .toString()
    .trim();
});
after(async () => {
  await app?.stop();
});

// The registrations of BC on DATE whose description is DESC, through the JSON API.
async function arrived(date, desc) {
  const r = await fetch(`${app.base}/api/v1/registrations?advisor=BC&from=${date}&to=${date}&limit=500`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  assert.equal(r.status, 200);
  const j = await r.json();
  return j.items.filter((i) => i.description === desc);
}

function sql(q) {
  if (app.db.startsWith('postgres')) return execFileSync('psql', [app.db, '-qAtc', q]).toString().trim();
  return execFileSync('sqlite3', [app.db, q]).toString().trim();
}

async function fillRegistration(page, { date, duration, desc }) {
  const form = page.locator('form.register');
  await form.locator('input[name=kind][value=client]').check();
  await form.locator('[name=date]').fill(date);
  await form.locator('[name=duration]').fill(duration);
  await form.locator('[name=line]').selectOption('P1');
  await form.locator('[name=institutions]').fill('SAA');
  await form.locator('[name=modality]').selectOption('fysiek');
  await form.locator('[name=description]').fill(desc);
}

async function submitRegistration(page) {
  await page.locator('form.register button[type=submit]').first().click();
}

test('the school year 2023-2024 is locked (as admin, when it is not yet)', async () => {
  const page = await newPage(app);
  page.on('dialog', (d) => d.accept());
  await login(app, page, 'admin');
  await page.goto(`${app.base}/beheer`);
  const lock = page.locator('form[action="/beheer/schooljaar"]:has(input[name=jaar][value="2023-2024"]):has(input[name=slot][value=dicht]) button');
  if (await lock.count()) await Promise.all([page.waitForURL(/\/beheer$/), lock.click()]);
  assert.equal(sql('SELECT locked FROM setting WHERE school_year = 2023'), '1');
  await page.context().close();
});

test('offline: two registrations arrive exactly once, a refused one stays editable', async () => {
  const page = await newPage(app, { width: 390, height: 844 });
  const context = page.context();
  await login(app, page, 'begeleider');
  await page.goto(`${app.base}/registreren`);
  // the worker installs and takes control; the next load is kept for offline use
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller)
      await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
  });
  await page.reload();
  assert.ok(await page.evaluate(() => !!navigator.serviceWorker.controller), 'the service worker controls the page');
  // every response masks the CSRF token afresh: the copy kept by the worker is this one
  const keptMask = await page.inputValue('form.register input[name=csrf]');
  // the manifest the page links: name, start, display, language, icons
  const manifestHref = await page.getAttribute('link[rel=manifest]', 'href');
  const manifest = await (await fetch(app.base + manifestHref)).json();
  assert.equal(manifest.name, 'bereik');
  assert.equal(manifest.start_url, '/week');
  assert.equal(manifest.display, 'standalone');
  assert.equal(manifest.lang, 'nl-BE');
  assert.ok(manifest.icons.some((i) => i.sizes === '512x512' && i.type === 'image/png'));
  // Chromium's own verdict: the manifest parses, and the app is installable (a test
  // browser context is always "incognito", which is the one error left)
  const cdp = await context.newCDPSession(page);
  assert.deepEqual((await cdp.send('Page.getAppManifest')).errors, []);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito'), []);
  await cdp.detach();
  const sw = await fetch(`${app.base}/sw.js`);
  assert.equal(sw.headers.get('cache-control'), 'no-cache');

  // offline: the page again, from the worker, with its note, stylesheet and script
  await context.setOffline(true);
  const fromWorker = [];
  page.on('response', (r) => {
    if (r.url().includes('/static/') && r.fromServiceWorker()) fromWorker.push(new URL(r.url()).pathname);
  });
  await page.goto(`${app.base}/registreren`);
  assert.equal((await page.textContent('h1')).trim(), 'Registreren');
  assert.equal(await page.inputValue('form.register input[name=csrf]'), keptMask, 'the page kept by the worker');
  await page.locator('#offline-note').waitFor({ state: 'visible' });
  assert.match(await page.textContent('#offline-note'), /Je bent offline/);
  // the timer lives on the server: its button waits for the connection
  assert.equal(await page.locator('#timer-start').count(), 1);
  assert.equal(await page.locator('#timer-start').isVisible(), false);
  assert.ok(fromWorker.some((p) => /^\/static\/app\.[0-9a-f]{12}\.css$/.test(p)), `css from the worker: ${fromWorker}`);
  assert.ok(fromWorker.some((p) => /^\/static\/app\.[0-9a-f]{12}\.js$/.test(p)), `js from the worker: ${fromWorker}`);
  // the stylesheet applies: the header's background is --soft (#f3f5f8)
  assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('header')).backgroundColor),
    'rgb(243, 245, 248)');

  // three registrations while offline
  const A = `offline A ${run}`, B = `offline B ${run}`, C = `offline C ${run}`;
  await fillRegistration(page, { date: today, duration: '45', desc: A });
  // a double tap on Bewaar keeps it once
  await page.locator('form.register button[type=submit]').first().dblclick();
  await page.locator('#offline-waiting', { hasText: '1 registratie wacht' }).waitFor();
  await page.waitForTimeout(300);
  assert.equal(await page.locator('#offline-list li.queued').count(), 1);
  await fillRegistration(page, { date: today, duration: '1u15', desc: B });
  await submitRegistration(page);
  await page.locator('#offline-waiting', { hasText: '2 registraties wachten' }).waitFor();
  await fillRegistration(page, { date: LOCKED_DATE, duration: '30', desc: C });
  await submitRegistration(page);
  await page.locator('#offline-waiting', { hasText: '3 registraties wachten' }).waitFor();
  assert.equal(await page.locator('#offline-list li.queued').count(), 3);
  assert.match(await page.textContent('#offline-status'), /Bewaard op dit toestel/);
  // nothing reached the server yet
  assert.equal((await arrived(today, A)).length, 0);
  assert.equal((await arrived(today, B)).length, 0);

  // online: sent on the "online" event; the refused one stays with its message
  await context.setOffline(false);
  await page.locator('#offline-waiting', { hasText: '1 registratie wacht' }).waitFor({ timeout: 15000 });
  const a = await arrived(today, A), b = await arrived(today, B);
  assert.equal(a.length, 1, 'A arrived once');
  assert.equal(b.length, 1, 'B arrived once');
  assert.equal(a[0].minutes, 45);
  assert.equal(b[0].minutes, 75); // 1u15
  assert.deepEqual(a[0].institutions, ['013603']); // SAA
  assert.equal((await arrived(LOCKED_DATE, C)).length, 0);
  const refused = page.locator('#offline-list li.queued.refused');
  assert.equal(await refused.count(), 1);
  assert.match(await refused.textContent(), /10\/10\/2023/);
  assert.match(await refused.textContent(), /2023-2024 is afgesloten/);
  let v = await axeViolations(page);
  assert.equal(v.length, 0, v.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n'));

  // a new page load sends nothing twice
  await page.reload();
  await page.locator('#offline-list li.queued.refused').waitFor();
  assert.equal((await arrived(today, A)).length, 1);
  assert.equal((await arrived(today, B)).length, 1);

  // changed in the form (today instead of the locked date) and sent
  await page.locator('#offline-list li.refused button.open').click();
  assert.equal(await page.inputValue('form.register [name=date]'), LOCKED_DATE);
  assert.equal(await page.inputValue('form.register [name=description]'), C);
  assert.equal(await page.inputValue('form.register [name=duration]'), '30');
  await page.locator('form.register [name=date]').fill(today);
  await submitRegistration(page);
  await page.locator('#offline-status', { hasText: 'Verstuurd en bewaard: 1' }).waitFor({ timeout: 15000 });
  assert.equal(await page.locator('#offline-waiting').isHidden(), true);
  const c = await arrived(today, C);
  assert.equal(c.length, 1, 'C arrived once, on its new date');
  assert.equal(c[0].minutes, 30);
  assert.equal((await arrived(today, A)).length, 1);
  v = await axeViolations(page);
  assert.equal(v.length, 0, v.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n'));
  await context.close();
});

test('a form sent while the request fails is kept by the service worker and sent on the next load', async () => {
  const page = await newPage(app, { width: 390, height: 844 });
  const context = page.context();
  await login(app, page, 'begeleider');
  await page.goto(`${app.base}/registreren`);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller)
      await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
  });
  await page.reload();
  // the browser believes it is online, but the POST of the form does not reach the server
  let failed = 0;
  await context.route('**/registreren', (route) => {
    if (route.request().method() === 'POST') {
      failed++;
      return route.abort('connectionfailed');
    }
    return route.continue();
  });
  const H = `worker H ${run}`;
  await fillRegistration(page, { date: today, duration: '50', desc: H });
  await submitRegistration(page);
  await page.waitForURL(/bewaard-op-toestel=1/);
  assert.equal(failed, 1, 'the form POST failed once');
  // on this load the page sends what waits: it arrives once, and nothing is left waiting
  await page.locator('#offline-status', { hasText: 'Verstuurd en bewaard: 1' }).waitFor({ timeout: 15000 });
  assert.equal(await page.locator('#offline-waiting').isHidden(), true);
  const h = await arrived(today, H);
  assert.equal(h.length, 1);
  assert.equal(h[0].minutes, 50);
  await context.unroute('**/registreren');
  await page.reload();
  assert.equal((await arrived(today, H)).length, 1);
  await context.close();
});

test('a refused registration can be discarded, after a confirmation', async () => {
  const page = await newPage(app, { width: 1440 });
  await login(app, page, 'begeleider');
  await page.goto(`${app.base}/registreren`);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.context().setOffline(true);
  const D = `offline D ${run}`;
  await fillRegistration(page, { date: LOCKED_DATE, duration: '20', desc: D });
  await submitRegistration(page);
  await page.locator('#offline-waiting', { hasText: '1 registratie wacht' }).waitFor();
  await page.context().setOffline(false);
  await page.locator('#offline-list li.refused').waitFor({ timeout: 15000 });
  // dismissing the confirmation keeps it; accepting it removes it
  page.once('dialog', (d) => d.dismiss());
  await page.locator('#offline-list li.refused button.discard').click();
  assert.equal(await page.locator('#offline-list li.refused').count(), 1);
  page.once('dialog', (d) => d.accept());
  await page.locator('#offline-list li.refused button.discard').click();
  await page.locator('#offline-waiting').waitFor({ state: 'hidden' });
  assert.equal((await arrived(LOCKED_DATE, D)).length, 0);
  await page.context().close();
});

test('the same idempotency key sent twice makes one registration (page endpoint and API)', async () => {
  const page = await newPage(app);
  await login(app, page, 'begeleider');
  await page.goto(`${app.base}/registreren`);
  const csrf = await page.inputValue('input[name=csrf] >> nth=0');
  const E = `idem E ${run}`;
  const key = `k-${run}-0001-e`;
  const form = { csrf, kind: 'client', date: today, duration: '1u30', line: 'P1', institutions: 'SAA', modality: 'fysiek', description: E };
  const send = () =>
    page.request.post(`${app.base}/registreren/sync`, { form, headers: { 'Idempotency-Key': key }, maxRedirects: 0 });
  const first = await send();
  const second = await send();
  assert.equal(first.status(), 201);
  assert.equal(second.status(), 200);
  const j1 = await first.json(), j2 = await second.json();
  assert.match(j1.id, /^w-[0-9a-f]{16}$/);
  assert.equal(j1.replay, false);
  assert.equal(j2.id, j1.id);
  assert.equal(j2.replay, true);
  const e = await arrived(today, E);
  assert.equal(e.length, 1);
  assert.equal(e[0].id, j1.id);
  assert.equal(e[0].minutes, 90); // 1u30
  const F = `idem F ${run}`;
  const key2 = `k-${run}-0002-f`;
  const f1 = await page.request.post(`${app.base}/registreren/sync`, {
    form: { ...form, duration: '90', description: F }, headers: { 'Idempotency-Key': key2 }, maxRedirects: 0 });
  const f2 = await page.request.post(`${app.base}/registreren/sync`, {
    form: { ...form, duration: '90', description: F }, headers: { 'Idempotency-Key': key2 }, maxRedirects: 0 });
  assert.equal(f1.status(), 201);
  assert.equal(f2.status(), 200);
  assert.equal((await f2.json()).id, (await f1.json()).id);
  const f = await arrived(today, F);
  assert.equal(f.length, 1);
  assert.equal(f[0].minutes, 90);
  // without a key: refused, nothing written
  const none = await page.request.post(`${app.base}/registreren/sync`, { form: { ...form, description: `none ${run}` }, maxRedirects: 0 });
  assert.equal(none.status(), 400);
  assert.equal((await arrived(today, `none ${run}`)).length, 0);
  await page.context().close();

  // the API: POST /api/v1/registrations with the same Idempotency-Key twice
  const G = `idem G ${run}`;
  const body = JSON.stringify({ date: today, minutes: 40, kind: 'internal', line: 'P1', advisors: ['BC'], activity: 'preparation', description: G });
  const post = () =>
    fetch(`${app.base}/api/v1/registrations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': `api-${run}-g` },
      body,
    });
  const g1 = await post();
  const g2 = await post();
  assert.equal(g1.status, 201);
  assert.equal(g2.status, 200);
  assert.equal((await g2.json()).id, (await g1.json()).id);
  assert.equal((await arrived(today, G)).length, 1);
});

// HH:MM in Brussels of Unix second T, rounded to the nearest minute.
function brusselsClock(t) {
  const d = new Date(Math.round(t / 60) * 60000);
  return d.toLocaleTimeString('nl-BE', { timeZone: 'Europe/Brussels', hour: '2-digit', minute: '2-digit', hour12: false });
}

// What the timer shows for a start at Unix second T: the clock, with DD/MM/YYYY in front
// when the start was on an earlier day in Brussels (a timer running past midnight).
function timerSince(t) {
  const day = new Date(t * 1000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Brussels' });
  if (day === brusselsDay()) return brusselsClock(t);
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y} ${brusselsClock(t)}`;
}

test('the timer survives a reload and another browser, and stop fills the form link', async () => {
  const page = await newPage(app, { width: 390, height: 844 });
  await login(app, page, 'begeleider');
  await page.goto(`${app.base}/week`);
  await Promise.all([page.waitForURL(/\/week$/), page.click('#timer-start')]);
  await page.locator('form.timer.running').waitFor();
  // started 1u30 ago, as if the phone had been closed since
  const uid = sql("SELECT id FROM app_user WHERE login = 'begeleider'");
  sql(`UPDATE user_timer SET started_at = started_at - 5400 WHERE user_id = ${uid}`);
  const started = Number(sql(`SELECT started_at FROM user_timer WHERE user_id = ${uid}`));
  const begin = brusselsClock(started);
  const since = timerSince(started);
  await page.reload();
  assert.equal((await page.textContent('#timer-since')).trim(), since);
  let v = await axeViolations(page);
  assert.equal(v.length, 0, v.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n'));
  // another browser of the same user: the timer runs there too, on every page
  const other = await newPage(app, { width: 1440 });
  await login(app, other, 'begeleider');
  await other.goto(`${app.base}/dashboard`);
  assert.equal((await other.textContent('#timer-since')).trim(), since);
  await other.context().close();
  // stop: the form with the date, the start, the end and the duration
  await Promise.all([page.waitForURL(/\/registreren\?/), page.click('#timer-stop')]);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('datum'), new Date(Math.round(started / 60) * 60000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Brussels' }));
  assert.equal(url.searchParams.get('begin'), begin);
  const end = url.searchParams.get('einde');
  assert.match(end, /^\d{2}:\d{2}$/);
  const mins = (s) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3));
  const dur = ((mins(end) - mins(begin)) + 1440) % 1440;
  // 90 minutes, or 91 when the two roundings to the minute fall on either side
  assert.ok(dur === 90 || dur === 91, `duration ${dur}`);
  assert.equal(url.searchParams.get('duur'), `1u${String(dur - 60).padStart(2, '0')}`);
  // stopped: no timer left, "start" offered again
  assert.equal(sql(`SELECT COUNT(*) FROM user_timer WHERE user_id = ${uid}`), '0');
  assert.equal(await page.locator('#timer-start').count(), 1);
  v = await axeViolations(page);
  assert.equal(v.length, 0, v.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n'));
  await page.context().close();
});
