// SPDX-License-Identifier: EUPL-1.2
// Browser tests of issue 16, the trajectories advisors keep (docs/IMPACT.md), as the
// advisor `begeleider` (Bert Claes, BC), once at phone width and once at desktop width:
// a trajectory is made through the form for an own school that has no trajectory this
// school year (so it cannot be reached yet under the 2025-2030 rule), the page names the
// one condition still missing (a registration with follow-up), a client session with
// follow-up linked to it is registered (one EEF mechanism ticked), and the school then
// counts as reached on /traject and /trajecten; a follow-up entry and a phase change
// through their forms. Another advisor's trajectory answers 404. axe-core on every page,
// screenshots at 390 and 1440 px ($BEREIK_SCREENSHOTS).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startApp, newPage, login, axeViolations, brusselsDay } from './lib.mjs';

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

// Today and its school year as the server counts them (in Brussels).
const today = brusselsDay();
const schoolYear = (() => {
  const [y, m] = today.split('-').map(Number);
  const first = m >= 9 ? y : y - 1;
  return `${first}-${first + 1}`;
})();

// The institution codes of the trajectories a user follows in the school year shown on
// /trajecten (second column: "CODE · name").
async function institutionsWithTrajectory(page) {
  await page.goto(`${app.base}/trajecten?jaar=${schoolYear}`);
  return new Set(await page.$$eval('#trajectories tbody tr td:nth-child(2)',
    (tds) => tds.map((td) => td.textContent.split(' · ')[0].trim())));
}

// The trajectory ids on /trajecten (the ones the user follows).
async function trajectoryIds(page) {
  await page.goto(`${app.base}/trajecten`);
  return page.$$eval('#trajectories a[href^="/traject?id="]', (as) => as.map((a) => a.textContent.trim()));
}

// The sums of the columns "reached" and "institutions" of "Bereikt per schoolbestuur".
async function boardTotals(page) {
  const rows = await page.$$eval('#boards tbody tr', (trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td.n')].map((td) => Number(td.textContent.trim()))));
  return rows.reduce((s, [hit, total]) => ({ hit: s.hit + hit, total: s.total + total }), { hit: 0, total: 0 });
}

// The schools taken by earlier runs of the flow (one per width), so that each run starts
// from a school without any trajectory.
const used = new Set();

for (const width of [390, 1440]) {
  test(`at ${width} px an advisor makes a trajectory, registers a session with follow-up, and the school counts as reached`, async () => {
    // the schools with a trajectory this school year, as the director sees them (all)
    const boss = await newPage(app);
    await login(app, boss, 'directie');
    const taken = await institutionsWithTrajectory(boss);
    assert.ok(taken.size > 0, 'the demo has trajectories this school year');
    await boss.context().close();

    const page = await newPage(app, { width });
    await login(app, page, 'begeleider');
    await page.goto(`${app.base}/trajecten`);
    const boardsBefore = await boardTotals(page);

    // the form of a new trajectory: the advisor is filled in, start is today
    await page.goto(`${app.base}/trajecten`);
    await Promise.all([page.waitForNavigation(), page.click('main a.button[href="/traject"]')]);
    assert.equal(new URL(page.url()).pathname, '/traject');
    assert.match(await page.textContent('h1'), /Nieuw traject/);
    assert.equal(await page.inputValue('#advisors'), 'BC');
    assert.equal(await page.inputValue('#start'), today);
    const options = await page.$$eval('#institution option', (os) => os.map((o) => [o.value, o.textContent.trim()]));
    const free = options.find(([v, t]) => v && /^School /.test(t.split(' · ')[1] || '')
      && !taken.has(t.split(' · ')[0]) && !used.has(v));
    assert.ok(free, 'an own school without a trajectory this school year');
    const [number, label] = free;
    const code = label.split(' · ')[0];
    used.add(number);

    await page.selectOption('#institution', number);
    await page.selectOption('#line', 'P1');
    await page.selectOption('#goal', '1.2');
    await page.selectOption('#level', 'micro');
    await page.selectOption('#status', 'active');
    await page.fill('#shared_goal', `Feedbackcultuur in de klas (${width})`);
    // the action plan: no summary text, one complete step (who, when, expected result)
    await page.fill('input[name="step-1-what"]', 'Lesobservaties met nabespreking');
    await page.fill('input[name="step-1-who"]', 'middenkader');
    await page.fill('input[name="step-1-due"]', `${Number(schoolYear.slice(5))}-03-31`);
    await page.fill('input[name="step-1-expected"]', 'elke leraar kreeg twee keer feedback');
    await noViolations(page);
    await Promise.all([page.waitForNavigation(), page.click('form.trajectory button[type=submit]')]);
    const url = new URL(page.url());
    assert.equal(url.pathname, '/traject');
    assert.equal(url.searchParams.get('bewaard'), 'traject');
    const id = url.searchParams.get('id');
    assert.ok(id, 'the saved trajectory has an id');
    assert.match(await page.textContent('[role=status]'), /Traject bewaard\./);

    // the stored values come back in the form
    assert.equal(await page.inputValue('#institution'), number);
    assert.equal(await page.inputValue('#level'), 'micro');
    assert.equal(await page.inputValue('#shared_goal'), `Feedbackcultuur in de klas (${width})`);
    assert.equal(await page.inputValue('input[name="step-1-who"]'), 'middenkader');
    assert.equal(await page.inputValue('input[name="step-1-expected"]'), 'elke leraar kreeg twee keer feedback');

    // shared goal, level and action plan are there: only the follow-up is missing
    let reach = (await page.textContent('p.reach')).replace(/\s+/g, ' ');
    assert.match(reach, new RegExp(`${code} · `));
    assert.match(reach, new RegExp(`${schoolYear}: nog niet bereikt`));
    assert.match(reach, /Ontbreekt: een registratie met opvolging in dit schooljaar$/);
    assert.doesNotMatch(reach, /telt als bereikt|gedeeld doel|actieplan|niveau|actief traject/);
    assert.match(await page.textContent('main'), /0 gekoppelde registraties, 0 met opvolging/);

    // on /trajecten: the row, and the school among the not reached ones of Bert Claes
    await page.goto(`${app.base}/trajecten`);
    let row = page.locator('#trajectories tbody tr', { hasText: id });
    assert.equal(await row.count(), 1);
    assert.match(await row.textContent(), /nog niet bereikt.*Ontbreekt: een registratie met opvolging/s);
    assert.match(await page.textContent('ul.not-reached'), new RegExp(`${code}`));
    // the director finds the school in the list of Bert Claes's team (Team curriculum) too
    const director = await newPage(app, { width });
    await login(app, director, 'directie');
    await director.goto(`${app.base}/trajecten`);
    const teamList = director.locator('h4', { hasText: 'Team curriculum' }).locator('xpath=following-sibling::ul[1]');
    assert.match(await teamList.textContent(), new RegExp(`${code}`));
    await director.context().close();
    const boardsMid = await boardTotals(page);
    assert.deepEqual(boardsMid, { hit: boardsBefore.hit, total: boardsBefore.total + 1 });

    // a client session today at that school, linked to the trajectory, with follow-up
    await page.goto(`${app.base}/registreren`);
    await page.check('input[name=kind][value=client]');
    await page.fill('#date', today);
    await page.fill('#duration', '1u30');
    await page.selectOption('#line', 'P1');
    await page.fill('#institutions', code);
    await page.selectOption('#modality', 'fysiek');
    const offered = await page.$$eval('#trajectory option', (os) => os.map((o) => o.value));
    assert.ok(offered.includes(id), 'the new trajectory is offered');
    await page.selectOption('#trajectory', id);
    await page.check('input[name=followup]');
    // the mechanisms are folded; the summary opens them from the keyboard
    assert.equal(await page.isVisible('input[name=mech][value=feedback]'), false);
    await page.focus('details.mechanisms summary');
    await page.keyboard.press('Enter');
    assert.equal(await page.isVisible('input[name=mech][value=feedback]'), true);
    await page.check('input[name=mech][value=feedback]');
    await page.fill('#description', 'Nabespreking lesobservaties');
    await noViolations(page);
    await Promise.all([page.waitForNavigation(), page.click('form.register button[type=submit]')]);
    assert.match(await page.textContent('[role=status]'), /Bewaard/);

    // reached now, on the trajectory page and on /trajecten
    await page.goto(`${app.base}/traject?id=${encodeURIComponent(id)}`);
    reach = (await page.textContent('p.reach')).replace(/\s+/g, ' ');
    assert.match(reach, new RegExp(`${schoolYear}: telt als bereikt`));
    assert.doesNotMatch(reach, /nog niet bereikt|Ontbreekt/);
    assert.match(await page.textContent('main'), /1 gekoppelde registraties, 1 met opvolging/);
    assert.deepEqual(await page.$$eval('ul.mechanisms li', (lis) => lis.map((li) => li.textContent.trim())),
      ['Monitoren en feedback (1)']);
    await page.goto(`${app.base}/trajecten`);
    row = page.locator('#trajectories tbody tr', { hasText: id });
    assert.match(await row.textContent(), /telt als bereikt/);
    assert.doesNotMatch(await row.textContent(), /nog niet bereikt/);
    const notReached = (await page.locator('ul.not-reached').count())
      ? await page.locator('ul.not-reached').first().textContent() : '';
    assert.doesNotMatch(notReached, new RegExp(`\\b${code}\\b`));
    assert.deepEqual(await boardTotals(page), { hit: boardsBefore.hit + 1, total: boardsBefore.total + 1 });
    await noViolations(page);
    await shoot(page, `trajecten-begeleider-${width}`);

    // a follow-up entry through its form, listed after saving
    await page.goto(`${app.base}/traject?id=${encodeURIComponent(id)}`);
    assert.match(await page.textContent('ul.followups'), /Nog geen opvolging\./);
    const note = `Nabespreking met de werkgroep (${width})`;
    await page.fill('#opvolging #date', today);
    await page.fill('#note', note);
    await page.fill('#next_step', 'Tweede observatieronde inplannen');
    await Promise.all([page.waitForNavigation(), page.click('#opvolging button[type=submit]')]);
    assert.match(await page.textContent('[role=status]'), /Opvolging bewaard\./);
    const followups = await page.$$eval('ul.followups li', (lis) => lis.map((li) => li.textContent));
    assert.equal(followups.length, 1);
    assert.match(followups[0], new RegExp(note.replace(/[()]/g, '\\$&')));
    assert.match(followups[0], /Volgende stap:\s*Tweede observatieronde inplannen/);

    // a phase change through its form: the trajectory had none, now it is in "Voorbereiden"
    assert.equal(await page.locator('ol.phases li.current').count(), 0);
    await page.selectOption('#phase', 'prepare');
    await page.fill('#phase-date', today);
    await Promise.all([page.waitForNavigation(), page.click('#fase button[type=submit]')]);
    assert.match(await page.textContent('[role=status]'), /Fase bewaard\./);
    const current = await page.$$eval('ol.phases li.current', (lis) => lis.map((li) => li.textContent));
    assert.equal(current.length, 1);
    assert.match(current[0], /^Voorbereiden sinds /);
    assert.equal(await page.getAttribute('ol.phases li.current', 'aria-current'), 'step');
    // the follow-up entry is still listed, and the school still counts as reached
    assert.match(await page.textContent('ul.followups'), new RegExp(note.replace(/[()]/g, '\\$&')));
    assert.match(await page.textContent('p.reach'), /telt als bereikt/);
    await noViolations(page);
    await shoot(page, `traject-begeleider-${width}`);
    await page.context().close();
  });
}

test("another advisor's trajectory answers 404 for begeleider, on the page and to its forms", async () => {
  const page = await newPage(app, { width: 390 });
  await login(app, page, 'begeleider');
  const mine = new Set(await trajectoryIds(page));
  assert.ok(mine.size > 0, 'begeleider keeps trajectories');
  // the coordinator (An Peeters) follows the trajectories of their teams: more than Bert's
  const coord = await newPage(app);
  await login(app, coord, 'coordinator');
  const theirs = await trajectoryIds(coord);
  const other = theirs.find((x) => !mine.has(x));
  assert.ok(other, 'a trajectory the coordinator follows and begeleider does not keep');
  // the coordinator opens it
  let r = await coord.goto(`${app.base}/traject?id=${encodeURIComponent(other)}`);
  assert.equal(r.status(), 200);
  assert.match(await coord.textContent('h1'), new RegExp(other));
  await coord.context().close();

  // begeleider gets 404, as for a trajectory that does not exist
  r = await page.goto(`${app.base}/traject?id=${encodeURIComponent(other)}`);
  assert.equal(r.status(), 404);
  const text = await page.textContent('main');
  assert.doesNotMatch(text, /Traject bewerken|Opvolging toevoegen/);
  const missing = await page.goto(`${app.base}/traject?id=T-doesnotexist`);
  assert.equal(missing.status(), 404);
  assert.equal(await page.textContent('main'), text.replace(other, 'T-doesnotexist'));
  await noViolations(page);

  // its forms refuse it too (posted with the CSRF token of begeleider's own page)
  const own = [...mine][0];
  await page.goto(`${app.base}/traject?id=${encodeURIComponent(own)}`);
  for (const [form, action] of [['#opvolging form', '/traject/opvolging'], ['#fase form', '/traject/fase']]) {
    await page.$eval(`${form}`, (f, id) => { f.querySelector('input[name=id]').value = id; }, other);
    if (action === '/traject/opvolging') await page.fill('#note', 'mag niet');
    const [resp] = await Promise.all([page.waitForNavigation(), page.click(`${form} button[type=submit]`)]);
    assert.equal(resp.status(), 404, `${action} on another advisor's trajectory`);
    await page.goto(`${app.base}/traject?id=${encodeURIComponent(own)}`);
  }
  // nothing was added to it: the coordinator sees no new follow-up entry
  const coord2 = await newPage(app);
  await login(app, coord2, 'coordinator');
  await coord2.goto(`${app.base}/traject?id=${encodeURIComponent(other)}`);
  assert.doesNotMatch(await coord2.textContent('ul.followups'), /mag niet/);
  await coord2.context().close();
  await page.context().close();
});
