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
  for (const width of [390, 1440]) {
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
  { user: 'directie', path: '/dashboard', expect: /Organisatie en eenheden/ },
  { user: 'directie', path: '/rapport', expect: /EINDTOTAAL/ },
  { user: 'admin', path: '/beheer', expect: /Schooljaren/ },
  { user: 'coordinator', path: '/trajecten?jaar=2025-2026', expect: /telt als bereikt|nog niet bereikt/ },
  { user: 'admin', path: '/audit', expect: /De laatste 200 wijzigingen/ },
  { user: 'admin', path: '/beheer/gebruikers', expect: /Gebruiker toevoegen/ },
  { user: 'begeleider', path: '/registreren', expect: /Recente registraties/ },
  { user: 'coordinator', path: '/dashboard', expect: /Per team/ },
  { user: 'begeleider', path: '/dashboard', expect: /Per begeleider/ },
  { user: 'begeleider', path: '/week?datum=2024-10-07', expect: /Mijn week/ },
  { user: 'admin', path: '/week', expect: /Mijn week/ },
  { user: 'admin', path: '/beheer/gegevens', expect: /Referentiegegevens/ },
  { user: 'begeleider', path: '/api-sleutels', expect: /API/ },
  { user: 'begeleider', path: '/mijn-account', expect: /Wachtwoord wijzigen/ },
  { user: 'begeleider', path: '/instellingen?q=school', expect: /Instellingen zoeken/ },
  { user: 'admin', path: '/beheer/gegevens?bestand=institutions', expect: /Instellingen \(\d+\)/ },
  { user: 'admin', path: '/beheer/rij?bestand=advisors&k0=FJ', expect: /Teams/ },
  { user: 'admin', path: '/beheer/rij?bestand=trajectories', expect: /Actieplan/ },
  { user: 'coordinator', path: '/week?datum=2025-10-06&begeleider=FJ', expect: /Week van Fien Jacobs/ },
];

for (const p of pages) {
  test(`${p.path} as ${p.user}: content, axe, screenshots`, async () => {
    for (const width of [390, 1440]) {
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

// Belgian number on screen -> number ("1.364,5" -> 1364.5).
function be(text) {
  return Number(text.trim().replace(/\./g, '').replace(',', '.'));
}

async function dashboardFigures(page) {
  await page.goto(`${app.base}/dashboard?jaar=2025-2026`);
  const cells = await page.$$eval('tr[data-line="P3"] td', (tds) => tds.map((td) => td.textContent));
  return {
    hits: be(await page.textContent('#hits-total')),
    klv: be(cells[3]),
    client: be(cells[4]),
  };
}

test('register an intervention with two institutions and a co-advisor: the dashboard moves by exactly that', async () => {
  const boss = await newPage(app);
  await login(app, boss, 'directie');
  const before = await dashboardFigures(boss);

  const page = await newPage(app, { width: 390 });
  await login(app, page, 'begeleider');
  await page.goto(`${app.base}/registreren`);
  await page.check('input[name=kind][value=client]');
  await page.fill('#date', '2025-10-06');
  await page.fill('#duration', '1u30');
  await page.selectOption('#line', 'P3');
  await page.fill('#institutions', 'BAA, SAA');
  await page.selectOption('#modality', 'fysiek');
  await page.check('input[name=co][value=FJ]');
  await page.fill('#tg-leraren', '7');
  await page.fill('#description', 'Studiedag evaluatie');
  const v = await axeViolations(page);
  assert.equal(v.length, 0, describe(v));
  await shoot(page, 'registreren-begeleider-390');
  await Promise.all([page.waitForNavigation(), page.click('form.register button[type=submit]')]);
  assert.match(await page.textContent('[role=status]'), /Bewaard/);

  const after = await dashboardFigures(boss);
  assert.equal(after.hits - before.hits, 2); // one hit per institution
  assert.ok(Math.abs(after.client - before.client - 3.0) < 1e-9, `client hours ${before.client} -> ${after.client}`); // 90 min x 2 institutions
  assert.ok(Math.abs(after.klv - before.klv - 3.0) < 1e-9, `classroom hours ${before.klv} -> ${after.klv}`); // 90 min x 2 advisors
  await page.context().close();
  await boss.context().close();
});

test('a registration in a locked school year is refused beside the date, and nothing typed is lost', async () => {
  const page = await newPage(app, { width: 1440 });
  await login(app, page, 'begeleider');
  await page.goto(`${app.base}/registreren`);
  await page.fill('#date', '2023-11-06');
  await page.fill('#duration', '60');
  await page.selectOption('#line', 'P3');
  await page.fill('#institutions', 'SAA');
  await page.selectOption('#modality', 'online');
  await page.fill('#description', 'Niet in een afgesloten jaar');
  await Promise.all([page.waitForNavigation(), page.click('form.register button[type=submit]')]);
  assert.match(await page.textContent('#date-error'), /afgesloten/);
  assert.equal(await page.inputValue('#description'), 'Niet in een afgesloten jaar');
  assert.equal(await page.inputValue('#institutions'), 'SAA');
  const v = await axeViolations(page);
  assert.equal(v.length, 0, describe(v));
  await shoot(page, 'registreren-fout-1440');
  await page.context().close();
});

test("editing a colleague's registration is refused; editing one's own works", async () => {
  const page = await newPage(app);
  await login(app, page, 'begeleider');
  // a registration of An Peeters (advisor AP) on which Bert Claes (the begeleider) is not listed
  const other = await newPage(app);
  await login(app, other, 'coordinator'); // the coordinator account is An Peeters
  await other.goto(`${app.base}/week?datum=2025-10-06`);
  const href = await other.getAttribute('main li a[href^="/registratie?id="]', 'href');
  assert.ok(href, 'the coordinator has a registration to edit');
  const resp = await page.goto(`${app.base}${href}`);
  assert.equal(resp.status(), 403);
  assert.match(await page.textContent('h1'), /Geen toegang/);
  // own registration: the edit form opens with the stored values
  await page.goto(`${app.base}/week?datum=2025-10-06`);
  const own = await page.getAttribute('main li a[href^="/registratie?id="]', 'href');
  const r2 = await page.goto(`${app.base}${own}`);
  assert.equal(r2.status(), 200);
  assert.match(await page.textContent('h1'), /Registratie wijzigen/);
  const v = await axeViolations(page);
  assert.equal(v.length, 0, describe(v));
  await shoot(page, 'registratie-wijzigen-1440');
  await page.context().close();
  await other.context().close();
});

test('an admin locks a school year; a registration in it is then refused; reopening allows it again', async () => {
  const admin = await newPage(app);
  await login(app, admin, 'admin');
  await admin.goto(`${app.base}/beheer`);
  await admin.check('tr:has-text("2025-2026") input[name=bevestig]');
  await Promise.all([admin.waitForNavigation(), admin.click('button:has-text("Sluit af: 2025-2026")')]);
  assert.match(await admin.textContent('main'), /Heropen: 2025-2026/);

  const page = await newPage(app);
  await login(app, page, 'begeleider');
  const register = async () => {
    await page.goto(`${app.base}/registreren`);
    await page.fill('#date', '2025-10-07');
    await page.fill('#duration', '45');
    await page.selectOption('#line', 'P3');
    await page.fill('#institutions', 'SAA');
    await page.selectOption('#modality', 'online');
    await Promise.all([page.waitForNavigation(), page.click('form.register button[type=submit]')]);
  };
  await register();
  assert.match(await page.textContent('#date-error'), /afgesloten/);

  await Promise.all([admin.waitForNavigation(), admin.click('button:has-text("Heropen: 2025-2026")')]);
  await register();
  assert.match(await page.textContent('[role=status]'), /Bewaard/);
  await admin.goto(`${app.base}/audit`);
  const audit = await admin.textContent('main');
  assert.match(audit, /afgesloten/);
  assert.match(audit, /heropend/);
  await admin.context().close();
  await page.context().close();
});

test('with JavaScript: internal time hides the client fields, and + raises a head count', async () => {
  const page = await newPage(app, { width: 390 });
  await login(app, page, 'begeleider');
  await page.goto(`${app.base}/registreren`);
  assert.equal(await page.isVisible('#institutions'), true);
  assert.equal(await page.isVisible('#activity'), false);
  await page.check('input[name=kind][value=internal]');
  assert.equal(await page.isVisible('#institutions'), false);
  assert.equal(await page.isVisible('#activity'), true);
  await page.check('input[name=kind][value=client]');
  await page.fill('#tg-leraren', '2');
  await page.click('#tg-leraren + button.plus');
  await page.click('#tg-leraren + button.plus');
  assert.equal(await page.inputValue('#tg-leraren'), '4');
  const v = await axeViolations(page);
  assert.equal(v.length, 0, describe(v));
  await page.context().close();
});

test('an admin changes reference data in Beheer: errors beside the field, then saved and listed', async () => {
  const page = await newPage(app, { width: 390 });
  await login(app, page, 'admin');
  await page.goto(`${app.base}/beheer/gegevens?bestand=target_groups`);
  await Promise.all([page.waitForNavigation(), page.click('a.button:has-text("Nieuw")')]);
  await page.fill('#c-code', 'ouders');
  await page.fill('#c-name', 'Ouders');
  await page.fill('#c-position', 'twee');
  await Promise.all([page.waitForNavigation(), page.click('form.record button[type=submit]')]);
  assert.match(await page.textContent('#c-position-error'), /geen geheel getal/);
  assert.equal(await page.inputValue('#c-name'), 'Ouders');
  let v = await axeViolations(page);
  assert.equal(v.length, 0, describe(v));
  await shoot(page, 'beheer-form-error-admin-390');
  await page.fill('#c-position', '9');
  await Promise.all([page.waitForNavigation(), page.click('form.record button[type=submit]')]);
  assert.match(await page.textContent('[role=status]'), /Bewaard: ouders/);
  assert.match(await page.textContent('table'), /Ouders/);
  v = await axeViolations(page);
  assert.equal(v.length, 0, describe(v));
  await page.context().close();
});

test('with JavaScript: institutions are suggested by name while typing the next one of the list', async () => {
  const page = await newPage(app, { width: 390 });
  await login(app, page, 'begeleider');
  await page.goto(`${app.base}/registreren`);
  await page.fill('#institutions', 'BAA, ');
  await page.type('#institutions', 'School SA');
  await page.waitForSelector('#institutions-suggest li');
  assert.equal(await page.getAttribute('#institutions', 'aria-expanded'), 'true');
  assert.match(await page.textContent('#institutions-suggest li'), /^SA[A-Z] · School SA/);
  const v = await axeViolations(page);
  assert.equal(v.length, 0, describe(v));
  await shoot(page, 'registreren-suggest-begeleider-390');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  assert.match(await page.inputValue('#institutions'), /^BAA, SA[A-Z], $/);
  assert.equal(await page.isVisible('#institutions-suggest'), false);
  await page.context().close();
});
