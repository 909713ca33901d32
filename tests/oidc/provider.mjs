// SPDX-License-Identifier: EUPL-1.2
// A real OpenID Connect provider for the tests (npm `oidc-provider` 8.x, which runs on
// Node 18 and 20), listening on a free port on 127.0.0.1 with issuer http://127.0.0.1:PORT.
// Its login and consent pages are oidc-provider's own development interactions, both at
// GET /interaction/:uid (title and h1 "Sign-in" resp. "Authorize"), each with one
// <form method="post" action="http://127.0.0.1:PORT/interaction/:uid"> (the same URL):
//   login    hidden prompt=login, text field `login` (placeholder "Enter any login"; any name
//            is accepted and becomes the account id), password field `password` (placeholder
//            "and password"; anything non-empty), button "Sign-in"; link "[ Cancel ]" to
//            /interaction/:uid/abort (back to the client with error=access_denied)
//   consent  hidden prompt=consent, button "Continue"; normally NOT shown: every account is
//            pre-granted `openid email profile` for the client (see loadExistingGrant), so it
//            appears only when the client sends prompt=consent
//   logout   GET /session/end (end_session_endpoint) with a provider session: the page "Do you
//            want to sign-out from 127.0.0.1:PORT?" with the buttons "Yes, sign me out" /
//            "No, stay signed in" (form id "op.logoutForm", POST /session/end/confirm), then a
//            redirect to post_logout_redirect_uri (?state=..); without a session the form is
//            submitted by script at once
// The provider's pages import a web font from the internet; the middleware below strips that
// @import from its HTML so a browser without network does not wait for it.
//
// startProvider(opts) -> { issuer, port, stop(), setMode(mode), setAlg(alg), rotateKeys(),
//                          jwks(), kids(), accounts, clients }
//   opts: { clientId, clientSecret, redirectUris: [..], postLogoutRedirectUris: [..],
//           idTokenAlg = 'RS256', port = 0 }
//   A second client `other-client` / `other-secret` with the same redirect URIs is registered.
//
// ID tokens (and userinfo) carry sub, email, email_verified and name (the login name; email is
// the name itself when it contains '@', else NAME@school.example) besides nonce, azp, at_hash.
// PKCE with S256 is required of every client; plain is not offered.
//
// Tamper modes (setMode), applied to the NEXT token endpoint response that carries an
// id_token, then back to 'normal': 'wrong-signature' (same header and claims, signed with a
// fresh key that is not in the JWKS), 'other-audience' (aud 'other-client', no azp, signed with
// the real key), 'expired' (iat now-1200, exp now-600, real key), 'normal'.
//
// setAlg('ES256'|'RS256') changes the main client's id_token_signed_response_alg at run time:
// the clients live in this module's adapter (not in the static `clients` configuration), and
// oidc-provider rebuilds an adapter-backed client whenever its stored metadata changes.
//
// rotateKeys(): oidc-provider cannot change its keystore at run time, so rotation builds a new
// Provider with new keys (new kids) and puts it behind the same listening socket (same port,
// same issuer). Clients, sessions, grants, codes and tokens live in storage shared by both
// instances and the cookie keys are kept, so a browser's session with the provider survives.
//
// Quiet unless OIDC_PROVIDER_DEBUG is set: oidc-provider's "NOTICE"/"WARNING" lines (in-memory
// adapter, devInteractions, default pages) are dropped and its Koa app does not log errors.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import {
  generateKeyPair, exportJWK, importJWK, SignJWT, decodeJwt, decodeProtectedHeader,
} from 'jose';

const DEBUG = !!process.env.OIDC_PROVIDER_DEBUG;

// oidc-provider writes its notices with console.info/console.warn, all starting with
// "oidc-provider " (see its lib/helpers/attention.js); drop only those.
let consoleFiltered = false;
function filterProviderNotices() {
  if (DEBUG || consoleFiltered) return;
  consoleFiltered = true;
  for (const level of ['info', 'warn']) {
    const original = console[level].bind(console);
    console[level] = (...args) => {
      if (typeof args[0] === 'string' && /^(\x1b\[[0-9;]*m)?oidc-provider (NOTICE|WARNING)/.test(args[0])) return;
      original(...args);
    };
  }
}

let ProviderClass;
async function loadProvider() {
  filterProviderNotices(); // before the import: index.js may warn on load
  if (!ProviderClass) ProviderClass = (await import('oidc-provider')).default;
  return ProviderClass;
}

let last = null; // the most recently started provider, for setAlg()

const epoch = () => Math.floor(Date.now() / 1000);

async function makeKey(alg) {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS256' ? { modulusLength: 2048 } : {}) });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: `${alg.toLowerCase()}-${randomBytes(6).toString('hex')}`, alg, use: 'sig' };
}

async function makeKeys() {
  return [await makeKey('RS256'), await makeKey('ES256')];
}

function publicJwk({ d, p, q, dp, dq, qi, ...pub }) { // eslint-disable-line no-unused-vars
  return pub;
}

// A small in-memory adapter in the shape of oidc-provider's own MemoryAdapter, with storage
// that outlives a Provider instance (for rotateKeys) and that also holds the clients.
function makeAdapter(clientRecords) {
  const storage = new Map(); // key -> { value, exp (ms) }
  const get = (key) => {
    const hit = storage.get(key);
    if (!hit) return undefined;
    if (hit.exp && hit.exp < Date.now()) { storage.delete(key); return undefined; }
    return hit.value;
  };
  const set = (key, value, expiresIn) => storage.set(key, { value, exp: expiresIn ? Date.now() + expiresIn * 1000 : 0 });
  const grantable = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

  return class Adapter {
    constructor(model) { this.model = model; }

    key(id) { return `${this.model}:${id}`; }

    async upsert(id, payload, expiresIn) {
      if (this.model === 'Client') { clientRecords.set(id, { ...payload }); return; }
      const key = this.key(id);
      if (this.model === 'Session') set(`sessionUid:${payload.uid}`, id, expiresIn);
      const { grantId, userCode } = payload;
      if (grantable.has(this.model) && grantId) {
        const list = get(`grant:${grantId}`);
        if (list) list.push(key); else set(`grant:${grantId}`, [key]);
      }
      if (userCode) set(`userCode:${userCode}`, id, expiresIn);
      set(key, payload, expiresIn);
    }

    async find(id) {
      if (this.model === 'Client') {
        const record = clientRecords.get(id);
        return record ? { ...record } : undefined;
      }
      return get(this.key(id));
    }

    async findByUid(uid) { return this.find(get(`sessionUid:${uid}`)); }

    async findByUserCode(userCode) { return this.find(get(`userCode:${userCode}`)); }

    async consume(id) {
      const value = get(this.key(id));
      if (value) value.consumed = epoch();
    }

    async destroy(id) {
      if (this.model === 'Client') { clientRecords.delete(id); return; }
      storage.delete(this.key(id));
    }

    async revokeByGrantId(grantId) {
      const list = get(`grant:${grantId}`);
      if (list) list.forEach((key) => storage.delete(key));
      storage.delete(`grant:${grantId}`);
    }
  };
}

export async function startProvider(opts = {}) {
  const {
    clientId, clientSecret, redirectUris = [], postLogoutRedirectUris = [], idTokenAlg = 'RS256', port: wantedPort = 0,
  } = opts;
  if (!clientId || !clientSecret || !redirectUris.length) {
    throw new Error('startProvider needs clientId, clientSecret and redirectUris');
  }
  const Provider = await loadProvider();

  const clientRecords = new Map();
  const client = (id, secret, alg) => ({
    client_id: id,
    client_secret: secret,
    // 'web' clients may use http redirect URIs with the code flow (only implicit needs https).
    application_type: 'web',
    redirect_uris: [...redirectUris],
    post_logout_redirect_uris: [...postLogoutRedirectUris],
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    id_token_signed_response_alg: alg,
  });
  clientRecords.set(clientId, client(clientId, clientSecret, idTokenAlg));
  clientRecords.set('other-client', client('other-client', 'other-secret', 'RS256'));
  const Adapter = makeAdapter(clientRecords);

  const accounts = new Map(); // account id -> claims, for every account the provider was asked for
  const claimsFor = (id) => ({
    sub: id, email: id.includes('@') ? id : `${id}@school.example`, email_verified: true, name: id,
  });

  const cookieKeys = [randomBytes(32).toString('hex')];
  let keys = await makeKeys();
  let mode = 'normal';
  let current = null; // { provider, handler }

  const server = http.createServer((req, res) => {
    if (!current) { res.statusCode = 503; res.end(); return; }
    current.handler(req, res);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(wantedPort, '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;

  async function resign(idToken, how) {
    const header = decodeProtectedHeader(idToken);
    const claims = decodeJwt(idToken);
    let key;
    if (how === 'wrong-signature') {
      key = (await generateKeyPair(header.alg, header.alg === 'RS256' ? { modulusLength: 2048 } : {})).privateKey;
    } else {
      const jwk = keys.find((k) => k.kid === header.kid);
      if (!jwk) throw new Error(`no signing key with kid ${header.kid}`);
      key = await importJWK(jwk, header.alg);
      if (how === 'other-audience') {
        claims.aud = 'other-client';
        delete claims.azp;
      } else if (how === 'expired') {
        const now = epoch();
        claims.iat = now - 1200;
        claims.exp = now - 600;
      }
    }
    return new SignJWT(claims).setProtectedHeader(header).sign(key);
  }

  function build() {
    const provider = new Provider(issuer, {
      adapter: Adapter,
      jwks: { keys: keys.map((k) => ({ ...k })) },
      cookies: { keys: cookieKeys },
      async findAccount(ctx, id) {
        const claims = claimsFor(id);
        accounts.set(id, claims);
        return { accountId: id, async claims() { return { ...claims }; } };
      },
      scopes: ['openid', 'email', 'profile'],
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
      // Put email and name in the ID token too (not only at the userinfo endpoint).
      conformIdTokenClaims: false,
      features: {
        devInteractions: { enabled: true },
        rpInitiatedLogout: { enabled: true },
        userinfo: { enabled: true },
      },
      pkce: { methods: ['S256'], required: () => true },
      enabledJWA: { idTokenSigningAlgValues: ['RS256', 'ES256'] },
      // No consent hurdle: the account's grant for the client is created on the spot.
      async loadExistingGrant(ctx) {
        const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
        if (grantId) {
          const found = await ctx.oidc.provider.Grant.find(grantId);
          if (found) return found;
        }
        const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.account.accountId });
        grant.addOIDCScope('openid email profile');
        await grant.save();
        return grant;
      },
    });

    provider.use(async (ctx, next) => {
      await next();
      if (ctx.path === '/token' && ctx.method === 'POST' && ctx.status === 200
          && ctx.body && typeof ctx.body === 'object' && typeof ctx.body.id_token === 'string') {
        const how = mode;
        mode = 'normal';
        if (how !== 'normal') ctx.body = { ...ctx.body, id_token: await resign(ctx.body.id_token, how) };
      } else if (typeof ctx.body === 'string' && ctx.body.includes('@import url(https://fonts.googleapis.com')) {
        ctx.body = ctx.body.replace(/@import url\(https:\/\/fonts\.googleapis\.com[^)]*\);?/g, '');
      }
    });

    if (DEBUG) {
      for (const ev of ['server_error', 'authorization.error', 'grant.error', 'end_session.error', 'userinfo.error', 'jwks.error', 'discovery.error']) {
        provider.on(ev, (ctx, err) => console.error(`oidc-provider ${ev}:`, err));
      }
    } else {
      provider.app.silent = true;
    }
    return { provider, handler: provider.callback() };
  }

  current = build();

  const MODES = new Set(['normal', 'wrong-signature', 'other-audience', 'expired']);
  const handle = {
    issuer,
    port,
    accounts,
    clients: { main: { clientId, clientSecret }, other: { clientId: 'other-client', clientSecret: 'other-secret' } },
    get provider() { return current.provider; },
    get mode() { return mode; },
    setMode(m) {
      if (!MODES.has(m)) throw new Error(`unknown tamper mode ${m}`);
      mode = m;
    },
    setAlg(alg) {
      if (!['RS256', 'ES256'].includes(alg)) throw new Error(`unsupported id_token alg ${alg}`);
      clientRecords.set(clientId, { ...clientRecords.get(clientId), id_token_signed_response_alg: alg });
    },
    async rotateKeys() {
      keys = await makeKeys();
      current = build();
      return keys.map((k) => k.kid);
    },
    jwks() { return { keys: keys.map(publicJwk) }; },
    kids() { return keys.map((k) => k.kid); },
    async stop() {
      current = null;
      await new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
      if (last === handle) last = null;
    },
  };
  last = handle;
  return handle;
}

// The same as the returned object's setAlg, for callers that keep only the module: it acts on
// the most recently started provider.
export function setAlg(alg) {
  if (!last) throw new Error('no provider started');
  last.setAlg(alg);
}
