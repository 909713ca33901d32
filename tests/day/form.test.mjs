// SPDX-License-Identifier: EUPL-1.2
// The registration form (docs/DAY-form.md): Enter in "Instellingen" never submits; the
// confirmation names what was saved, with "Ongedaan maken"; delete asks first; durations
// as people type them (1,5 is saved as 90 minutes); every problem at once in a summary
// that links to its field; the head counts' + beside their field and not a tab stop;
// "Herhaal"/"Dupliceer" copies every field; favourites; the prefill fields of GET
// /registreren. The stored registration is checked through the API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startApp, newPage, login, axeViolations, BIN, brusselsDay } from '../e2e/lib.mjs';

let app;
let token;
before(async () => {
  app = await startApp();
  const out = execFileSync(BIN, ['--db', app.db, 'user', 'token', 'begeleider'], { stdio: ['ignore', 'pipe', 'ignore'] });
  token = out.toString().trim().split('\n').pop();
});
after(async () => {
  await app?.stop();
});

function describe(violations) {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n');
}

async function api(path) {
  const r = await fetch(app.base + path, { headers: { Authorization: `Bearer ${token}` } });
  return { status: r.status, body: r.status === 200 ? await r.json() : null };
}

function isoDay(offset = 0) {
  return brusselsDay(offset);
}

// the ext id of the registration a saved notice is about (its edit link)
async function savedId(page) {
  const href = await page.getAttribute('#saved a[href^="/registratie?id="]', 'href');
  return decodeURIComponent(href.split('id=')[1]);
}

async function fillClient(page, { duration = '1u30', line = 'P1', modality = 'fysiek', institutions = 'BAA', teachers = '' } = {}) {
  await page.check('#kind-client');
  await page.fill('#duration', duration);
  await page.selectOption('#line', line);
  await page.selectOption('#modality', modality);
  await page.fill('#institutions', institutions);
  if (teachers) await page.fill('#tg-leraren', teachers);
}

test('Enter in "Instellingen" never submits, also with the suggestion list open and nothing highlighted', async () => {
  const page = await newPage(app, { width: 390, height: 844 });
  await login(app, page, 'begeleider');
  await page.goto(`${app.base}/registreren`);
  await page.fill('#duration', '45');
  await page.click('#institutions');
  await page.keyboard.type('BA');
  await page.waitForSelector('#institutions-suggest li');
  assert.equal(await page.isVisible('#institutions-suggest'), true);
  assert.equal(await page.getAttribute('#institutions', 'aria-activedescendant'), null);
  let navigated = false;
  page.on('framenavigated', () => (navigated = true));
  await page.keyboard.press('Enter');
  await page.waitForTimeout(400);
  assert.equal(navigated, false, 'Enter submitted the form');
  assert.equal(new URL(page.url()).pathname, '/registreren');
  assert.equal(await page.$('#saved'), null);
  // with the list closed too
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
  assert.equal(navigated, false, 'Enter submitted the form with the list closed');
  // ArrowDown + Enter picks the suggestion, still without submitting
  await page.fill('#institutions', '');
  await page.keyboard.type('BAA');
  await page.waitForSelector('#institutions-suggest li');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForTimeout(300);
  assert.equal(navigated, false);
  assert.match(await page.inputValue('#institutions'), /^BAA, $/);
  await page.context().close();
});

test('a saved registration is named (date, 1u30, line, modality, institution) with "Ongedaan maken"; 1,5 is 90 minutes; a name is accepted', async () => {
  const page = await newPage(app, { width: 390, height: 844 });
  await login(app, page, 'begeleider');
  await page.goto(`${app.base}/registreren`);
  await fillClient(page, { duration: '1,5', institutions: 'School BAA', teachers: '3' });
  await Promise.all([page.waitForNavigation(), page.click('form.register button[type=submit]')]);
  const text = await page.textContent('#saved');
  const [ty, tm, td] = brusselsDay().split('-').map(Number);
  const months = ['jan.', 'feb.', 'mrt.', 'apr.', 'mei', 'jun.', 'jul.', 'aug.', 'sep.', 'okt.', 'nov.', 'dec.'];
  const dateText = `${td} ${months[tm - 1]} ${ty}`;
  assert.match(text, new RegExp(`Bewaard:\\s*${dateText} · 1u30 · Pijler 1 - KLO & KLB · Fysiek · School BAA \\(BAA\\)`));
  assert.doesNotMatch(text, /Bewaard:\s*w-/);
  const id = await savedId(page);
  const stored = await api(`/api/v1/registrations/${encodeURIComponent(id)}`);
  assert.equal(stored.status, 200);
  assert.equal(stored.body.minutes, 90);
  assert.equal(await page.isVisible('form.undo button'), true);
  assert.equal((await page.textContent('form.undo button')).trim(), 'Ongedaan maken');
  const v = await axeViolations(page);
  assert.equal(v.length, 0, describe(v));
  await Promise.all([page.waitForNavigation(), page.click('form.undo button')]);
  assert.match(await page.textContent('main'), /Ongedaan gemaakt: de registratie is verwijderd/);
  assert.equal((await api(`/api/v1/registrations/${encodeURIComponent(id)}`)).status, 404);
  await page.context().close();
});

test('undo is offered only for a few minutes: an old registration has no undo button and its undo is refused', async () => {
  const page = await newPage(app);
  await login(app, page, 'begeleider');
  await page.goto(`${app.base}/registreren`);
  // a demo registration, saved long ago
  const href = await page.getAttribute('ul.recent a[href*="herhaal="]', 'href');
  const old = decodeURIComponent(href.split('herhaal=')[1]);
  await page.goto(`${app.base}/registreren?opgeslagen=${encodeURIComponent(old)}`);
  assert.equal(await page.isVisible('#saved'), true);
  assert.equal(await page.$('form.undo'), null);
  const csrf = await page.getAttribute('form.register input[name=csrf]', 'value');
  const r = await page.request.post(`${app.base}/registratie/ongedaan`, { form: { csrf, id: old } });
  assert.equal(r.status(), 409);
  assert.match(await r.text(), /Ongedaan maken kan alleen in de eerste 5 minuten/);
  assert.equal((await api(`/api/v1/registrations/${encodeURIComponent(old)}`)).status, 200);
  await page.context().close();
});

test('delete on the edit form asks for confirmation first; cancel keeps it', async () => {
  const page = await newPage(app);
  await login(app, page, 'begeleider');
  await page.goto(`${app.base}/registreren`);
  await fillClient(page, { duration: '240' });
  await Promise.all([page.waitForNavigation(), page.click('form.register button[type=submit]')]);
  const id = await savedId(page);
  await page.goto(`${app.base}/registratie?id=${encodeURIComponent(id)}`);
  // the edit form shows the duration as 4u00, not 240
  assert.equal(await page.inputValue('#duration'), '4u00');
  await Promise.all([page.waitForNavigation(), page.click('a.danger-link')]);
  assert.match(await page.textContent('h1'), /Registratie verwijderen\?/);
  assert.match(await page.textContent('main'), /4u00 · Pijler 1 - KLO & KLB · Fysiek · School BAA \(BAA\)/);
  assert.equal((await api(`/api/v1/registrations/${encodeURIComponent(id)}`)).status, 200, 'deleted without confirmation');
  const v = await axeViolations(page);
  assert.equal(v.length, 0, describe(v));
  await Promise.all([page.waitForNavigation(), page.click('text=Annuleer')]);
  assert.equal(new URL(page.url()).pathname, '/registratie');
  assert.equal((await api(`/api/v1/registrations/${encodeURIComponent(id)}`)).status, 200);
  await Promise.all([page.waitForNavigation(), page.click('a.danger-link')]);
  await Promise.all([page.waitForNavigation(), page.click('form.delete button.danger')]);
  assert.equal((await api(`/api/v1/registrations/${encodeURIComponent(id)}`)).status, 404);
  await page.context().close();
});

test('durations as people type them: a text keypad, 1u30, 1:30, 90 min, 1.5; refusals name the value; begin and end fill it', async () => {
  const page = await newPage(app, { width: 390, height: 844 });
  await login(app, page, 'begeleider');
  await page.goto(`${app.base}/registreren`);
  assert.equal(await page.getAttribute('#duration', 'inputmode'), 'text');
  assert.match(await page.textContent('#duration-hint'), /1u30, 1:30 of 1,5/);
  // begin and end fill the duration (script)
  await page.fill('#begin', '09:15');
  await page.fill('#einde', '10:45');
  assert.equal(await page.inputValue('#duration'), '1u30');
  for (const [typed, minutes] of [['1:30', 90], ['90 min', 90], ['1.5', 90], ['2u', 120]]) {
    await page.goto(`${app.base}/registreren`);
    await fillClient(page, { duration: typed, line: 'P2', modality: 'online', institutions: 'BAB' });
    await Promise.all([page.waitForNavigation(), page.click('form.register button[type=submit]')]);
    const id = await savedId(page);
    assert.equal((await api(`/api/v1/registrations/${encodeURIComponent(id)}`)).body.minutes, minutes, typed);
  }
  // begin and end alone, without script: the server computes the duration
  const ctx = await app.browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false, locale: 'nl-BE', timezoneId: 'Europe/Brussels' });
  const plain = await ctx.newPage();
  await login(app, plain, 'begeleider');
  await plain.goto(`${app.base}/registreren`);
  await fillClient(plain, { duration: '', line: 'P2', modality: 'online', institutions: 'BAB' });
  await plain.fill('#begin', '13:00');
  await plain.fill('#einde', '13:45');
  await Promise.all([plain.waitForNavigation(), plain.click('form.register button[type=submit]')]);
  const id = await savedId(plain);
  assert.equal((await api(`/api/v1/registrations/${encodeURIComponent(id)}`)).body.minutes, 45);
  // an end before the begin, and an unreadable duration
  await plain.goto(`${app.base}/registreren`);
  await fillClient(plain, { duration: 'anderhalf', line: 'P2', modality: 'online', institutions: 'BAB' });
  await plain.fill('#begin', '11:00');
  await plain.fill('#einde', '10:00');
  await plain.click('form.register button[type=submit]');
  await plain.waitForSelector('#error-summary');
  assert.match(await plain.textContent('#duration-error'), /"anderhalf" is geen duur die we kunnen lezen/);
  assert.match(await plain.textContent('#einde-error'), /Het einde moet na het begin liggen/);
  assert.equal(await plain.inputValue('#duration'), 'anderhalf');
  await ctx.close();
  await page.context().close();
});

test('every problem at once (the locked year too): a summary with links, focused, fields marked', async () => {
  const page = await newPage(app, { width: 390, height: 844 });
  await login(app, page, 'begeleider');
  await page.goto(`${app.base}/registreren`);
  await page.fill('#date', '2023-10-10'); // school year 2023-2024 is locked in the demo
  await page.fill('#duration', '25u');
  await page.selectOption('#line', 'P1');
  await page.selectOption('#modality', 'fysiek');
  await page.fill('#institutions', 'Nergens');
  await page.fill('#tg-leraren', '-2');
  await page.click('form.register button[type=submit]');
  await page.waitForSelector('#error-summary');
  assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'error-summary');
  const box = await page.$eval('#error-summary', (e) => e.getBoundingClientRect().top);
  assert.ok(box < 400, `the summary is ${box}px down`);
  const links = await page.$$eval('#error-summary a', (as) => as.map((a) => [a.getAttribute('href'), a.textContent]));
  const hrefs = links.map((l) => l[0]);
  for (const h of ['#date', '#duration', '#institutions', '#tg-leraren']) assert.ok(hrefs.includes(h), `${h} missing in ${hrefs}`);
  const all = links.map((l) => l[1]).join('\n');
  assert.match(all, /schooljaar 2023-2024 is afgesloten/);
  assert.match(all, /Duur: "25u" valt buiten de grenzen/);
  assert.match(all, /onbekende instelling 'Nergens'/);
  for (const id of ['date', 'duration', 'institutions', 'tg-leraren']) {
    assert.equal(await page.getAttribute(`#${id}`, 'aria-invalid'), 'true', id);
    assert.match(await page.getAttribute(`#${id}`, 'aria-describedby'), new RegExp(`${id}-error`), id);
  }
  // what was typed is kept
  assert.equal(await page.inputValue('#institutions'), 'Nergens');
  assert.equal(await page.inputValue('#duration'), '25u');
  const v = await axeViolations(page);
  assert.equal(v.length, 0, describe(v));
  // the link moves focus to its field
  await page.click('#error-summary a[href="#institutions"]');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'institutions');
  await page.context().close();
});

test('a name that fits several institutions is a problem that says so', async () => {
  const page = await newPage(app);
  await login(app, page, 'begeleider');
  await page.goto(`${app.base}/registreren`);
  await fillClient(page, { institutions: 'School BA' });
  await page.click('form.register button[type=submit]');
  await page.waitForSelector('#institutions-error');
  assert.match(await page.textContent('#institutions-error'), /"School BA" past bij meerdere instellingen: School BAA, School BAB/);
  await page.context().close();
});

test('the head counts\' + buttons stay beside their fields and are not tab stops', async () => {
  const heights = {};
  for (const js of [false, true]) {
    const ctx = await app.browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: js, locale: 'nl-BE', timezoneId: 'Europe/Brussels' });
    const page = await ctx.newPage();
    await login(app, page, 'begeleider');
    await page.goto(`${app.base}/registreren`);
    heights[js] = await page.$eval('.counts', (e) => e.getBoundingClientRect().height);
    if (js) {
      const rows = await page.$$eval('.counts .stepper', (ss) =>
        ss.map((s) => {
          const i = s.querySelector('input').getBoundingClientRect();
          const b = s.querySelector('button.plus').getBoundingClientRect();
          return { it: i.top, bt: b.top, ir: i.right, bl: b.left, tab: s.querySelector('button.plus').tabIndex };
        }));
      assert.ok(rows.length >= 6);
      for (const r of rows) {
        assert.ok(Math.abs(r.it - r.bt) < 2, `+ wrapped: input top ${r.it}, button top ${r.bt}`);
        assert.ok(r.bl >= r.ir, '+ is not right of its field');
        assert.equal(r.tab, -1);
      }
      await page.click('#tg-leraren + button.plus');
      await page.click('#tg-leraren + button.plus');
      assert.equal(await page.inputValue('#tg-leraren'), '2');
    }
    await ctx.close();
  }
  assert.ok(heights[true] <= heights[false] + 1, `with + ${heights[true]}px, without ${heights[false]}px`);
});

test('"Herhaal" / "Dupliceer" copies every field to today; the recent list shows 10 with their institutions', async () => {
  const page = await newPage(app);
  await login(app, page, 'begeleider');
  await page.goto(`${app.base}/registreren`);
  // a registration with every field: a trajectory (its institution), follow-up, a
  // mechanism, a co-advisor, two counts, a goal and a description
  const traj = await page.$$eval('#trajectory option', (os) => os.filter((o) => o.value).map((o) => [o.value, o.textContent]));
  assert.ok(traj.length > 0, 'the demo offers a trajectory');
  const [trajId, trajText] = traj[0];
  const inst = trajText.split(' · ')[0];
  await page.fill('#date', isoDay(-1));
  await fillClient(page, { duration: '1u15', line: 'P3', modality: 'online', institutions: inst, teachers: '4' });
  await page.fill('#tg-leidinggevenden', '1');
  await page.selectOption('#trajectory', trajId);
  await page.selectOption('#level', 'micro');
  await page.check('#followup');
  await page.click('details.mechanisms summary');
  await page.check('input[name=mech][value=feedback]');
  const co = await page.getAttribute('input[name=co]', 'value');
  await page.check(`input[name=co][value="${co}"]`);
  await page.fill('#description', 'Coaching startende leraren');
  await Promise.all([page.waitForNavigation(), page.click('form.register button[type=submit]')]);
  const id = await savedId(page);
  // Dupliceer on its edit form
  await page.goto(`${app.base}/registratie?id=${encodeURIComponent(id)}`);
  await Promise.all([page.waitForNavigation(), page.click('form.register .actions a[href*="herhaal="]')]);
  assert.equal(await page.inputValue('#date'), isoDay(0));
  assert.equal(await page.inputValue('#duration'), '1u15');
  assert.equal(await page.inputValue('#line'), 'P3');
  assert.equal(await page.inputValue('#modality'), 'online');
  assert.equal(await page.inputValue('#institutions'), inst);
  assert.equal(await page.inputValue('#trajectory'), trajId);
  assert.equal(await page.inputValue('#level'), 'micro');
  assert.equal(await page.isChecked('#followup'), true);
  assert.equal(await page.isChecked('input[name=mech][value=feedback]'), true);
  assert.equal(await page.isChecked(`input[name=co][value="${co}"]`), true);
  assert.equal(await page.inputValue('#tg-leraren'), '4');
  assert.equal(await page.inputValue('#tg-leidinggevenden'), '1');
  assert.equal(await page.inputValue('#description'), 'Coaching startende leraren');
  // saved as it stands: a second registration, today
  await Promise.all([page.waitForNavigation(), page.click('form.register button[type=submit]')]);
  const copy = await savedId(page);
  assert.notEqual(copy, id);
  const stored = (await api(`/api/v1/registrations/${encodeURIComponent(copy)}`)).body;
  assert.equal(stored.date, isoDay(0));
  assert.equal(stored.minutes, 75);
  // the recent list: at least 10, each with its institutions (client) and "Herhaal"
  const items = await page.$$eval('ul.recent li', (ls) => ls.map((l) => l.textContent));
  assert.ok(items.length >= 10, `${items.length} recent`);
  assert.match(items[0], new RegExp(`1u15 · Pijler 3 - CUR · ${inst}`));
  await page.context().close();
});

test('favourites: save the form under a name, fill the form from it in one tap, delete it', async () => {
  const page = await newPage(app, { width: 390, height: 844 });
  await login(app, page, 'begeleider');
  await page.goto(`${app.base}/registreren`);
  assert.equal(await page.$('section.favourites'), null); // none yet: no empty section above the form
  await fillClient(page, { duration: '2u', line: 'P4', modality: 'walk', institutions: 'BAC', teachers: '12' });
  await page.fill('#description', 'Werkgroep taal');
  await page.click('details.fav-save summary');
  await page.fill('#favoriet_naam', 'Werkgroep BAC');
  await Promise.all([page.waitForNavigation(), page.press('#favoriet_naam', 'Enter')]);
  assert.match(await page.textContent('main'), /Favoriet bewaard en ingevuld: Werkgroep BAC/);
  // nothing was registered by saving a favourite
  assert.equal(await page.$('#saved'), null);
  // a fresh form, then one tap
  await page.goto(`${app.base}/registreren`);
  assert.equal(await page.inputValue('#institutions'), '');
  await Promise.all([page.waitForNavigation(), page.click('ul.chips a.chip:has-text("Werkgroep BAC")')]);
  assert.equal(await page.inputValue('#duration'), '2u00'); // typed "2u", shown as everywhere
  assert.equal(await page.inputValue('#line'), 'P4');
  assert.equal(await page.inputValue('#modality'), 'walk');
  assert.equal(await page.inputValue('#institutions'), 'BAC');
  assert.equal(await page.inputValue('#tg-leraren'), '12');
  assert.equal(await page.inputValue('#description'), 'Werkgroep taal');
  assert.equal(await page.inputValue('#date'), isoDay(0));
  const v = await axeViolations(page);
  assert.equal(v.length, 0, describe(v));
  // another advisor does not see it
  const other = await newPage(app);
  await login(app, other, 'coordinator');
  await other.goto(`${app.base}/registreren`);
  assert.equal(await other.$('ul.chips a.chip:has-text("Werkgroep BAC")'), null);
  await other.context().close();
  await Promise.all([page.waitForNavigation(), page.click('button.chip-x[aria-label="Verwijder favoriet Werkgroep BAC"]')]);
  assert.match(await page.textContent('main'), /Favoriet verwijderd/);
  assert.equal(await page.$('ul.chips a.chip:has-text("Werkgroep BAC")'), null);
  await page.context().close();
});

test('GET /registreren fills datum, duur, begin and einde (the prefill contract)', async () => {
  const page = await newPage(app);
  await login(app, page, 'begeleider');
  const day = isoDay(-2);
  await page.goto(`${app.base}/registreren?datum=${day}&duur=1,5&begin=09:00&einde=10:30`);
  assert.equal(await page.inputValue('#date'), day);
  assert.equal(await page.inputValue('#duration'), '1u30');
  assert.equal(await page.inputValue('#begin'), '09:00');
  assert.equal(await page.inputValue('#einde'), '10:30');
  // begin and einde alone fill the duration; a date that is not one is ignored
  await page.goto(`${app.base}/registreren?datum=gisteren&begin=08:30&einde=12:00`);
  assert.equal(await page.inputValue('#date'), isoDay(0));
  assert.equal(await page.inputValue('#duration'), '3u30');
  const v = await axeViolations(page);
  assert.equal(v.length, 0, describe(v));
  await page.context().close();
});
