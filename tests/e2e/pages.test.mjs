// SPDX-License-Identifier: EUPL-1.2
// Browser tests: logging in, the pages of every role, the language switch, axe-core on
// every page (no serious or critical violation) and screenshots at phone and desktop
// width (written to $BEREIK_SCREENSHOTS when set).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
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

test('login page: Dutch by default, accessible, screenshots', async () => {
  for (const width of [390, 1280]) {
    const page = await newPage(app, { width });
    await page.goto(`${app.base}/login`);
    assert.equal(await page.getAttribute('html', 'lang'), 'nl-BE');
    assert.match(await page.textContent('h1'), /Aanmelden/);
    assert.match(await page.textContent('main'), /tweede factor \(TOTP\).*staat uit/);
    const v = await axeViolations(page);
    assert.equal(v.length, 0, describe(v));
    await shoot(page, `login-${width}`);
    await page.context().close();
  }
});

test('a wrong password is refused with a message next to the form', async () => {
  const page = await newPage(app);
  await page.goto(`${app.base}/login`);
  await page.fill('#login', 'directie');
  await page.fill('#password', 'not-the-password');
  await Promise.all([page.waitForNavigation(), page.click('form.stack button[type=submit]')]);
  assert.match(await page.textContent('[role=alert]'), /klopt niet/);
  assert.equal(await page.inputValue('#login'), 'directie');
  await page.context().close();
});

const pages = [
  { user: 'directie', path: '/dashboard', expect: /FTE-realisatie/ },
  { user: 'coordinator', path: '/dashboard', expect: /Per team/ },
  { user: 'begeleider', path: '/dashboard', expect: /Per begeleider/ },
  { user: 'begeleider', path: '/week?datum=2024-10-07', expect: /Mijn week/ },
  { user: 'admin', path: '/week', expect: /Mijn week/ },
];

for (const p of pages) {
  test(`${p.path} as ${p.user}: content, axe, screenshots`, async () => {
    for (const width of [390, 1280]) {
      const page = await newPage(app, { width });
      await login(app, page, p.user);
      await page.goto(`${app.base}${p.path}`);
      assert.match(await page.textContent('main'), p.expect);
      const v = await axeViolations(page);
      assert.equal(v.length, 0, describe(v));
      const name = `${p.path.replace(/[^a-z]/g, '') || 'home'}-${p.user}-${width}`;
      await shoot(page, name);
      await page.context().close();
    }
  });
}

test('switch to English and back', async () => {
  const page = await newPage(app);
  await login(app, page, 'directie');
  await page.goto(`${app.base}/dashboard`);
  await Promise.all([page.waitForNavigation(), page.click('form.lang button')]);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.match(await page.textContent('main'), /FTE realisation/);
  await Promise.all([page.waitForNavigation(), page.click('form.lang button')]);
  assert.equal(await page.getAttribute('html', 'lang'), 'nl-BE');
  await page.context().close();
});

test('an advisor does not see colleagues on the dashboard', async () => {
  const page = await newPage(app);
  await login(app, page, 'begeleider');
  await page.goto(`${app.base}/dashboard`);
  const text = await page.textContent('main');
  assert.match(text, /Bert Claes/);
  assert.doesNotMatch(text, /An Peeters/);
  await page.context().close();
});
