// SPDX-License-Identifier: EUPL-1.2
// /api/v1/surveys: making an anonymous client survey for a registration, its public form
// answered over plain HTTP without logging in (one answer per browser cookie), the
// threshold of 5 answers, the means and distributions worked out by hand, the open
// answers only for the registration's advisor, 404 for a survey the user may not see,
// the QR code, and the validation of the body (messages in English and Dutch).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base, call, sql, setCookies, tokens } from './lib.mjs';

const one = (q) => sql(q).split('\n')[0];
// a registration of BC alone (the demo's "begeleider"), and one without BC
const bcReg = one(`SELECT r.ext_id FROM registration r WHERE r.date >= '2024-09-01' AND EXISTS (SELECT 1 FROM registration_advisor x JOIN advisor a ON a.id = x.advisor_id WHERE x.registration_id = r.id AND a.code = 'BC') AND NOT EXISTS (SELECT 1 FROM registration_advisor x JOIN advisor a ON a.id = x.advisor_id WHERE x.registration_id = r.id AND a.code <> 'BC') ORDER BY r.id LIMIT 1`);
const otherReg = one(`SELECT r.ext_id FROM registration r WHERE NOT EXISTS (SELECT 1 FROM registration_advisor x JOIN advisor a ON a.id = x.advisor_id WHERE x.registration_id = r.id AND a.code = 'BC') ORDER BY r.id LIMIT 1`);

// One browser: its cookies, kept between requests.
function browser() {
  const jar = new Map();
  const keep = (res) => {
    for (const c of setCookies(res)) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
  };
  const header = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  return {
    jar,
    async get(path) {
      const res = await fetch(base + path, { headers: { Cookie: header() }, redirect: 'manual' });
      keep(res);
      return { status: res.status, text: await res.text() };
    },
    async post(path, fields) {
      const res = await fetch(base + path, {
        method: 'POST',
        headers: { Cookie: header(), 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
        redirect: 'manual',
      });
      keep(res);
      return { status: res.status, text: await res.text() };
    },
  };
}

// Answers the survey at url from browser b: the form first (its cookies), then the post.
async function answer(b, url, scores, remark) {
  const form = await b.get(url);
  assert.equal(form.status, 200);
  const csrf = /name="csrf" value="([0-9a-f]{64}(?:[0-9a-f]{64})?)"/.exec(form.text)?.[1] || b.jar.get('bereik_pre');
  const t = url.split('t=')[1];
  return b.post('/enquete', {
    csrf, t, 'q-relevant': String(scores[0]), 'q-useful': String(scores[1]), 'q-clear': String(scores[2]),
    'q-remark': remark,
  });
}

test('a survey for a registration: made, answered anonymously, aggregated from 5 answers on', async () => {
  assert.ok(bcReg && otherReg, 'fixtures found');
  const made = await call('begeleider', 'POST', '/api/v1/surveys', { body: { kind: 'short', registration: bcReg } });
  assert.equal(made.status, 201);
  const { id, url } = made.json;
  assert.match(id, /^E-[0-9A-Z]{10}$/);
  assert.match(url, /^\/enquete\?t=[A-Za-z0-9_-]{32}$/);
  assert.equal(made.json.questionnaire, 'KORT-1');
  assert.equal(made.json.registration, bcReg);
  assert.equal(made.json.max_answers, 100);
  assert.equal(made.headers.get('location'), `/api/v1/surveys/${id}/results`);
  // one audit entry, by the maker
  assert.equal(one(`SELECT actor FROM audit WHERE object_type = 'survey' AND object_key = '${id}'`), 'begeleider');

  // the public form answers without logging in
  const anon = await fetch(base + url);
  assert.equal(anon.status, 200);
  assert.match(await anon.text(), /Korte termijn: na de sessie/);

  // the list: the maker and a director see it; a coordinator of another team does not
  const mine = await call('begeleider', 'GET', '/api/v1/surveys');
  assert.ok(mine.json.items.some((s) => s.id === id && s.n === 0 && s.url === url));
  assert.ok((await call('directie', 'GET', '/api/v1/surveys')).json.items.some((s) => s.id === id));
  assert.ok(!(await call('coordinator', 'GET', '/api/v1/surveys')).json.items.some((s) => s.id === id));
  assert.equal((await call('coordinator', 'GET', `/api/v1/surveys/${id}/results`)).status, 404);
  assert.equal((await call('begeleider', 'GET', '/api/v1/surveys/E-0000000000/results')).status, 404);

  // the answers: relevant, useful, clear (1..5) and the open remark
  const given = [
    [[1, 5, 2], 'b'],
    [[2, 5, 2], ''],
    [[3, 4, 2], 'a'],
    [[4, 4, 2], ''],
    [[5, 1, 3], 'c'],
  ];
  const browsers = [];
  for (let i = 0; i < given.length; i++) {
    const b = browser();
    browsers.push(b);
    const r = await answer(b, url, ...given[i]);
    assert.equal(r.status, 200, r.text.slice(0, 300));
    assert.match(r.text, /Bedankt/);
    const res = await call('begeleider', 'GET', `/api/v1/surveys/${id}/results`);
    assert.equal(res.status, 200);
    assert.equal(res.json.n, i + 1);
    assert.equal(res.json.threshold, 5);
    if (i < 4) {
      for (const q of res.json.questions) {
        assert.equal(q.mean, null);
        assert.equal(q.distribution, null);
      }
      assert.equal(res.json.open_answers, undefined);
    }
  }
  // by hand: relevant 1+2+3+4+5 = 15, 15/5 = 3; useful 5+5+4+4+1 = 19, 3.8; clear 2+2+2+2+3 = 11, 2.2
  const res = (await call('begeleider', 'GET', `/api/v1/surveys/${id}/results`)).json;
  const q = Object.fromEntries(res.questions.map((x) => [x.key, x]));
  assert.deepEqual(res.questions.map((x) => x.key), ['relevant', 'useful', 'clear', 'remark']);
  assert.equal(q.relevant.mean, 3);
  assert.deepEqual(q.relevant.distribution, [1, 1, 1, 1, 1]);
  assert.equal(q.useful.mean, 3.8);
  assert.deepEqual(q.useful.distribution, [1, 0, 0, 2, 2]);
  assert.equal(q.clear.mean, 2.2);
  assert.deepEqual(q.clear.distribution, [0, 4, 1, 0, 0]);
  assert.equal(q.remark.type, 'open');
  assert.equal(q.remark.n, 3);
  assert.equal(q.remark.mean, null);
  // the registration's advisor reads the open answers, in text order; a director does not
  assert.deepEqual(res.open_answers, [{ key: 'remark', text: 'a' }, { key: 'remark', text: 'b' }, { key: 'remark', text: 'c' }]);
  const boss = (await call('directie', 'GET', `/api/v1/surveys/${id}/results`)).json;
  assert.equal(boss.n, 5);
  assert.equal(boss.open_answers, undefined);

  // a second answer from the same browser: 409, nothing stored
  const again = await answer(browsers[4], url, [1, 1, 1], 'nog eens');
  assert.equal(again.status, 409);
  assert.match(again.text, /Je hebt deze enquête al ingevuld/);
  assert.equal((await call('begeleider', 'GET', `/api/v1/surveys/${id}/results`)).json.n, 5);
  // only keyed hashes of the browsers are stored
  const cookieValue = browsers[0].jar.get('bereik_enquete');
  assert.match(cookieValue, /^[0-9a-f]{64}$/);
  assert.equal(one(`SELECT COUNT(*) FROM survey_response WHERE browser = '${cookieValue}'`), '0');

  // invalid values: 422 with the form again
  const bad = browser();
  const r422 = await answer(bad, url, [0, 6, ''], 'x');
  assert.equal(r422.status, 422);
  assert.match(r422.text, /Kies een score van 1 tot 5/);

  // the QR code, as SVG
  const qr = await fetch(`${base}/api/v1/surveys/${id}/qr.svg`, { headers: { Authorization: `Bearer ${tokens.begeleider}` } });
  assert.equal(qr.status, 200);
  assert.match(qr.headers.get('content-type'), /^image\/svg\+xml/);
  assert.match(await qr.text(), /^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  const qrOther = await fetch(`${base}/api/v1/surveys/${id}/qr.svg`, { headers: { Authorization: `Bearer ${tokens.coordinator}` } });
  assert.equal(qrOther.status, 404);
});

test('a survey with max_answers: full after that many; expiry and limits refused with messages in both languages', async () => {
  const made = await call('begeleider', 'POST', '/api/v1/surveys', {
    body: { kind: 'long', registration: bcReg, max_answers: 1, expires: null },
  });
  assert.equal(made.status, 201);
  assert.equal(made.json.questionnaire, 'LANG-1');
  const url = made.json.url;
  const first = browser();
  const form = await first.get(url);
  const csrf = /name="csrf" value="([0-9a-f]{64}(?:[0-9a-f]{64})?)"/.exec(form.text)[1];
  const t = url.split('t=')[1];
  const ok = await first.post('/enquete', { csrf, t, 'q-goal': '4', 'q-practice': '3', 'q-sustain': '2', 'q-remark': '' });
  assert.equal(ok.status, 200);
  // full: the form and a post are refused with 410
  const second = browser();
  assert.equal((await second.get(url)).status, 410);
  const late = await second.post('/enquete', { csrf: second.jar.get('bereik_pre') || '', t });
  assert.equal(late.status, 410);
  // unknown token
  assert.equal((await browser().get('/enquete?t=' + 'x'.repeat(32))).status, 404);

  const refuse = async (body, field) => {
    const r = await call('begeleider', 'POST', '/api/v1/surveys', { body });
    assert.equal(r.status, 422, JSON.stringify(body));
    const e = r.json.errors.find((x) => x.field === field);
    assert.ok(e, `${field} in ${r.text}`);
    assert.ok(e.message && e.message_nl, 'English and Dutch');
  };
  await refuse({ kind: 'medium', registration: bcReg }, 'kind');
  await refuse({ registration: bcReg }, 'kind');
  await refuse({ kind: 'short' }, 'trajectory');
  await refuse({ kind: 'short', registration: bcReg, trajectory: 'TR000-0' }, 'trajectory');
  await refuse({ kind: 'short', registration: otherReg }, 'registration');
  await refuse({ kind: 'short', registration: bcReg, max_answers: 0 }, 'max_answers');
  await refuse({ kind: 'short', registration: bcReg, max_answers: 1001 }, 'max_answers');
  await refuse({ kind: 'short', registration: bcReg, expires: '2020-01-01' }, 'expires');
  await refuse({ kind: 'short', registration: bcReg, expires: 'morgen' }, 'expires');
  await refuse({ kind: 'short', registration: bcReg, colour: 'red' }, 'colour');
  // nothing was made by the refusals: the two surveys of this file and any of other files
  assert.equal(one(`SELECT COUNT(*) FROM survey s JOIN registration r ON r.id = s.registration_id WHERE r.ext_id = '${otherReg}'`), '0');
});
