// SPDX-License-Identifier: EUPL-1.2
// Helpers of the API tests: requests with a bearer token, every response checked
// against the OpenAPI document (ajv, JSON Schema 2020-12), SQL on the test database,
// and the bereik CLI.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export const base = process.env.API_BASE;
export const bin = process.env.BEREIK_BIN;
export const db = process.env.BEREIK_DB;
export const engine = process.env.API_ENGINE;
export const tokens = {
  anon: null,
  begeleider: process.env.TOKEN_begeleider,
  coordinator: process.env.TOKEN_coordinator,
  directie: process.env.TOKEN_directie,
  admin: process.env.TOKEN_admin,
};
export const roles = Object.keys(tokens);

// The Set-Cookie headers of a response, one per cookie. Headers.getSetCookie is missing
// in Debian 12's node 18: there the joined header is split (bereik's cookies carry no
// Expires, so a comma only separates cookies).
export function setCookies(res) {
  return typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie()
    : (res.headers.get('set-cookie') || '').split(/,\s*(?=[^;=]+=)/).filter((x) => x);
}

export const docPath = new URL('../../src/api/openapi.json', import.meta.url);
export const doc = JSON.parse(readFileSync(docPath, 'utf8'));
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(doc, 'openapi.json');

const templates = Object.keys(doc.paths).map((t) => ({
  t,
  re: new RegExp('^' + t.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+') + '$'),
}));
export const seen = new Set(); // "METHOD template" answered with a 2xx
const esc = (s) => s.replace(/~/g, '~0').replace(/\//g, '~1');

// The response schema of the document for a request, or throws when it is undocumented.
function schemaFor(method, path, status, type) {
  const p = path.split('?')[0];
  const m = templates.find((x) => x.re.test(p));
  if (!m) throw new Error(`undocumented path ${p}`);
  const op = doc.paths[m.t][method.toLowerCase()];
  if (!op) throw new Error(`undocumented method ${method} ${m.t}`);
  const r = op.responses[String(status)];
  if (!r) throw new Error(`undocumented status ${status} of ${method} ${m.t}`);
  if (status >= 200 && status < 300) seen.add(`${method} ${m.t}`);
  if (!r.content) return { template: m.t, ref: null };
  const ct = Object.keys(r.content)[0];
  if (type !== ct) throw new Error(`${method} ${m.t} ${status}: Content-Type ${type}, documented ${ct}`);
  return {
    template: m.t,
    ref: `openapi.json#/paths/${esc(m.t)}/${method.toLowerCase()}/responses/${status}/content/${esc(ct)}/schema`,
  };
}

// call(role, method, path, {body, raw, headers}) -> {status, headers, json, text}; the
// response must match the OpenAPI document (status, content type and schema).
export async function call(role, method, path, opts = {}) {
  const headers = { ...(opts.headers || {}) };
  if (tokens[role]) headers.Authorization = `Bearer ${tokens[role]}`;
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  let body;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined && !headers['Content-Type']) headers['Content-Type'] = 'application/json';
  const res = await fetch(base + path, { method, headers, body });
  const text = await res.text();
  const type = (res.headers.get('content-type') || '').split(';')[0];
  let json = null;
  if (text) json = JSON.parse(text);
  const { ref } = schemaFor(method, path, res.status, text ? type : null);
  if (ref) {
    const validate = ajv.getSchema(ref) || ajv.compile({ $ref: ref });
    if (!validate(json))
      throw new Error(`${method} ${path} ${res.status} does not match the OpenAPI document: ${ajv.errorsText(validate.errors)}\n${text.slice(0, 400)}`);
  }
  return { status: res.status, headers: res.headers, json, text };
}

export function sql(q) {
  const out =
    engine === 'postgresql'
      ? execFileSync('psql', [db, '-qAtc', q], { encoding: 'utf8' })
      : execFileSync('sqlite3', [db, q], { encoding: 'utf8' });
  return out.trim();
}

export function bereik(...args) {
  return execFileSync(bin, ['--db', db, ...args], { encoding: 'utf8', env: process.env });
}

// The facts of `bereik report --format csv` as a map "table,year,row,col" -> number.
export function factsCsv(years) {
  const out = bereik('report', '--years', years, '--format', 'csv');
  const m = new Map();
  for (const line of out.trim().split('\n').slice(1)) {
    const i = line.lastIndexOf(',');
    m.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return m;
}
