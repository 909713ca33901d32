// SPDX-License-Identifier: EUPL-1.2
// Signing in with the organisation's account (docs/DEPLOYMENT.md, section 9), against a
// real OpenID provider (npm oidc-provider, tests/oidc/provider.mjs) on 127.0.0.1, with a real
// `bereik serve` and Debian's Chromium, on the engine of BEREIK_TEST_ENGINE: the sign-in,
// the five refusals the issue names (wrong signature, another audience, an expired token, a
// replayed state, a replayed nonce), ES256 and key rotation, accounts waiting for approval,
// local passwords switched off but for the emergency admin, and RP-initiated logout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { BIN, PASSWORD, freePort } from '../e2e/lib.mjs';
import { startProvider } from './provider.mjs';

const NAME = 'Testorganisatie';
let provider, server, base, db, dir, pgName, browser;
let log = '';

function bereik(...args) {
  return execFileSync(BIN, ['--db', db, ...args], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

// bereik run without blocking this process (the provider answers from it): its exit
// status and output.
function run(args, input = '') {
  return new Promise((resolve) => {
    const p = spawn(BIN, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    p.on('close', (status) => resolve({ status, stdout, stderr }));
    p.stdin.end(input);
  });
}

// The security-log lines (JSON on the server's standard error) with this event.
function events(name) {
  return log.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).filter((e) => e.event === name);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bereik-oidc-'));
  db = join(dir, 'demo.db');
  if (process.env.BEREIK_TEST_ENGINE === 'postgresql') {
    pgName = `bt_oidc_${process.pid}_${Date.now()}`;
    execFileSync('psql', [`${process.env.BEREIK_TEST_PG}/postgres`, '-qAtc', `CREATE DATABASE ${pgName}`]);
    db = `${process.env.BEREIK_TEST_PG}/${pgName}`;
  }
  bereik('init');
  bereik('demo', '--seed', '1');
  // an advisor linked by hand, and one whose login is their address (linked at first sign-in)
  bereik('oidc', 'link', 'begeleider', 'begeleider@bereik.example');
  execFileSync(BIN, ['--db', db, 'user', 'add', 'an.peeters@school.example', '--role', 'advisor', '--advisor', 'BC',
    '--password-stdin'], { input: 'Zeer-lang-wachtwoord-42\n' });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  provider = await startProvider({
    clientId: 'bereik', clientSecret: 'bereik-secret-0123456789',
    redirectUris: [`${base}/login/oidc/callback`], postLogoutRedirectUris: [`${base}/login`],
  });
  writeFileSync(join(dir, 'secret'), 'bereik-secret-0123456789\n', { mode: 0o600 });
  writeFileSync(join(dir, 'bereik.conf'), [
    `listen = 127.0.0.1:${port}`, 'threads = 2',
    `oidc-issuer = ${provider.issuer}`, 'oidc-client-id = bereik', `oidc-client-secret-file = ${join(dir, 'secret')}`,
    `oidc-name = ${NAME}`, 'oidc-claim = email', 'oidc-unknown = approve',
    `oidc-redirect-uri = ${base}/login/oidc/callback`,
    'local-passwords = off', 'emergency-admin = admin', '',
  ].join('\n'));
  await startServer();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

async function startServer() {
  server = spawn(BIN, ['--db', db, 'serve', '--config', join(dir, 'bereik.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  server.stderr.on('data', (d) => { log += d; });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stopServer() {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  server = null;
}

after(async () => {
  await browser?.close();
  if (server) await stopServer();
  await provider?.stop();
  if (pgName) execFileSync('psql', [`${process.env.BEREIK_TEST_PG}/postgres`, '-qAtc', `DROP DATABASE IF EXISTS ${pgName}`]);
  rmSync(dir, { recursive: true, force: true });
});

async function newPage(width = 1280) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'nl-BE' });
  return context.newPage();
}

// From bereik's login page through the provider's login form; resolves with the page
// bereik answered the callback with (its response) and the callback's URL.
async function signIn(page, account, { rewriteNonce } = {}) {
  if (rewriteNonce) { // bereik's redirect to the provider, with another nonce in its address
    await page.route(`${base}/login/oidc?*`, async (route) => {
      const response = await route.fetch({ maxRedirects: 0 });
      const headers = response.headers();
      const u = new URL(headers.location);
      u.searchParams.set('nonce', rewriteNonce);
      headers.location = u.toString();
      return route.fulfill({ response, headers });
    });
  }
  let nonce = null;
  page.on('request', (req) => {
    if (req.url().startsWith(`${provider.issuer}/auth?`)) nonce = new URL(req.url()).searchParams.get('nonce');
  });
  await page.goto(`${base}/login`);
  await page.click('#oidc-login');
  await page.waitForURL(new RegExp(`^${provider.issuer}/interaction/`));
  await page.fill('input[name=login]', account);
  await page.fill('input[name=password]', 'anything');
  const callback = page.waitForResponse((r) => r.url().startsWith(`${base}/login/oidc/callback`));
  await page.click('button[type=submit]');
  const response = await callback;
  await page.waitForLoadState();
  return { response, url: response.url(), nonce };
}

const shots = process.env.BEREIK_SCREENSHOTS;
async function refusedWith(page, response, reason, status = 401) {
  if (shots && reason === 'signature') {
    mkdirSync(shots, { recursive: true });
    for (const width of [390, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: join(shots, `login-oidc-refused-${width}.png`), fullPage: true });
    }
  }
  assert.equal(response.status(), status);
  assert.equal(await page.textContent('#oidc-reason'), reason);
  assert.match(await page.textContent('h1'), new RegExp(`Aanmelden via ${NAME} is geweigerd`));
  await new Promise((r) => setTimeout(r, 100)); // the log line is written before the answer; let the pipe deliver it
  assert.ok(events('oidc.refused').some((e) => e.reason === reason), `a security-log line oidc.refused ${reason}`);
}

test('the login page offers the provider first and folds the password form away', async () => {
  for (const width of [390, 1440]) {
    const page = await newPage(width);
    await page.goto(`${base}/login`);
    assert.equal((await page.textContent('#oidc-login')).trim(), `Aanmelden met ${NAME}`);
    assert.equal(await page.isVisible('#password'), false, 'the password form is folded away');
    assert.match(await page.textContent('#emergency summary'), /Noodaanmelding beheerder/);
    if (shots) {
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: join(shots, `login-oidc-${width}.png`), fullPage: true });
      await page.click('#emergency summary');
      await page.screenshot({ path: join(shots, `login-oidc-emergency-${width}.png`), fullPage: true });
    }
    await page.context().close();
  }
});

test('a browser signs in through the provider as the linked user', async () => {
  const page = await newPage();
  const { response } = await signIn(page, 'begeleider@bereik.example');
  assert.equal(response.status(), 303);
  assert.equal(new URL(page.url()).pathname, '/week');
  assert.match(await page.textContent('form.logout button'), /\(begeleider\)/);
  assert.ok(events('login.success').some((e) => e.login === 'begeleider' && e.factor === 'oidc'));
  await page.context().close();
});

test('a user whose login is the address is linked at the first sign-in', async () => {
  const page = await newPage();
  await signIn(page, 'An.Peeters@school.example'); // the provider's address in other case
  assert.match(await page.textContent('form.logout button'), /\(an\.peeters@school\.example\)/);
  assert.ok(events('oidc.linked').some((e) => e.login === 'an.peeters@school.example'));
  await page.context().close();
});

test('refused: an ID token with a wrong signature', async () => {
  const page = await newPage();
  provider.setMode('wrong-signature');
  const { response } = await signIn(page, 'begeleider@bereik.example');
  await refusedWith(page, response, 'signature');
  assert.equal((await page.context().cookies()).some((c) => c.name === 'bereik_session'), false);
  await page.context().close();
});

test('refused: an ID token for another audience', async () => {
  const page = await newPage();
  provider.setMode('other-audience');
  const { response } = await signIn(page, 'begeleider@bereik.example');
  await refusedWith(page, response, 'audience');
  await page.context().close();
});

test('refused: an expired ID token', async () => {
  const page = await newPage();
  provider.setMode('expired');
  const { response } = await signIn(page, 'begeleider@bereik.example');
  await refusedWith(page, response, 'expired');
  await page.context().close();
});

test('refused: a replayed state', async () => {
  const page = await newPage();
  const { url } = await signIn(page, 'begeleider@bereik.example');
  assert.equal(new URL(page.url()).pathname, '/week');
  // the same answer again, with the state cookie put back as it was: the state is used
  const state = new URL(url).searchParams.get('state');
  const context = page.context();
  await context.clearCookies();
  await context.addCookies([{ name: 'bereik_oidc', value: state, url: base }]);
  const response = await page.goto(url);
  await refusedWith(page, response, 'state');
  assert.equal((await context.cookies()).some((c) => c.name === 'bereik_session'), false);
  await context.close();
});

test('refused: a replayed nonce', async () => {
  const first = await newPage();
  const { nonce } = await signIn(first, 'begeleider@bereik.example');
  assert.ok(nonce);
  await first.context().close();
  // a new sign-in whose request to the provider carries the earlier sign-in's nonce
  const page = await newPage();
  const { response } = await signIn(page, 'begeleider@bereik.example', { rewriteNonce: nonce });
  await refusedWith(page, response, 'nonce');
  await page.context().close();
});

test('ES256 and a rotated key: the keys are fetched again for the new key id', async () => {
  provider.setAlg('ES256');
  await provider.rotateKeys();
  try {
    const page = await newPage();
    const { response } = await signIn(page, 'begeleider@bereik.example');
    assert.equal(response.status(), 303);
    assert.equal(new URL(page.url()).pathname, '/week');
    await page.context().close();
  } finally {
    provider.setAlg('RS256');
  }
});

test('an unknown account waits for approval, then signs in', async () => {
  let page = await newPage();
  const { response } = await signIn(page, 'nieuw@school.example');
  await refusedWith(page, response, 'pending', 403);
  await page.context().close();
  assert.match(bereik('oidc', 'pending'), /^nieuw@school\.example\tnieuw@school\.example\t/m);
  // the admin's Gebruikers page marks it
  const adminPage = await newPage();
  await adminPage.goto(`${base}/login`);
  await adminPage.click('#emergency summary');
  await adminPage.fill('#login', 'admin');
  await adminPage.fill('#password', PASSWORD);
  await Promise.all([adminPage.waitForNavigation(), adminPage.click('form.stack button[type=submit]')]);
  await adminPage.goto(`${base}/beheer/gebruikers`);
  assert.match(await adminPage.textContent('tr:has(th:text-is("nieuw@school.example"))'), /wacht op goedkeuring/);
  if (shots) {
    for (const width of [390, 1440]) {
      await adminPage.setViewportSize({ width, height: 900 });
      await adminPage.screenshot({ path: join(shots, `users-pending-${width}.png`), fullPage: true });
    }
  }
  await adminPage.context().close();
  bereik('oidc', 'approve', 'nieuw@school.example', '--advisor', 'BC');
  assert.equal(bereik('oidc', 'pending'), '');
  page = await newPage();
  await signIn(page, 'nieuw@school.example');
  assert.match(await page.textContent('form.logout button'), /\(nieuw@school\.example\)/);
  await page.context().close();
});

test('local passwords off: only the emergency admin signs in with a password', async () => {
  const page = await newPage();
  for (const [login, ok] of [['directie', false], ['admin', true]]) {
    await page.goto(`${base}/login`);
    await page.click('#emergency summary');
    await page.fill('#login', login);
    await page.fill('#password', PASSWORD);
    const [response] = await Promise.all([page.waitForNavigation(), page.click('form.stack button[type=submit]')]);
    if (ok) {
      assert.match(await page.textContent('form.logout button'), /\(admin\)/);
    } else {
      assert.equal(response.status(), 401);
      assert.ok(await page.isVisible('#login-error'));
    }
  }
  assert.ok(events('login.failure').some((e) => e.login === 'directie' && e.reason === 'local_passwords_off'));
  await page.context().close();
});

for (const restart of [false, true]) {
test(`logout ends the bereik session and the provider session${restart ? ', also after a restart of bereik' : ''}`, async () => {
  const page = await newPage();
  await signIn(page, 'begeleider@bereik.example');
  if (restart) { // the new process has not read the provider's documents yet
    await stopServer();
    await startServer();
  }
  const ends = [];
  page.on('request', (req) => { if (req.url().startsWith(`${provider.issuer}/session/end?`)) ends.push(new URL(req.url())); });
  await page.click('form.logout button');
  // bereik sends the browser to the provider's end_session_endpoint (which may ask to
  // confirm), and the provider sends it back to /login
  await page.waitForURL((u) => u.href.startsWith(`${base}/login`) || u.href.startsWith(`${provider.issuer}/session/end`));
  if (page.url().startsWith(provider.issuer) && await page.isVisible('text=Yes, sign me out')) await page.click('text=Yes, sign me out');
  await page.waitForURL(`${base}/login**`);
  assert.equal(ends.length, 1, 'one visit to the provider\'s end_session_endpoint');
  assert.ok(ends[0].searchParams.get('id_token_hint'), 'with the ID token as hint');
  assert.equal(ends[0].searchParams.get('post_logout_redirect_uri'), `${base}/login`);
  assert.equal(new URL(page.url()).pathname, '/login');
  const r = await page.goto(`${base}/week`);
  assert.equal(new URL(page.url()).pathname, '/login', 'no bereik session any more');
  assert.ok(r.ok());
  // the provider asks for the login again: its session ended too
  await page.click('#oidc-login');
  await page.waitForURL(new RegExp(`^${provider.issuer}/interaction/`));
  assert.ok(await page.isVisible('input[name=login]'));
  await page.context().close();
});
}

test('bereik oidc check reads the provider as the configuration file says', async () => {
  const { status, stdout: out } = await run(['oidc', 'check', '--config', join(dir, 'bereik.conf')]);
  assert.equal(status, 0);
  assert.match(out, new RegExp(`^token_endpoint: ${provider.issuer}/token$`, 'm'));
  assert.match(out, new RegExp(`^end_session_endpoint: ${provider.issuer}/session/end$`, 'm'));
  assert.match(out, /^signing key: RS256 \S+$/m);
  assert.match(out, /^signing key: ES256 \S+$/m);
  assert.match(out, new RegExp(`^redirect URI to register: ${base}/login/oidc/callback$`, 'm'));
});

test('serve refuses provider settings that do not go together, saying where', () => {
  const bad = [
    ['oidc-issuer = http://idp.example.org', /bad\.conf:1: oidc-issuer takes an https:\/\/ address/],
    [`oidc-issuer = ${provider.issuer}\noidc-client-id = bereik`, /needs oidc-client-secret-file as well/],
    ['local-passwords = off', /local-passwords = off needs emergency-admin/],
    ['local-passwords = off\nemergency-admin = directie', /emergency-admin 'directie' is not an active admin/],
    [`oidc-redirect-uri = ${base}/elders`, /must end in \/login\/oidc\/callback/],
  ];
  for (const [text, message] of bad) {
    writeFileSync(join(dir, 'bad.conf'), `${text}\n`);
    let err = '';
    try {
      execFileSync(BIN, ['--db', db, 'serve', '--config', join(dir, 'bad.conf'), '--listen', '127.0.0.1:1'], { stdio: 'pipe' });
      assert.fail('serve started');
    } catch (e) {
      assert.equal(e.status, 1);
      err = String(e.stderr);
    }
    assert.match(err, message);
  }
});

test('the client secret is read from standard input with oidc-client-secret-file = -', async () => {
  const conf = join(dir, 'stdin.conf');
  writeFileSync(conf, [`oidc-issuer = ${provider.issuer}`, 'oidc-client-id = bereik', 'oidc-client-secret-file = -',
    `oidc-redirect-uri = ${base}/login/oidc/callback`, ''].join('\n'));
  const ok = await run(['oidc', 'check', '--config', conf], 'bereik-secret-0123456789\n');
  assert.equal(ok.status, 0);
  assert.match(ok.stdout, /^issuer: /m);
  const empty = await run(['oidc', 'check', '--config', conf], '');
  assert.equal(empty.status, 1);
  assert.match(empty.stderr, /oidc-client-secret-file: '-' is empty/);
});
