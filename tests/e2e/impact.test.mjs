// SPDX-License-Identifier: EUPL-1.2
// Browser tests of the trajectories an advisor keeps (docs/IMPACT.md): on a phone an
// advisor creates a trajectory with a shared goal and an action plan, sees what is still
// missing, registers a session with follow-up (and the EEF mechanisms it used), and sees
// the institution become reached; a follow-up entry and a phase change; another advisor's
// trajectory is not there for them. axe-core on the pages, screenshots at phone and
// desktop width ($BEREIK_SCREENSHOTS).
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
async function noViolations(page) {
  const v = await axeViolations(page);
  assert.equal(v.length, 0, v.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n'));
}
// The trajectory ids of the table on /trajecten (the ones the user follows).
async function trajectoryIds(page) {
  await page.goto(`${app.base}/trajecten`);
  return page.$$eval('#trajectories a[href^="/traject?id="]', (as) => as.map((a) => a.textContent.trim()));
}

test('an advisor makes a trajectory, registers a session with follow-up, and the school is reached', async () => {
  // a school of the own network without any trajectory this year: under the 2025-2030
  // rule it cannot be reached yet
  const boss = await newPage(app);
  await login(app, boss, 'directie');
  await boss.goto(`${app.base}/trajecten`);
  const taken = new Set(await boss.$$eval('#trajectories td[data-label]:nth-child(2)',
    (tds) => tds.map((td) => td.textContent.split(' · ')[0].trim())));

  const page = await newPage(app, { width: 390 });
  await login(app, page, 'begeleider');
  await page.goto(`${app.base}/traject`);
  const options = await page.$$eval('#institution option', (os) => os.map((o) => [o.value, o.textContent]));
  const free = options.find(([v, t]) => v && t.startsWith('B') && !taken.has(t.split(' · ')[0]));
  assert.ok(free, 'a school without trajectory');
  const [number, label] = free;
  const code = label.split(' · ')[0];

  await page.selectOption('#institution', number);
  await page.selectOption('#line', 'P1');
  await page.selectOption('#goal', '1.1');
  await page.selectOption('#level', 'meso');
  await page.fill('#shared_goal', 'Begrijpend lezen versterken in de tweede graad');
  await page.fill('input[name="step-1-what"]', 'Klasbezoeken met feedback');
  await page.fill('input[name="step-1-who"]', 'werkgroep lezen');
  await page.fill('input[name="step-1-due"]', '2027-02-15');
  await page.fill('input[name="step-1-expected"]', 'elke leraar kreeg feedback');
  await noViolations(page);
  await Promise.all([page.waitForNavigation(), page.click('form.trajectory button[type=submit]')]);
  assert.match(await page.textContent('[role=status]'), /Traject bewaard/);
  const id = new URL(page.url()).searchParams.get('id');
  assert.match(id, /^T-/);
  // not reached yet: only the registration with follow-up is missing
  const reach = await page.textContent('p.reach');
  assert.match(reach, /nog niet bereikt/);
  assert.match(reach, /een registratie met opvolging in dit schooljaar/);
  assert.doesNotMatch(reach, /gedeeld doel|actieplan/);
  assert.ok((await trajectoryIds(page)).includes(id), 'the new trajectory is on the advisor\'s list');

  // a session with follow-up, linked to the trajectory, with two mechanisms
  await page.goto(`${app.base}/registreren`);
  await page.check('input[name=kind][value=client]');
  await page.fill('#duration', '90');
  await page.selectOption('#line', 'P1');
  await page.fill('#institutions', code);
  await page.selectOption('#modality', 'fysiek');
  await page.selectOption('#trajectory', id);
  await page.selectOption('#level', 'meso');
  await page.check('input[name=followup]');
  await page.click('details.mechanisms summary');
  await page.check('input[name=mech][value=modelling]');
  await page.check('input[name=mech][value=feedback]');
  await Promise.all([page.waitForNavigation(), page.click('form.register button[type=submit]')]);
  assert.match(await page.textContent('[role=status]'), /Bewaard/);

  await page.goto(`${app.base}/traject?id=${encodeURIComponent(id)}`);
  assert.match(await page.textContent('p.reach'), /telt als bereikt/);
  const links = await page.textContent('ul.mechanisms');
  assert.match(links, /Modelleren \(voordoen\) \(1\)/);
  assert.match(links, /Monitoren en feedback \(1\)/);
  await page.goto(`${app.base}/trajecten`);
  const row = page.locator('#trajectories tr', { hasText: id });
  assert.match(await row.textContent(), /telt als bereikt/);

  // a follow-up entry and a phase change
  await page.goto(`${app.base}/traject?id=${encodeURIComponent(id)}`);
  await page.fill('#note', 'Werkgroep besprak de eerste klasbezoeken');
  await page.fill('#next_step', 'Tweede ronde plannen');
  await Promise.all([page.waitForNavigation(), page.click('#opvolging button[type=submit]')]);
  assert.match(await page.textContent('[role=status]'), /Opvolging bewaard/);
  assert.match(await page.textContent('ul.followups'), /Werkgroep besprak de eerste klasbezoeken/);
  await page.selectOption('#phase', 'prepare');
  await Promise.all([page.waitForNavigation(), page.click('#fase button[type=submit]')]);
  assert.match(await page.textContent('[role=status]'), /Fase bewaard/);
  assert.match(await page.textContent('ol.phases li.current'), /Voorbereiden/);
  await noViolations(page);
  await shoot(page, 'traject-390');
  await page.setViewportSize({ width: 1440, height: 900 });
  await shoot(page, 'traject-1440');
  await page.goto(`${app.base}/trajecten`);
  await shoot(page, 'trajecten-1440');
  await page.setViewportSize({ width: 390, height: 900 });
  await shoot(page, 'trajecten-390');
  await noViolations(page);
  await page.context().close();
  await boss.context().close();
});

test('a refused trajectory names every field, and another advisor\'s trajectory is not there', async () => {
  const page = await newPage(app, { width: 390 });
  await login(app, page, 'begeleider');
  await page.goto(`${app.base}/traject`);
  await page.fill('#advisors', 'BC NOPE');
  const resp = await Promise.all([page.waitForNavigation(), page.click('form.trajectory button[type=submit]')]);
  assert.equal(resp[0].status(), 422);
  const errors = await page.textContent('#errors');
  assert.match(errors, /een waarde is verplicht/); // the institution
  assert.doesNotMatch(errors, /onbekend traject/); // no noise about the id the form made

  const mine = new Set(await trajectoryIds(page));
  const boss = await newPage(app);
  await login(app, boss, 'directie');
  const other = (await trajectoryIds(boss)).find((x) => !mine.has(x));
  assert.ok(other, 'a trajectory the advisor does not keep');
  const r = await page.goto(`${app.base}/traject?id=${encodeURIComponent(other)}`);
  assert.equal(r.status(), 404);
  await page.context().close();
  await boss.context().close();
});
