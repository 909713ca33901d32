// SPDX-License-Identifier: EUPL-1.2
// Browser test of the e-mail preferences on Mijn account (docs/MAIL.md): reminders and
// reports on by default, an address saved with reminders switched off (read back by
// `bereik mail set`'s counterpart: the page itself after a reload, and the dry run of
// `bereik mail due`), a bad address refused beside the field; axe-core on each state and
// screenshots at phone and desktop width ($BEREIK_SCREENSHOTS).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startApp, newPage, login, axeViolations, BIN } from './lib.mjs';

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
async function noViolations(page) {
  const v = await axeViolations(page);
  assert.equal(v.length, 0, v.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n'));
}
const save = (page) =>
  Promise.all([page.waitForNavigation(), page.click('form[action="/mijn-account/e-mail"] button')]);

test('e-mail preferences: defaults, save, reminders off, a bad address refused', async () => {
  for (const [width, user] of [[390, 'begeleider'], [1440, 'coordinator']]) {
    const page = await newPage(app, { width });
    await login(app, page, user);
    await page.goto(`${app.base}/mijn-account`);
    assert.match(await page.textContent('#mail-prefs'), /Herinneringen per e-mail/);
    assert.equal(await page.isChecked('#herinneringen'), true, 'reminders on by default');
    assert.equal(await page.isChecked('#overzichten'), true, 'reports on by default');
    assert.equal(await page.inputValue('#email'), `${user}@bereik.example`, 'the demo account has an address');
    await noViolations(page);

    await page.fill('#email', `  ${user}@example.org `);
    await page.uncheck('#herinneringen');
    await save(page);
    assert.match(await page.textContent('main'), /Je e-mailvoorkeuren zijn bewaard/);
    await page.goto(`${app.base}/mijn-account`);
    assert.equal(await page.inputValue('#email'), `${user}@example.org`);
    assert.equal(await page.isChecked('#herinneringen'), false);
    assert.equal(await page.isChecked('#overzichten'), true);
    await shoot(page, `mail-voorkeuren-${width}`);

    // the browser checks type=email itself; the server must refuse too
    await page.evaluate(() => document.getElementById('mail-prefs').setAttribute('novalidate', ''));
    await page.fill('#email', 'geen adres');
    await save(page);
    assert.match(await page.textContent('#email-error'), /geen geldig e-mailadres/);
    assert.equal(await page.getAttribute('#email', 'aria-invalid'), 'true');
    await noViolations(page);
    await shoot(page, `mail-voorkeuren-fout-${width}`);
    await page.context().close();
  }
  // what the pages saved is what bereik mail due reads: no reminder for either user
  const due = execFileSync(BIN, ['--db', app.db, 'mail', 'due', '--dry-run'], { encoding: 'utf8' });
  assert.doesNotMatch(due, /^due reminder .*<(begeleider|coordinator)@example.org>/m);
  assert.match(due, /^due week \S+ <begeleider@example.org> begeleider: Je week in bereik/m);
});
