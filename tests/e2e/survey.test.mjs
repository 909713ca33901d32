// SPDX-License-Identifier: EUPL-1.2
// Browser test of the anonymous client surveys: an advisor makes a short survey for one
// of their registrations, five phones (separate browser contexts, 390 px wide) answer it
// without an account; the results page shows only the count until the fifth answer, then
// the means, which equal the means worked out by hand from the answers given; a second
// answer from the same phone is refused. Screenshots go to $BEREIK_SCREENSHOTS when set.
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

// The five responses (KORT-1: relevant, useful, clear on 1..5, remark open).
const answers = [
  { relevant: 5, useful: 4, clear: 3, remark: 'Heel bruikbaar' },
  { relevant: 4, useful: 4, clear: 2, remark: '' },
  { relevant: 3, useful: 5, clear: 2, remark: 'Meer voorbeelden graag' },
  { relevant: 5, useful: 3, clear: 1, remark: '' },
  { relevant: 2, useful: 4, clear: 5, remark: 'Goed tempo' },
];
// Worked out by hand: relevant (5+4+3+5+2)/5 = 19/5 = 3.8; useful (4+4+5+3+4)/5 = 20/5 = 4;
// clear (3+2+2+1+5)/5 = 13/5 = 2.6; on screen with two decimals, the Belgian way.
const expectedMeans = { relevant: '3,80', useful: '4,00', clear: '2,60' };
// counts per score 1..5
const expectedDistribution = { relevant: '0 / 1 / 1 / 1 / 2', useful: '0 / 0 / 1 / 3 / 1', clear: '1 / 2 / 1 / 0 / 1' };

test('a short survey: five phones answer, results appear at the fifth, a second answer is refused', async () => {
  // the advisor: one of their registrations of this week, then a survey for it
  const advisor = await newPage(app);
  await login(app, advisor, 'begeleider');
  await advisor.goto(`${app.base}/week`);
  const edit = await advisor.getAttribute('a[href^="/registratie?id="]', 'href');
  const registration = decodeURIComponent(edit.split('id=')[1]);
  assert.ok(registration, 'the advisor has a registration this week');

  await advisor.goto(`${app.base}/enquetes`);
  await advisor.check('input[name=kind][value=short]');
  await advisor.fill('#sv-registration', registration);
  await Promise.all([advisor.waitForNavigation(), advisor.click('form[action="/enquetes"] button[type=submit]')]);
  assert.match(advisor.url(), /\/enquetes\?id=E-[0-9A-Z]{10}$/);
  const resultsUrl = advisor.url();
  const link = await advisor.getAttribute('#survey-url', 'href');
  assert.match(link, /\/enquete\?t=[A-Za-z0-9_-]{32}$/);
  assert.equal(await advisor.locator('svg.qr').count(), 1);
  assert.match(await advisor.textContent('main'), /Resultaten verschijnen vanaf 5 antwoorden/);
  const formUrl = new URL(link, app.base).href;
  // the QR code as a file
  const qr = await advisor.request.get(`${app.base}/enquetes/qr.svg?id=${resultsUrl.split('id=')[1]}`);
  assert.equal(qr.status(), 200);
  assert.match(qr.headers()['content-type'], /image\/svg\+xml/);

  let last;
  for (let i = 0; i < answers.length; i++) {
    const phone = await newPage(app, { width: 390, height: 844 });
    const res = await phone.goto(formUrl);
    assert.equal(res.status(), 200);
    assert.match(await phone.textContent('main'), /anoniem/);
    if (i === 0) {
      const v = await axeViolations(phone);
      assert.equal(v.length, 0, describe(v));
      await shoot(phone, 'survey-form-390');
    }
    const a = answers[i];
    for (const key of ['relevant', 'useful', 'clear']) await phone.check(`input[name="q-${key}"][value="${a[key]}"]`);
    if (a.remark) await phone.fill('#q-remark', a.remark);
    await Promise.all([phone.waitForNavigation(), phone.click('form.survey button[type=submit]')]);
    assert.match(await phone.textContent('h1'), /Bedankt/);
    if (i === 0) await shoot(phone, 'survey-thanks-390');

    await advisor.goto(resultsUrl);
    assert.equal((await advisor.textContent('#survey-n')).trim(), String(i + 1));
    if (i < 4) {
      assert.equal(await advisor.locator('#survey-results').count(), 0, `no results table after ${i + 1} answers`);
      assert.match(await advisor.textContent('main'), /Resultaten verschijnen vanaf 5 antwoorden/);
      assert.doesNotMatch(await advisor.textContent('main'), /Heel bruikbaar/);
      if (i === 3) await shoot(advisor, 'survey-results-4-answers');
      await phone.context().close();
    } else {
      last = phone;
    }
  }

  // five answers: the means, worked out by hand, and the distributions
  for (const key of Object.keys(expectedMeans)) {
    assert.equal((await advisor.textContent(`#survey-results tr[data-key="${key}"] td.mean`)).trim(), expectedMeans[key]);
    assert.equal((await advisor.textContent(`#survey-results tr[data-key="${key}"] td.dist`)).trim(),
      expectedDistribution[key]);
  }
  // the advisor of the registration reads the open answers
  const main = await advisor.textContent('main');
  for (const text of ['Heel bruikbaar', 'Meer voorbeelden graag', 'Goed tempo']) assert.ok(main.includes(text), text);
  const v = await axeViolations(advisor);
  assert.equal(v.length, 0, describe(v));
  await shoot(advisor, 'survey-results-5-answers');

  // the fifth phone again: the form says it answered already, and a second answer is refused
  await last.goto(formUrl);
  assert.match(await last.textContent('main'), /Je hebt deze enquête al ingevuld/);
  const cookies = await last.context().cookies();
  const csrf = cookies.find((c) => c.name === 'bereik_pre').value;
  const again = await last.context().request.post(`${app.base}/enquete`, {
    form: { csrf, t: link.split('t=')[1], 'q-relevant': '1', 'q-useful': '1', 'q-clear': '1', 'q-remark': '' },
  });
  assert.equal(again.status(), 409);
  assert.match(await again.text(), /Je hebt deze enquête al ingevuld/);
  await shoot(last, 'survey-already-390');
  await last.context().close();

  // still five answers, the same means
  await advisor.goto(resultsUrl);
  assert.equal((await advisor.textContent('#survey-n')).trim(), '5');
  assert.equal((await advisor.textContent('#survey-results tr[data-key="relevant"] td.mean')).trim(), '3,80');
  // the list shows it with its count
  await advisor.goto(`${app.base}/enquetes`);
  assert.match(await advisor.textContent('main'), /5 \/ 100/);
  await advisor.context().close();
});

test('an unknown survey: a clear page with 404', async () => {
  const phone = await newPage(app, { width: 390 });
  const res = await phone.goto(`${app.base}/enquete?t=${'A'.repeat(32)}`);
  assert.equal(res.status(), 404);
  assert.match(await phone.textContent('main'), /Deze enquête bestaat niet/);
  await phone.context().close();
});
