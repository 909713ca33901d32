// SPDX-License-Identifier: EUPL-1.2
// Readable numbers (docs/DAY-numbers.md), in a real Chromium on the demo data: on a phone
// the dashboard's key columns (KLV%, status, realisation %) are in view without
// scrolling sideways and the charts fit the width; every tile says what it measures, the
// status thresholds and "Doel tot vandaag" are explained, the two KLV% carry different
// names; charts name lines, not codes; every report chart has a visible title; a school
// year keeps its colour whether the report shows two years or all of them; the report's
// first table fits a 1440 px screen; the years are chosen from/to and the downloads are
// named after the unit and the years; the PDF downloaded today opens with the dashboard's
// indicators against the target to date. axe-core finds nothing on the pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, newPage, login, axeViolations } from '../e2e/lib.mjs';

let app;
before(async () => {
  app = await startApp();
});
after(async () => {
  await app?.stop();
});

async function noViolations(page) {
  const v = await axeViolations(page);
  assert.equal(v.length, 0, v.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n'));
}

// The right edge of every matching element, and the page's own width.
async function rightEdges(page, selector) {
  return page.$$eval(selector, (els) => els.map((e) => e.getBoundingClientRect().right));
}

// The tables that scroll sideways inside their region, and whether a visible hint says so
// right before the region.
async function scrollersWithoutHint(page) {
  return page.evaluate(() => [...document.querySelectorAll('div.scroll')]
    .filter((d) => d.offsetParent !== null && d.scrollWidth > d.clientWidth + 1)
    .filter((d) => {
      const p = d.previousElementSibling;
      return !(p && p.classList.contains('scroll-hint') && getComputedStyle(p).display !== 'none');
    })
    .map((d) => d.querySelector('table')?.id || d.querySelector('caption')?.textContent));
}

test('dashboard on a phone: key columns in view, charts fit, every number explained', async () => {
  const page = await newPage(app, { width: 390 });
  await login(app, page, 'directie');
  await page.goto(`${app.base}/dashboard`);
  const doc = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(doc <= 390, `the page does not scroll sideways (${doc})`);
  // KLV% and its status of every advisor, team and unit within the 390 px
  for (const id of ['per_unit', 'per_team', 'per_advisor']) {
    const rows = await page.$$(`#${id} tbody tr`);
    assert.ok(rows.length > 0, `${id} has rows`);
    const klv = await rightEdges(page, `#${id} tbody tr td:nth-of-type(1)`);
    const status = await rightEdges(page, `#${id} tbody tr td.st .status`);
    assert.ok(status.length > 0, `${id}: status badges`);
    for (const x of [...klv, ...status]) assert.ok(x <= 390, `${id}: a key cell ends at ${x} > 390`);
    // the value says which column it is (cards)
    assert.equal(await page.$eval(`#${id} tbody td`, (td) => td.dataset.label), 'KLV% tot vandaag (van FTE-uren)');
  }
  assert.deepEqual(await scrollersWithoutHint(page), [], 'every table that scrolls sideways says so');
  const real = await rightEdges(page, '#per-line tbody td:nth-of-type(1)');
  assert.ok(real.length > 0 && real.every((x) => x <= 390), `realisation % in view: ${real}`);
  // charts scale to the width
  const charts = await page.$$eval('main svg.chart', (s) => s.map((e) => e.getBoundingClientRect().right));
  assert.ok(charts.length >= 2, 'the dashboard shows its charts');
  for (const x of charts) assert.ok(x <= 390, `a chart ends at ${x} > 390`);
  // every tile says what it measures
  const tiles = await page.$$eval('.tiles .tile', (ts) => ts.map((t) => t.querySelector('p.explain')?.textContent ?? ''));
  assert.equal(tiles.length, 4);
  for (const t of tiles) assert.ok(t.length > 30, `a tile without explanation: "${t}"`);
  assert.match(tiles[2], /FTE-uren/);
  // the thresholds and "Doel tot vandaag", on the page
  const legend = await page.textContent('#status-legend');
  assert.match(legend, /Doel tot vandaag: het jaardoel maal het deel van de werkdagen/);
  assert.match(legend, /op koers.*minstens het doel tot vandaag/s);
  assert.match(legend, /let op.*minder dan 10% onder/s);
  assert.match(legend, /achter.*meer dan 10% onder/s);
  assert.match(await page.textContent('#prorata-share'), /^\d+%$/);
  // two different KLV%: named after what they divide by
  assert.match(await page.textContent('#per_advisor thead'), /KLV% tot vandaag \(van FTE-uren\)/);
  assert.match(await page.textContent('#klv-week-title'), /Klasvloercontext per week/);
  assert.match(await page.$eval('svg[aria-labelledby="klv-week-title"]', (s) => s.closest('section').textContent), /KLV% van geregistreerde tijd/);
  await noViolations(page);
  await page.context().close();
});

test('dashboard charts name the lines as the tables do, not by their codes', async () => {
  const page = await newPage(app, { width: 1440 });
  await login(app, page, 'directie');
  await page.goto(`${app.base}/dashboard`);
  const lines = await page.$$eval('#per-line tbody tr', (trs) => trs.map((tr) => [tr.dataset.line, tr.querySelector('th').textContent]));
  assert.ok(lines.length > 3);
  const labels = await page.$$eval('svg[aria-labelledby="fte-lines-title"] g.labels text', (ts) => ts.map((t) => t.firstChild.textContent));
  const titles = await page.$$eval('svg[aria-labelledby="fte-lines-title"] g.labels text', (ts) => ts.map((t) => t.querySelector('title')?.textContent ?? t.textContent));
  assert.equal(labels.length, lines.length);
  for (const [code, name] of lines) {
    if (code !== name) assert.ok(!labels.includes(code), `the code ${code} is a label`);
    assert.ok(titles.includes(name) || labels.includes(name), `${name} is a label`);
  }
  await page.context().close();
});

// Year -> fill of the legend swatch of a report chart.
async function legendColours(page, chart) {
  return page.$eval(`svg[aria-labelledby="chart-${chart}-title"] g.legend`, (g) => {
    const m = {};
    const kids = [...g.children];
    kids.forEach((k, i) => {
      if (k.tagName === 'rect') m[kids[i + 1].textContent.trim()] = k.getAttribute('fill');
    });
    return m;
  });
}

test('report: titled charts with names, one colour per year, years from/to, download names', async () => {
  const page = await newPage(app, { width: 1440 });
  await login(app, page, 'directie');
  await page.goto(`${app.base}/rapport`);
  // the first table fits the screen
  const [tw, box] = await page.$eval('#fte', (t) => [t.getBoundingClientRect().width, t.parentElement.clientWidth]);
  assert.ok(tw <= box + 1, `the FTE table fits (${tw} > ${box})`);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 1440);
  // every chart has a visible title
  const charts = await page.$$eval('section.chart', (ss) => ss.map((s) => {
    const h = s.querySelector('h2.chart-title');
    return h ? [h.textContent, h.getBoundingClientRect().height, s.querySelector('svg') !== null] : ['', 0, false];
  }));
  assert.ok(charts.length >= 5, `${charts.length} charts`);
  for (const [title, height, svg] of charts) assert.ok(title.length > 3 && height > 0 && svg, `a chart titled "${title}"`);
  // names, not codes, on the hours-per-line chart
  const names = await page.$$eval('#client_hours tbody th', (ths) => ths.map((t) => t.textContent));
  const labels = await page.$$eval('svg[aria-labelledby="chart-client_hours-title"] g.labels text', (ts) => ts.map((t) => t.querySelector('title')?.textContent ?? t.textContent));
  assert.ok(labels.length > 3);
  for (const l of labels) assert.ok(names.includes(l), `chart label "${l}" is a row of the table`);
  assert.ok(!labels.some((l) => /^(P\d|PRJ-|POC$)/.test(l) && !names.includes(l)), 'no line codes');
  // the colours of the years with every year shown
  const all = await legendColours(page, 'hits');
  const years = Object.keys(all);
  assert.ok(years.length >= 3, `years ${years}`);
  // choose two years: from the second newest up to the newest
  await page.selectOption('#vanaf', years[1]);
  await page.selectOption('#jaar', years[0]);
  await Promise.all([page.waitForNavigation(), page.click('#report-choice button[type=submit]')]);
  const two = await legendColours(page, 'hits');
  assert.deepEqual(Object.keys(two), [years[0], years[1]]);
  for (const y of Object.keys(two)) assert.equal(two[y], all[y], `${y} keeps its colour`);
  assert.equal((await page.$$('#fte thead th.year')).length, 2, 'the FTE table shows the two years chosen');
  // the download is named after the years
  const first = years[1].slice(0, 4), last = years[0].slice(5);
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('nav.downloads a[href^="/rapport/xlsx"]')]);
  assert.equal(xlsx.suggestedFilename(), `bereik-rapport-${first}-${last}.xlsx`);
  // PBD's report of one year
  await page.goto(`${app.base}/rapport?eenheid=pbd&vanaf=${years[1]}&jaar=${years[1]}`);
  const [pdf] = await Promise.all([page.waitForEvent('download'), page.click('nav.downloads a[href^="/rapport/pdf"]')]);
  assert.equal(pdf.suggestedFilename(), `bereik-rapport-pbd-${years[1]}.pdf`);
  await noViolations(page);
  await page.context().close();
});

test('report on a phone: charts fit, the tables scroll inside their region with a hint', async () => {
  const page = await newPage(app, { width: 390 });
  await login(app, page, 'directie');
  await page.goto(`${app.base}/rapport`);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390, 'the page does not scroll sideways');
  const charts = await rightEdges(page, 'main svg.chart');
  for (const x of charts) assert.ok(x <= 390, `a chart ends at ${x} > 390`);
  assert.ok((await page.$$('div.scroll')).length > 5);
  assert.deepEqual(await scrollersWithoutHint(page), [], 'every table that scrolls sideways says so');
  // the row names stay in view while the numbers scroll
  assert.equal(await page.$eval('#fte tbody th', (th) => getComputedStyle(th).position), 'sticky');
  await noViolations(page);
  await page.context().close();
});

test('the PDF downloaded today opens with the dashboard\'s three indicator tiles, against the target to date', async () => {
  const page = await newPage(app, { width: 1440 });
  await login(app, page, 'directie');
  await page.goto(`${app.base}/dashboard`);
  const tiles = await page.$$eval('.tiles .tile', (ts) => ts.slice(0, 3).map((t) => [
    t.querySelector('h2').textContent, t.querySelector('.big').textContent, t.querySelector('.status')?.textContent ?? '']));
  const r = await page.request.get(`${app.base}/rapport/pdf`);
  assert.equal(r.status(), 200);
  const dir = mkdtempSync(join(tmpdir(), 'numbers-pdf-'));
  try {
    writeFileSync(join(dir, 'r.pdf'), await r.body());
    const first = execFileSync('pdftotext', ['-layout', '-l', '1', join(dir, 'r.pdf'), '-'], { encoding: 'utf-8' });
    assert.match(first, /De vier indicatoren, schooljaar \d{4}-\d{4}/);
    assert.match(first, /Doel tot vandaag/, 'a running school year: the target to date');
    const lines = first.split('\n').map((l) => l.trim().replace(/\s{2,}/g, '  '));
    for (const [name, actual, status] of tiles) {
      const line = lines.find((l) => l.startsWith(name + '  '));
      assert.ok(line, `${name} on the first page`);
      assert.ok(line.includes(`  ${actual}  `) && line.endsWith(status), `${line} vs ${actual} ${status}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await page.context().close();
});
