// SPDX-License-Identifier: EUPL-1.2
// Browser tests of the management views (docs/VIEWS.md): on a phone a coordinator sees
// their team's views on the dashboard (KLV per line of their members' registered time,
// reach per target group, hours per institution, their members' FTE split and spend) and
// not the organisation's quality reserve; nothing scrolls sideways; the director sees
// the organisation's views with the quality reserve, and lines where the coordinator's
// team registered less than the organisation; the director chooses the report of PBD and
// gets the PBD tables and downloads; the coordinator follows the link to the report of
// their team, whose tables name their teams and hold no organisation plan. axe-core on the pages; screenshots at phone and
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
// realised FTE per line code of the KLV-per-line table
async function fteByLine(page) {
  return new Map(await page.$$eval('#views-klv-line tbody tr', (trs) => trs.map((tr) => [
    tr.dataset.line, Number(tr.querySelector('small.fte').textContent.split(' ')[0].replace('.', '').replace(',', '.'))])));
}

test('a coordinator sees the views of their team on a phone', async () => {
  const page = await newPage(app, { width: 390 });
  await login(app, page, 'coordinator');
  await page.goto(`${app.base}/dashboard`);
  assert.match(await page.textContent('#views h2'), /Beleidsoverzichten/);
  assert.match(await page.textContent('#views'), /Uw team: de registraties van de leden van uw teams/);
  assert.match(await page.textContent('#views-klv-line thead'), /KLV% van geregistreerde tijd/);
  assert.ok((await page.$$('#views-klv-line tbody tr')).length > 0, 'lines with the team\'s time');
  assert.ok((await page.$$('#views-klv-line svg.spark')).length > 0, 'a weekly trend per line');
  assert.ok((await page.$$('#views-groups tbody tr')).length > 0, 'reach per target group');
  assert.ok((await page.$$('#views-institutions tbody tr')).length > 0, 'hours per institution');
  assert.equal(await page.$('#quality-reserve'), null, 'the quality reserve is the organisation\'s');
  assert.ok(await page.$('#pd-spend'));
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no sideways scrolling of the page (${width})`);
  for (const id of ['views-klv-line', 'views-goals', 'views-groups', 'views-institutions', 'views-activities']) {
    const [w, box] = await page.$eval(`#${id}`, (t) => [t.getBoundingClientRect().width, t.parentElement.clientWidth]);
    assert.ok(w <= box + 1, `${id} fits the phone (${w} > ${box})`);
  }
  await noViolations(page);
  await shoot(page, 'views-coordinator-390');
  const team = await fteByLine(page);

  const boss = await newPage(app, { width: 1440 });
  await login(app, boss, 'directie');
  await boss.goto(`${app.base}/dashboard`);
  assert.match(await boss.textContent('#views'), /De hele organisatie/);
  assert.match(await boss.textContent('#quality-reserve'), /0,5 FTE/);
  assert.match(await boss.textContent('#views-klv-line thead'), /KLV% tot vandaag/);
  const org = await fteByLine(boss);
  let less = 0;
  for (const [line, fte] of team) {
    assert.ok(org.has(line), `${line} is on the organisation's table`);
    assert.ok(fte <= org.get(line) + 0.005, `${line}: the team's ${fte} <= the organisation's ${org.get(line)}`);
    if (fte < org.get(line) - 0.005) less++;
  }
  assert.ok(less > 0, 'the team registered less than the organisation on some line');
  await noViolations(boss);
  await shoot(boss, 'views-director-1440');
});

test('the director chooses the report of PBD', async () => {
  const page = await newPage(app, { width: 390 });
  await login(app, page, 'directie');
  await page.goto(`${app.base}/rapport`);
  await page.selectOption('#eenheid', 'pbd');
  await Promise.all([page.waitForNavigation(), page.click('#report-choice button[type=submit]')]);
  assert.match(page.url(), /eenheid=pbd/);
  assert.match(await page.textContent('main table caption'), /\(PBD\)/);
  const hrefs = await page.$$eval('nav.downloads a', (as) => as.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.length === 4 && hrefs.every((h) => h.includes('eenheid=pbd')), hrefs.join(' '));
  assert.equal(await page.$eval('#eenheid', (s) => s.value), 'pbd');
  await noViolations(page);
  await shoot(page, 'views-report-pbd-390');
});

test('a coordinator reads the report of their team', async () => {
  const page = await newPage(app, { width: 1440 });
  await login(app, page, 'coordinator');
  await page.goto(`${app.base}/dashboard`);
  await Promise.all([page.waitForNavigation(), page.click('#team-report')]);
  assert.match(new URL(page.url()).pathname, /^\/rapport$/);
  const caption = await page.textContent('main table caption');
  assert.match(caption, /\(Team [^)]+\)/, caption);
  assert.match(await page.$eval('#eenheid option[value=org]', (o) => o.textContent), /Uw team/);
  // the organisation's plan is not the team's: no planned FTE in the team's FTE table
  const planned = await page.$$eval('main table:first-of-type tbody tr', (trs) =>
    trs.filter((tr) => /Totaal zonder projecten/.test(tr.textContent)).map((tr) => tr.children[1].textContent.trim()));
  assert.deepEqual(planned, ['–']);
  await noViolations(page);
  await shoot(page, 'views-report-team-1440');
  const advisor = await newPage(app);
  await login(app, advisor, 'begeleider');
  const r = await advisor.goto(`${app.base}/rapport`);
  assert.equal(r.status(), 403, 'an advisor has no report page');
});
