// SPDX-License-Identifier: EUPL-1.2
// Browser tests of Mijn week (docs/DAY-week.md): the week as seven day cards (a grid of
// seven at 1440 px, stacked at 390 px) with hand-worked day and week totals, a "+" per
// day to /registreren?datum=, the two KLV% explained against 60%; copying a day and a
// week (checked through the API), refused all or nothing for a locked year and for the
// daily bound; the search of one's own registrations; the keyboard shortcuts and their
// help dialog; the words of finding 8 (roles, values, decimals, local timestamps, no
// switch-off of one's own account, a confirmation before locking a year). axe-core on
// every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startApp, newPage, login, axeViolations, BIN, brusselsDay } from '../e2e/lib.mjs';

let app, token;
const api = async (path, init = {}) => {
  const r = await fetch(`${app.base}${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...(init.headers || {}) },
  });
  return { status: r.status, body: r.status === 204 ? null : await r.json() };
};
const onDay = async (date) =>
  (await api(`/api/v1/registrations?advisor=BC&from=${date}&to=${date}&limit=500`)).body.items;

// days as YYYY-MM-DD (date arithmetic at noon UTC); today is the server's, in Brussels
const iso = (d) => d.toISOString().slice(0, 10);
const addDays = (s, n) => iso(new Date(Date.parse(`${s}T12:00:00Z`) + n * 86400000));
const mondayOf = (s) => addDays(s, -((new Date(`${s}T12:00:00Z`).getUTCDay() + 6) % 7));
const today = brusselsDay();
const thisMonday = mondayOf(today);
// Saturdays of past weeks in this school year (the demo registers on working days only)
const satA = addDays(thisMonday, -16); // three weeks back
const satB = addDays(thisMonday, -9); // two weeks back
const be = (s) => s.split('-').reverse().join('/');

async function noViolations(page) {
  const v = await axeViolations(page);
  assert.equal(v.length, 0, v.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n'));
}

before(async () => {
  app = await startApp();
  token = execFileSync(BIN, ['--db', app.db, 'user', 'token', 'begeleider', '--label', 'week-test']).toString().trim();
  // two registrations on Saturday A: 1u30 (client, online) and 0u45 (internal), by hand
  for (const body of [
    { id: 'wk-a1', date: satA, minutes: 90, kind: 'client', line: 'P3', advisors: ['BC'], institutions: ['SAA'],
      modality: 'online', description: 'zoekwoord-kiwi studiedag' },
    { id: 'wk-a2', date: satA, minutes: 45, kind: 'internal', line: 'P3', advisors: ['BC'], activity: 'preparation',
      description: 'zoekwoord-kiwi voorbereiding' },
  ]) {
    const r = await api('/api/v1/registrations', { method: 'POST', body: JSON.stringify(body) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
});
after(async () => {
  await app?.stop();
});

test('the week is a grid of seven days at 1440 px with hand-worked totals, a + per day and both KLV% explained', async () => {
  const page = await newPage(app, { width: 1440 });
  await login(app, page, 'begeleider');
  await page.goto(`${app.base}/week?datum=${satA}`);
  const days = page.locator('ol.week-grid > li.day');
  assert.equal(await days.count(), 7);
  // one row of seven: the same top for every day
  const tops = await days.evaluateAll((ls) => ls.map((l) => Math.round(l.getBoundingClientRect().top)));
  assert.equal(new Set(tops).size, 1, `tops ${tops}`);
  // Saturday A: 90 + 45 minutes = 2u15; its "+" registers on that day
  const sat = page.locator(`#dag-${satA}`);
  assert.equal((await sat.locator('.day-total').textContent()).trim(), '2u15');
  assert.match(await sat.locator('h2').textContent(), /^zaterdag /);
  assert.equal(await sat.locator('a.add').getAttribute('href'), `/registreren?datum=${satA}`);
  assert.match(await sat.locator('a.add').getAttribute('aria-label'), /^Registreer op zaterdag/);
  // the week total is the sum of the seven day totals
  const mins = (t) => { const [h, m] = t.trim().split('u'); return Number(h) * 60 + Number(m); };
  const dayTotals = await page.locator('.day-total').allTextContents();
  const sum = dayTotals.reduce((a, t) => a + mins(t), 0);
  const weekTotal = (await page.textContent('#week-total .big')).trim();
  assert.equal(mins(weekTotal), sum);
  assert.match(weekTotal, /^\d+u\d\d$/);
  // both KLV% say over which hours, against 60%
  assert.match(await page.textContent('#week-klv'), /geregistreerde uren van deze week[\s\S]*|60%/);
  assert.match(await page.textContent('#week-klv'), /60%/);
  assert.match(await page.textContent('#week-klv .explain'), /gedeeld door al je geregistreerde uren van deze week/);
  assert.match(await page.textContent('#year-klv .explain'), /gedeeld door je FTE-uren/);
  // previous / next week
  assert.equal(await page.getAttribute('.week-nav a[rel=prev]', 'href'), `/week?datum=${addDays(mondayOf(satA), -7)}`);
  assert.equal(await page.getAttribute('.week-nav a[rel=next]', 'href'), `/week?datum=${addDays(mondayOf(satA), 7)}`);
  await noViolations(page);
  // no "+" on a day after today
  await page.goto(`${app.base}/week?datum=${addDays(thisMonday, 7)}`);
  assert.equal(await page.locator('a.add').count(), 0);
  await page.context().close();
});

test('on a phone the days stack as cards and nothing scrolls sideways', async () => {
  const page = await newPage(app, { width: 390, height: 844 });
  await login(app, page, 'begeleider');
  await page.goto(`${app.base}/week?datum=${satA}`);
  const boxes = await page.locator('ol.week-grid > li.day').evaluateAll((ls) =>
    ls.map((l) => { const r = l.getBoundingClientRect(); return { top: r.top, right: r.right }; }));
  for (let i = 1; i < boxes.length; i++) assert.ok(boxes[i].top > boxes[i - 1].top, 'stacked');
  for (const b of boxes) assert.ok(b.right <= 390, `card inside the screen: ${b.right}`);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390));
  await noViolations(page);
  await page.context().close();
});

test('a day copied to another day: every field kept, the date changed, listed, exactly once through the API', async () => {
  const page = await newPage(app, { width: 1440 });
  await login(app, page, 'begeleider');
  assert.equal((await onDay(satB)).length, 0);
  await page.goto(`${app.base}/week?datum=${satA}`);
  const sat = page.locator(`#dag-${satA}`);
  await sat.locator('details.copy summary').click();
  await sat.locator('input[name=naar]').fill(satB);
  await Promise.all([page.waitForNavigation(), sat.locator('details.copy button[type=submit]').click()]);
  assert.match(await page.textContent('.copy-result'), /Gekopieerd/);
  assert.equal(await page.locator('.copy-result ul.copied > li').count(), 2);
  assert.match(await page.textContent('.copy-result'), new RegExp(be(satB)));
  // the page shows the target week with the copies: 2u15 on Saturday B
  assert.equal((await page.textContent(`#dag-${satB} .day-total`)).trim(), '2u15');
  const copies = await onDay(satB);
  assert.equal(copies.length, 2);
  const online = copies.find((c) => c.kind === 'client');
  assert.equal(online.minutes, 90);
  assert.equal(online.modality, 'online');
  assert.equal(online.line, 'P3');
  assert.equal(online.description, 'zoekwoord-kiwi studiedag');
  assert.equal(copies.find((c) => c.kind === 'internal').minutes, 45);
  assert.equal((await onDay(satA)).length, 2, 'the originals stay');
  // the answer was a redirect to the target week: reloading it copies nothing again
  assert.match(page.url(), new RegExp(`/week\\?datum=${satB}&gekopieerd=`));
  await page.reload();
  assert.equal((await onDay(satB)).length, 2);
  await noViolations(page);
  await page.context().close();
});

test('a copy into a locked school year, or over the daily bound, is refused with reasons and writes nothing', async () => {
  const page = await newPage(app, { width: 1440 });
  await login(app, page, 'begeleider');
  // 2023-2024 is locked in the demo; 7 October 2023 was a Saturday
  await page.goto(`${app.base}/week?datum=${satA}`);
  let sat = page.locator(`#dag-${satA}`);
  await sat.locator('details.copy summary').click();
  await sat.locator('input[name=naar]').fill('2023-10-07');
  let [resp] = await Promise.all([page.waitForNavigation(), sat.locator('details.copy button[type=submit]').click()]);
  assert.equal(resp.status(), 422);
  const msg = await page.textContent('.copy-result');
  assert.match(msg, /Niets gekopieerd/);
  assert.match(msg, /2023-2024/);
  assert.match(msg, /afgesloten/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'copy-result');
  assert.equal((await onDay('2023-10-07')).length, 0);
  // daily bound: 22u30 on the target day; the first copy (1u30) would reach 24u00, the
  // second (0u45) pass it: all or nothing, so neither is written
  const target = addDays(satA, 1); // Sunday A
  const r = await api('/api/v1/registrations', { method: 'POST', body: JSON.stringify({
    id: 'wk-full', date: target, minutes: 1350, kind: 'internal', line: 'P3', advisors: ['BC'], activity: 'other' }) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  await page.goto(`${app.base}/week?datum=${satA}`);
  sat = page.locator(`#dag-${satA}`);
  await sat.locator('details.copy summary').click();
  await sat.locator('input[name=naar]').fill(target);
  [resp] = await Promise.all([page.waitForNavigation(), sat.locator('details.copy button[type=submit]').click()]);
  assert.equal(resp.status(), 422);
  assert.match(await page.textContent('.copy-result'), /Niets gekopieerd/);
  assert.equal((await onDay(target)).length, 1, 'only the 22u30 registration');
  assert.equal((await page.textContent(`#dag-${target} .day-total`)).trim(), '22u30');
  await noViolations(page);
  await api('/api/v1/registrations/wk-full', { method: 'DELETE' });
  await page.context().close();
});

test('a week copied to another week lands on the same weekdays', async () => {
  const page = await newPage(app, { width: 1440 });
  await login(app, page, 'begeleider');
  const fromMonday = mondayOf(satA);
  const before = (await api(`/api/v1/registrations?advisor=BC&from=${fromMonday}&to=${addDays(fromMonday, 6)}&limit=500`)).body.items;
  // to the week of 4 weeks back (any day of it names the week)
  const toMonday = addDays(fromMonday, -7);
  const existing = (await api(`/api/v1/registrations?advisor=BC&from=${toMonday}&to=${addDays(toMonday, 6)}&limit=500`)).body.items;
  await page.goto(`${app.base}/week?datum=${satA}`);
  await page.locator('details.copy-week summary').click();
  await page.fill('#naar-week', addDays(toMonday, 3));
  const [resp] = await Promise.all([page.waitForNavigation(), page.locator('details.copy-week button[type=submit]').click()]);
  const after = (await api(`/api/v1/registrations?advisor=BC&from=${toMonday}&to=${addDays(toMonday, 6)}&limit=500`)).body.items;
  // the demo's days hold at most some 9 hours, so twice a day stays under the daily bound
  assert.equal(resp.status(), 200);
  assert.match(await page.textContent('.copy-result'), /Gekopieerd/);
  assert.equal(after.length, existing.length + before.length);
  // each weekday of the target week gains exactly the minutes of the same weekday copied
  const minutesOn = (items, day) => items.filter((x) => x.date === day).reduce((a, x) => a + x.minutes, 0);
  for (let i = 0; i < 7; i++) {
    assert.equal(minutesOn(after, addDays(toMonday, i)),
      minutesOn(existing, addDays(toMonday, i)) + minutesOn(before, addDays(fromMonday, i)), `day ${i}`);
  }
  assert.equal(minutesOn(after, addDays(toMonday, 5)), 135, 'Saturday: 90 + 45 minutes');
  await page.context().close();
});

test('search: text, modality and period over one\'s own registrations, results linking to the edit form', async () => {
  const page = await newPage(app, { width: 390, height: 844 });
  await login(app, page, 'begeleider');
  await page.goto(`${app.base}/week`);
  await Promise.all([page.waitForNavigation(), page.click('a:has-text("Zoeken in mijn registraties")')]);
  await page.fill('#q', 'ZOEKWOORD-kiwi');
  await page.fill('#van', satA);
  await page.fill('#tot', satA);
  await Promise.all([page.waitForNavigation(), page.click('form.search-form button[type=submit]')]);
  // on Saturday A: exactly the two made above (1u30 + 0u45 = 2u15)
  assert.match(await page.textContent('#found'), /Gevonden registraties: 2, samen 2u15\./);
  const links = await page.locator('#search-results tbody a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links.sort(), ['/registratie?id=wk-a1', '/registratie?id=wk-a2']);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390));
  await noViolations(page);
  // the modality: only the online one
  await page.selectOption('#modaliteit', 'online');
  await Promise.all([page.waitForNavigation(), page.click('form.search-form button[type=submit]')]);
  assert.match(await page.textContent('#found'), /Gevonden registraties: 1, samen 1u30\./);
  assert.match(await page.textContent('#search-results tbody'), /Online/);
  // a period from after to is refused with a message
  await page.goto(`${app.base}/week/zoeken?van=${satB}&tot=${satA}`);
  assert.match(await page.textContent('[role=alert]'), /geldige periode/);
  // following a result opens the edit form of that registration
  await page.goto(`${app.base}/week/zoeken?q=zoekwoord-kiwi+studiedag&van=${satA}&tot=${satA}`);
  await Promise.all([page.waitForNavigation(), page.click('#search-results tbody a')]);
  assert.match(page.url(), /\/registratie\?id=wk-a1$/);
  await page.context().close();
});

test('keyboard shortcuts: ? opens the help, j / k and Alt+arrows change the week, n registers, never while typing', async () => {
  const page = await newPage(app, { width: 1440 });
  await login(app, page, 'begeleider');
  const monday = mondayOf(satA);
  await page.goto(`${app.base}/week?datum=${satA}`);
  // the visible link and "?" open the same dialog listing the keys
  await page.click('a.shortcuts-open');
  assert.ok(await page.locator('dialog#sneltoetsen').evaluate((d) => d.open));
  const help = await page.textContent('dialog#sneltoetsen');
  for (const w of ['nieuwe registratie', 'volgende week', 'vorige week']) assert.ok(help.includes(w), w);
  await noViolations(page);
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('dialog#sneltoetsen').evaluate((d) => d.open), false);
  await page.keyboard.press('Shift+?');
  assert.ok(await page.locator('dialog#sneltoetsen').evaluate((d) => d.open));
  await page.keyboard.press('Escape');
  // typing "j" in a field does not move
  await page.focus('#week-datum');
  await page.keyboard.press('j');
  assert.match(page.url(), new RegExp(`datum=${satA}$`));
  await page.locator('#week-datum').blur();
  await Promise.all([page.waitForNavigation(), page.keyboard.press('j')]);
  assert.match(page.url(), new RegExp(`datum=${addDays(monday, 7)}$`));
  await Promise.all([page.waitForNavigation(), page.keyboard.press('k')]);
  assert.match(page.url(), new RegExp(`datum=${monday}$`));
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Alt+ArrowLeft')]);
  assert.match(page.url(), new RegExp(`datum=${addDays(monday, -7)}$`));
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Alt+ArrowRight')]);
  assert.match(page.url(), new RegExp(`datum=${monday}$`));
  await Promise.all([page.waitForNavigation(), page.keyboard.press('n')]);
  assert.match(page.url(), /\/registreren$/);
  await page.context().close();
});

test('words: roles and values in Dutch, decimals with a comma, local timestamps, no switch-off of oneself, lock asks to confirm', async () => {
  const page = await newPage(app, { width: 1440 });
  await login(app, page, 'admin');
  // Gebruikers: roles in Dutch; no switch-off beside one's own account; the server refuses it too
  await page.goto(`${app.base}/beheer/gebruikers`);
  const roles = new Set(await page.locator('main table tbody tr td:nth-child(2)').allTextContents());
  assert.deepEqual([...roles].sort(), ['begeleider', 'beheerder', 'coördinator', 'directeur']);
  const ownRow = page.locator('tbody tr', { has: page.locator('th', { hasText: /^admin$/ }) });
  assert.equal(await ownRow.locator('button').count(), 0);
  assert.match(await ownRow.textContent(), /je eigen account/);
  assert.equal(await page.locator('button:has-text("Schakel uit: admin")').count(), 0);
  const csrf = await page.getAttribute('input[name=csrf]', 'value');
  const self = await page.evaluate(async (csrf) => {
    const r = await fetch('/beheer/gebruikers/actief', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `csrf=${encodeURIComponent(csrf)}&login=admin&actief=nee` });
    return { status: r.status, text: await r.text() };
  }, csrf);
  assert.equal(self.status, 409);
  assert.match(self.text, /Je kan je eigen account niet uitschakelen/);
  // the role choice of a new user in Dutch
  assert.deepEqual(await page.locator('#new-role option').allTextContents(), ['begeleider', 'coördinator', 'directeur', 'beheerder']);
  await noViolations(page);

  // Beheer: locking asks for a confirmation; without it nothing is locked
  await page.goto(`${app.base}/beheer`);
  const row = page.locator('tr', { hasText: '2025-2026' });
  assert.match(await row.locator('label.confirm').textContent(), /Ik bevestig dat ik dit schooljaar wil afsluiten/);
  assert.match(await row.textContent(), /traject: een actief traject|uren: minstens/);
  const unconfirmed = await page.evaluate(async (csrf) => {
    const r = await fetch('/beheer/schooljaar', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `csrf=${encodeURIComponent(csrf)}&jaar=2025-2026&slot=dicht` });
    return { status: r.status, text: await r.text() };
  }, await page.getAttribute('input[name=csrf]', 'value'));
  assert.equal(unconfirmed.status, 422);
  assert.match(unconfirmed.text, /vink eerst het vakje aan/);
  await page.reload();
  assert.match(await page.locator('tr', { hasText: '2025-2026' }).textContent(), /open/);
  await page.locator('tr', { hasText: '2025-2026' }).locator('input[name=bevestig]').check();
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("Sluit af: 2025-2026")')]);
  assert.match(await page.textContent('main'), /Heropen: 2025-2026/);
  await noViolations(page);
  // reopen (no confirmation needed)
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("Heropen: 2025-2026")')]);

  // Audit: Brussels time as dd/mm/jjjj uu:mm, actions and objects in Dutch
  await page.goto(`${app.base}/audit`);
  const first = page.locator('table.audit tbody tr').first();
  const cells = await first.locator('td').allTextContents();
  assert.match(cells[0], /^\d\d\/\d\d\/\d{4} \d\d:\d\d$/);
  assert.equal(cells[2], 'heropend');
  assert.match(cells[3], /^schooljaar 2025-2026/);
  assert.doesNotMatch(await page.textContent('table.audit tbody'), /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
  // the hour is Brussels time: the entry was just written, so it is now in Brussels
  const now = new Date();
  const brussels = new Intl.DateTimeFormat('nl-BE', { timeZone: 'Europe/Brussels', hour: '2-digit', hour12: false }).format(now);
  const hour = cells[0].slice(11, 13);
  const before = new Intl.DateTimeFormat('nl-BE', { timeZone: 'Europe/Brussels', hour: '2-digit', hour12: false })
    .format(new Date(now.getTime() - 120000));
  assert.ok(hour === brussels.padStart(2, '0') || hour === before.padStart(2, '0'), `${hour} vs ${brussels}`);
  await noViolations(page);

  // Reference data: decimals with a comma, closed vocabularies in words, VIV in Dutch
  await page.goto(`${app.base}/beheer/gegevens?bestand=advisors`);
  const fteCol = (await page.locator('main table thead th').allTextContents()).indexOf('FTE') + 1;
  const fte = await page.locator(`main table tbody tr > :nth-child(${fteCol})`).allTextContents();
  assert.ok(fte.includes('0,9'), fte.join(' '));
  assert.ok(fte.every((v) => /^\d+(,\d+)?$/.test(v)), fte.join(' '));
  await page.goto(`${app.base}/beheer/gegevens?bestand=settings`);
  const settings = await page.textContent('main table tbody');
  assert.match(settings, /uren: minstens 20 uur/);
  assert.doesNotMatch(settings, /\b(hours|trajectory|contact)\b/);
  await page.goto(`${app.base}/beheer/gegevens?bestand=trajectories`);
  assert.doesNotMatch(await page.textContent('main table tbody'), /\b(active|planned|closed)\b/);
  await page.goto(`${app.base}/beheer/gegevens?bestand=target_groups`);
  const tgs = await page.textContent('main table tbody');
  assert.match(tgs, /VIV \(Verbinding in Verandering\)/);
  assert.doesNotMatch(tgs, /teacher leaders/);
  await noViolations(page);
  await page.context().close();
});
