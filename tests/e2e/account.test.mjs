// SPDX-License-Identifier: EUPL-1.2
// Browser tests of Mijn account (issue 13): the page, a refused password change with its
// message beside the field, setting up the second factor (QR code, first code, recovery
// codes), the own sessions, and the admin's password reset on the users page; axe-core
// on every state and screenshots at phone and desktop width ($BEREIK_SCREENSHOTS).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startApp, newPage, login, axeViolations } from './lib.mjs';

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.stop();
});

const shots = process.env.BEREIK_SCREENSHOTS;
if (shots) mkdirSync(shots, { recursive: true });
async function shoot(page, name) {
  if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}
function describe(violations) {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n');
}
async function noViolations(page) {
  const v = await axeViolations(page);
  assert.equal(v.length, 0, describe(v));
}

// RFC 6238 code of a base32 secret, computed here independently of bereik.
function totp(base32) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32.replace(/\s/g, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const o = mac[mac.length - 1] & 15;
  return String((mac.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

test('Mijn account: password fields, second factor, sessions; accessible at both widths', async () => {
  for (const width of [390, 1440]) {
    const page = await newPage(app, { width });
    await login(app, page, 'begeleider');
    await page.goto(`${app.base}/mijn-account`);
    assert.match(await page.textContent('h1'), /Mijn account/);
    for (const id of ['#current', '#new', '#repeat', '#totp-current'])
      assert.equal(await page.getAttribute(id, 'type'), 'password', `${id} is a password field`);
    assert.equal(await page.getAttribute('#new', 'autocomplete'), 'new-password');
    assert.match(await page.textContent('#sessions'), /deze sessie/);
    await noViolations(page);
    await shoot(page, `mijn-account-${width}`);
    await page.context().close();
  }
});

test('a too short new password is refused beside the field', async () => {
  for (const width of [390, 1440]) {
    const page = await newPage(app, { width });
    await login(app, page, 'coordinator');
    await page.goto(`${app.base}/mijn-account`);
    await page.fill('#current', 'demo-bereik');
    await page.fill('#new', 'te-kort');
    await page.fill('#repeat', 'te-kort');
    await Promise.all([page.waitForNavigation(), page.click('form[action="/mijn-account/wachtwoord"] button')]);
    assert.match(await page.textContent('#new-error'), /minstens 12 tekens/);
    assert.equal(await page.getAttribute('#new', 'aria-invalid'), 'true');
    await noViolations(page);
    await shoot(page, `wachtwoord-fout-${width}`);
    await page.context().close();
  }
});

test('the own sessions: two browsers, end the other one', async () => {
  const other = await newPage(app);
  await login(app, other, 'begeleider');
  for (const width of [390, 1440]) {
    const page = await newPage(app, { width });
    await login(app, page, 'begeleider');
    await page.goto(`${app.base}/mijn-account`);
    assert.ok((await page.$$('#sessions tbody tr')).length >= 2);
    await noViolations(page);
    await shoot(page, `sessies-${width}`);
    if (width === 1440) {
      await Promise.all([page.waitForNavigation(), page.click('form[action="/mijn-account/sessies/andere"] button')]);
      assert.equal((await page.$$('#sessions tbody tr')).length, 1);
      const r = await other.goto(`${app.base}/week`);
      assert.match(r.url(), /\/login/);
    }
    await page.context().close();
  }
  await other.context().close();
});

test('an admin resets a password on the users page', async () => {
  for (const width of [390, 1440]) {
    const page = await newPage(app, { width });
    await login(app, page, 'admin');
    await page.goto(`${app.base}/beheer/gebruikers`);
    await page.fill('#reset-login', 'coordinator');
    await page.fill('#reset-password', `nieuwe-wachtzin-${width}`);
    await Promise.all([page.waitForNavigation(), page.click('form[action="/beheer/gebruikers/wachtwoord"] button')]);
    assert.match(await page.textContent('[role=status]'), /opnieuw ingesteld/);
    await noViolations(page);
    await shoot(page, `gebruikers-reset-${width}`);
    await page.context().close();
  }
});

// last: the accounts that get a second factor here log in with a code from then on
test('set up the second factor: QR code, first code, ten recovery codes', async () => {
  for (const [width, user] of [[390, 'directie'], [1440, 'begeleider']]) {
    const page = await newPage(app, { width });
    await login(app, page, user);
    await page.goto(`${app.base}/mijn-account`);
    await page.fill('#totp-current', 'demo-bereik');
    await Promise.all([page.waitForNavigation(), page.click('form[action="/mijn-account/tweede-factor"] button')]);
    assert.ok(await page.isVisible('svg.qr'), 'the QR code is shown');
    const key = await page.textContent('#totp-key');
    await noViolations(page);
    await shoot(page, `tweede-factor-qr-${width}`);
    await page.fill('#totp-code', totp(key));
    await Promise.all([page.waitForNavigation(), page.click('form button[type=submit] >> text=Bevestigen')]);
    assert.equal((await page.$$('#recovery-codes li')).length, 10);
    await noViolations(page);
    await shoot(page, `herstelcodes-${width}`);
    await page.goto(`${app.base}/mijn-account`);
    assert.match(await page.textContent('#totp-status'), /Ongebruikte herstelcodes: 10/);
    await page.context().close();
  }
});
