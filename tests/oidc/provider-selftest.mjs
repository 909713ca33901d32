// SPDX-License-Identifier: EUPL-1.2
// Self-test of the test OpenID Connect provider (tests/oidc/provider.mjs), without a browser:
// plain fetch with cookies kept by hand and redirects followed by hand. Discovery, the
// authorization code flow with PKCE through the provider's own login form, ID tokens checked
// with jose against the jwks_uri, each tamper mode, setAlg, key rotation and the logout page.
// Run: node --test tests/oidc/provider-selftest.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, decodeProtectedHeader, errors } from 'jose';
import { startProvider } from './provider.mjs';

const CLIENT_ID = 'bereik-test';
const CLIENT_SECRET = 'bereik-secret';
const REDIRECT = 'http://127.0.0.1:9/auth/callback';
const POST_LOGOUT = 'http://127.0.0.1:9/';

let op;
let discovery;

before(async () => {
  op = await startProvider({
    clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [REDIRECT], postLogoutRedirectUris: [POST_LOGOUT],
  });
});
after(async () => { await op?.stop(); });

const b64url = (buf) => buf.toString('base64url');

function setCookies(res) {
  if (typeof res.headers.getSetCookie === 'function') return res.headers.getSetCookie();
  const joined = res.headers.get('set-cookie');
  return joined ? joined.split(/,(?=\s*[^;,=\s]+=)/) : [];
}

// A cookie jar for one host (everything here is on 127.0.0.1:PORT).
class Jar {
  #cookies = new Map();

  take(res) {
    for (const line of setCookies(res)) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expires = attrs.find((a) => /^\s*expires=/i.test(a));
      const gone = !value || (expires && new Date(expires.split('=')[1]) < new Date());
      if (gone) this.#cookies.delete(name); else this.#cookies.set(name, value);
    }
  }

  header() { return [...this.#cookies].map(([n, v]) => `${n}=${v}`).join('; '); }
}

async function request(jar, url, { method = 'GET', form, headers = {} } = {}) {
  const init = { method, redirect: 'manual', headers: { ...headers } };
  const cookie = jar.header();
  if (cookie) init.headers.cookie = cookie;
  if (form) {
    init.headers['content-type'] = 'application/x-www-form-urlencoded';
    init.body = new URLSearchParams(form).toString();
  }
  const res = await fetch(url, init);
  jar.take(res);
  return res;
}

// Follows redirects on the provider until one leaves it (to the client's redirect URI) or a
// page is served; returns { url, res } of the last step.
async function follow(jar, res, url) {
  let current = url;
  let response = res;
  while ([301, 302, 303, 307, 308].includes(response.status)) {
    const next = new URL(response.headers.get('location'), current).href;
    if (!next.startsWith(op.issuer)) return { url: next, res: response, left: true };
    await response.arrayBuffer();
    current = next;
    response = await request(jar, current);
  }
  return { url: current, res: response, left: false };
}

function formAction(html, baseUrl) {
  const m = html.match(/<form[^>]*action="([^"]+)"[^>]*method="post"/i);
  assert.ok(m, `no post form in page:\n${html.slice(0, 500)}`);
  return new URL(m[1].replace(/&amp;/g, '&'), baseUrl).href;
}

// The authorization code flow with PKCE for one client; returns the token response.
async function codeFlow({
  jar = new Jar(), login = 'docent@school.example', clientId = CLIENT_ID, secret = CLIENT_SECRET, prompt,
} = {}) {
  const verifier = b64url(randomBytes(32));
  const challenge = b64url(createHash('sha256').update(verifier).digest());
  const state = b64url(randomBytes(12));
  const nonce = b64url(randomBytes(12));
  const auth = new URL(discovery.authorization_endpoint);
  auth.search = new URLSearchParams({
    client_id: clientId, response_type: 'code', scope: 'openid email profile', redirect_uri: REDIRECT,
    state, nonce, code_challenge: challenge, code_challenge_method: 'S256', ...(prompt ? { prompt } : {}),
  }).toString();

  let step = await follow(jar, await request(jar, auth.href), auth.href);
  const pages = [];
  for (let i = 0; !step.left && i < 4; i += 1) {
    const html = await step.res.text();
    assert.equal(step.res.status, 200, html.slice(0, 500));
    const action = formAction(html, step.url);
    if (/name="login"/.test(html)) {
      pages.push('login');
      assert.match(html, />Sign-in</);
      assert.doesNotMatch(html, /fonts\.googleapis\.com/);
      step = await follow(jar, await request(jar, action, { method: 'POST', form: { prompt: 'login', login, password: 'x' } }), action);
    } else {
      pages.push('consent');
      assert.match(html, />Continue</);
      step = await follow(jar, await request(jar, action, { method: 'POST', form: { prompt: 'consent' } }), action);
    }
  }
  assert.ok(step.left, 'the flow did not come back to the client');
  const back = new URL(step.url);
  assert.equal(`${back.origin}${back.pathname}`, REDIRECT);
  assert.equal(back.searchParams.get('state'), state);
  const code = back.searchParams.get('code');
  assert.ok(code, `no code in ${step.url}`);

  const res = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier,
    }).toString(),
  });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  return { ...body, nonce, pages, jar };
}

const verify = (idToken, jwks = createRemoteJWKSet(new URL(discovery.jwks_uri))) => jwtVerify(idToken, jwks, {
  issuer: op.issuer, audience: CLIENT_ID,
});

test('discovery', async () => {
  const res = await fetch(`${op.issuer}/.well-known/openid-configuration`);
  assert.equal(res.status, 200);
  discovery = await res.json();
  assert.equal(discovery.issuer, op.issuer);
  assert.match(op.issuer, /^http:\/\/127\.0\.0\.1:\d+$/);
  for (const k of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'end_session_endpoint', 'userinfo_endpoint']) {
    assert.ok(discovery[k]?.startsWith(op.issuer), `${k}: ${discovery[k]}`);
  }
  assert.deepEqual(discovery.code_challenge_methods_supported, ['S256']);
  assert.ok(discovery.scopes_supported.includes('email') && discovery.scopes_supported.includes('profile'));
  assert.deepEqual(discovery.id_token_signing_alg_values_supported.sort(), ['ES256', 'RS256']);
  const jwks = await (await fetch(discovery.jwks_uri)).json();
  assert.deepEqual(jwks.keys.map((k) => k.kty).sort(), ['EC', 'RSA']);
  assert.ok(jwks.keys.every((k) => k.kid && !k.d));
});

test('PKCE is required', async () => {
  const auth = new URL(discovery.authorization_endpoint);
  auth.search = new URLSearchParams({
    client_id: CLIENT_ID, response_type: 'code', scope: 'openid', redirect_uri: REDIRECT, state: 's', nonce: 'n',
  }).toString();
  const res = await fetch(auth, { redirect: 'manual' });
  assert.equal(res.status, 303);
  const back = new URL(res.headers.get('location'));
  assert.equal(back.searchParams.get('error'), 'invalid_request');
  assert.match(back.searchParams.get('error_description'), /PKCE/);
});

test('code flow with PKCE through the login form, id_token verifies', async () => {
  const t = await codeFlow({ login: 'juf.anna' });
  assert.deepEqual(t.pages, ['login'], 'login form only, no consent page');
  assert.ok(t.access_token);
  const { payload, protectedHeader } = await verify(t.id_token);
  assert.equal(protectedHeader.alg, 'RS256');
  assert.ok(op.kids().includes(protectedHeader.kid));
  assert.equal(payload.nonce, t.nonce);
  assert.equal(payload.sub, 'juf.anna');
  assert.equal(payload.email, 'juf.anna@school.example');
  assert.equal(payload.email_verified, true);
  assert.equal(payload.name, 'juf.anna');
  assert.deepEqual(op.accounts.get('juf.anna').email, 'juf.anna@school.example');

  const ui = await (await fetch(discovery.userinfo_endpoint, { headers: { authorization: `Bearer ${t.access_token}` } })).json();
  assert.equal(ui.email, 'juf.anna@school.example');

  // A second sign-in in the same provider session goes straight back to the client.
  const again = await codeFlow({ jar: t.jar });
  assert.deepEqual(again.pages, []);
  assert.equal((await verify(again.id_token)).payload.sub, 'juf.anna');

  // The consent page only shows when the client asks for it (prompt=consent): "Continue".
  const asked = await codeFlow({ jar: t.jar, prompt: 'consent' });
  assert.deepEqual(asked.pages, ['consent']);
  assert.equal((await verify(asked.id_token)).payload.email, 'juf.anna@school.example');

  // The second client has its own grant and audience.
  const other = await codeFlow({ clientId: 'other-client', secret: 'other-secret', login: 'x@y.example' });
  const { payload: p2 } = await jwtVerify(other.id_token, createRemoteJWKSet(new URL(discovery.jwks_uri)), { issuer: op.issuer, audience: 'other-client' });
  assert.equal(p2.email, 'x@y.example');
});

test('tamper modes apply to the next token response only', async () => {
  const jar = new Jar();
  await codeFlow({ jar });

  op.setMode('wrong-signature');
  const bad = await codeFlow({ jar });
  const badHeader = decodeProtectedHeader(bad.id_token);
  assert.ok(op.kids().includes(badHeader.kid));
  await assert.rejects(verify(bad.id_token), errors.JWSSignatureVerificationFailed);

  // back to normal by itself
  assert.equal(op.mode, 'normal');
  await verify((await codeFlow({ jar })).id_token);

  op.setMode('other-audience');
  const aud = await codeFlow({ jar });
  await assert.rejects(verify(aud.id_token), (err) => err instanceof errors.JWTClaimValidationFailed && err.claim === 'aud');
  const { payload } = await jwtVerify(aud.id_token, createRemoteJWKSet(new URL(discovery.jwks_uri)), { issuer: op.issuer, audience: 'other-client' });
  assert.equal(payload.azp, undefined);
  assert.equal(payload.nonce, aud.nonce);

  op.setMode('expired');
  const exp = await codeFlow({ jar });
  await assert.rejects(verify(exp.id_token), errors.JWTExpired);

  op.setMode('normal');
  await verify((await codeFlow({ jar })).id_token);
});

test('setAlg switches the id_token alg to ES256 and back', async () => {
  const jar = new Jar();
  op.setAlg('ES256');
  const t = await codeFlow({ jar });
  const { protectedHeader } = await verify(t.id_token);
  assert.equal(protectedHeader.alg, 'ES256');
  op.setMode('wrong-signature');
  await assert.rejects(verify((await codeFlow({ jar })).id_token), errors.JWSSignatureVerificationFailed);
  op.setAlg('RS256');
  assert.equal((await verify((await codeFlow({ jar })).id_token)).protectedHeader.alg, 'RS256');
});

test('rotateKeys serves new kids and signs with them', async () => {
  const jar = new Jar();
  const before = await codeFlow({ jar });
  const oldKids = (await (await fetch(discovery.jwks_uri)).json()).keys.map((k) => k.kid).sort();
  const newKidsReturned = await op.rotateKeys();
  const newKids = (await (await fetch(discovery.jwks_uri)).json()).keys.map((k) => k.kid).sort();
  assert.deepEqual(newKids, [...newKidsReturned].sort());
  assert.equal(newKids.filter((k) => oldKids.includes(k)).length, 0);

  const after = await codeFlow({ jar });
  assert.deepEqual(after.pages, [], 'the provider session survives the rotation');
  const { protectedHeader } = await verify(after.id_token, createRemoteJWKSet(new URL(discovery.jwks_uri)));
  assert.ok(newKids.includes(protectedHeader.kid));
  // A token from before the rotation no longer verifies against the new JWKS.
  await assert.rejects(verify(before.id_token), errors.JWKSNoMatchingKey);
});

test('RP-initiated logout', async () => {
  const jar = new Jar();
  const t = await codeFlow({ jar });
  const url = new URL(discovery.end_session_endpoint);
  url.search = new URLSearchParams({ id_token_hint: t.id_token, post_logout_redirect_uri: POST_LOGOUT, state: 'bye' }).toString();
  const page = await request(jar, url.href);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /Yes, sign me out/);
  const action = formAction(html.replace(/<form ([^>]*?)method="POST"([^>]*)>/i, '<form $1 $2 method="post">'), url.href);
  const xsrf = html.match(/name="xsrf" value="([^"]+)"/)[1];
  const res = await request(jar, action, { method: 'POST', form: { xsrf, logout: 'yes' } });
  const step = await follow(jar, res, action);
  assert.ok(step.left);
  assert.equal(step.url, `${POST_LOGOUT}?state=bye`);
  // signed out: the next sign-in shows the login form again
  assert.deepEqual((await codeFlow({ jar })).pages, ['login']);
});
