// SPDX-License-Identifier: EUPL-1.2
// Browser test of Datakwaliteit (issue 17, docs/QUALITY.md). Two identical registrations
// of the coordinator (An Peeters, AP) are imported today through the CLI (ids QDUP1 and
// QDUP2: same advisor, date, minutes, line and no institutions): a likely duplicate known
// by hand. The coordinator finds Datakwaliteit in the menu, sees that group listed with
// both ids, follows the link of QDUP2 to its edit form, and follows a day without
// registrations to the week view of that advisor and day; at phone and desktop width,
// axe-core on the page. An advisor sees only their own findings and no menu link.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, newPage, login, axeViolations, BIN } from './lib.mjs';

let app;
// today in Brussels, as the server counts it (bounds_today)
const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Brussels' });

before(async () => {
  app = await startApp();
  const dir = mkdtempSync(join(tmpdir(), 'bereik-e2e-quality-'));
  writeFileSync(join(dir, 'registrations.csv'),
    'id,date,minutes,kind,line,advisors,activity\n' +
    `QDUP1,${today},45,internal,P1,AP,preparation\n` +
    `QDUP2,${today},45,internal,P1,AP,preparation\n`);
  execFileSync(BIN, ['--db', app.db, 'import', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  rmSync(dir, { recursive: true, force: true });
});
after(async () => {
  await app?.stop();
});

const shots = process.env.BEREIK_SCREENSHOTS;
if (shots) mkdirSync(shots, { recursive: true });

for (const width of [390, 1440]) {
  test(`a coordinator finds the hand-made duplicate and follows its links (${width} px)`, async () => {
    const page = await newPage(app, { width });
    await login(app, page, 'coordinator');
    // the menu link (on a phone the menu is the same list)
    const link = page.locator('nav a[href="/datakwaliteit"]');
    assert.equal(await link.count(), 1);
    assert.equal((await link.textContent()).trim(), 'Datakwaliteit');
    await link.click();
    await page.waitForURL(/\/datakwaliteit$/);
    assert.equal((await page.textContent('h1')).trim(), 'Datakwaliteit');
    const v = await axeViolations(page);
    assert.equal(v.length, 0, v.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n'));
    // the group of QDUP1 and QDUP2, once, under An Peeters
    const group = page.locator('#quality-dups li', { hasText: 'QDUP1' });
    assert.equal(await group.count(), 1);
    const text = await group.textContent();
    assert.match(text, /An Peeters/);
    assert.match(text, /QDUP2/);
    // the counts table names An Peeters with at least this group
    const row = page.locator('#quality-advisors tbody tr', { hasText: 'An Peeters' });
    assert.equal(await row.count(), 1);
    const dups = Number((await row.locator('td').nth(3).textContent()).trim());
    assert.ok(dups >= 1, `duplicates of An Peeters: ${dups}`);
    if (shots) await page.screenshot({ path: join(shots, `quality-coordinator-${width}.png`), fullPage: true });
    // follow the link to the registration's edit form
    await Promise.all([page.waitForURL(/\/registratie\?id=QDUP2$/), group.locator('a', { hasText: 'QDUP2' }).click()]);
    assert.match(await page.content(), /QDUP2/);
    // back, and a day without registrations leads to the week of that advisor and day
    await page.goto(`${app.base}/datakwaliteit`);
    const details = page.locator('details.quality-days').first();
    if (await details.count()) {
      await details.locator('summary').click();
      const day = details.locator('a').first();
      const href = await day.getAttribute('href');
      assert.match(href, /^\/week\?datum=\d{4}-\d{2}-\d{2}&begeleider=[A-Za-z0-9]+$/);
      await Promise.all([page.waitForURL(/\/week\?datum=/), day.click()]);
    }
    await page.context().close();
  });
}

test('an advisor sees only their own findings and no menu link', async () => {
  const page = await newPage(app, { width: 1440 });
  await login(app, page, 'begeleider');
  assert.equal(await page.locator('nav a[href="/datakwaliteit"]').count(), 0);
  const r = await page.goto(`${app.base}/datakwaliteit`);
  assert.equal(r.status(), 200);
  assert.match(await page.textContent('main'), /Je ziet je eigen bevindingen/);
  assert.equal(await page.locator('#quality-teams').count(), 0);
  const rows = await page.locator('#quality-advisors tbody tr').count();
  assert.equal(rows, 1);
  // the coordinator's duplicate is not theirs
  assert.equal(await page.locator('#quality-dups li', { hasText: 'QDUP1' }).count(), 0);
  await page.context().close();
});
