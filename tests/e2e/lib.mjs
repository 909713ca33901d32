// SPDX-License-Identifier: EUPL-1.2
// Shared by the browser tests: a demo database, a real `bereik serve` on 127.0.0.1,
// Debian's Chromium driven by playwright-core, and axe-core.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = process.env.BEREIK_BIN || join(root, 'build', 'bereik');
export const PASSWORD = 'demo-bereik';

export function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// A fresh demo database on the engine of BEREIK_TEST_ENGINE, and a server on it.
export async function startApp() {
  const dir = mkdtempSync(join(tmpdir(), 'bereik-e2e-'));
  let db = join(dir, 'demo.db');
  let pgName = null;
  if (process.env.BEREIK_TEST_ENGINE === 'postgresql') {
    pgName = `bt_e2e_${process.pid}_${Date.now()}`;
    execFileSync('psql', [`${process.env.BEREIK_TEST_PG}/postgres`, '-qAtc', `CREATE DATABASE ${pgName}`]);
    db = `${process.env.BEREIK_TEST_PG}/${pgName}`;
  }
  execFileSync(BIN, ['--db', db, 'init']);
  execFileSync(BIN, ['--db', db, 'demo', '--seed', '1'], { stdio: ['ignore', 'ignore', 'ignore'] });
  const port = await freePort();
  const server = spawn(BIN, ['--db', db, 'serve', '--listen', `127.0.0.1:${port}`, '--threads', '2'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  return {
    base, db, browser,
    async stop() {
      await browser.close();
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
      if (pgName) execFileSync('psql', [`${process.env.BEREIK_TEST_PG}/postgres`, '-qAtc', `DROP DATABASE IF EXISTS ${pgName}`]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// YYYY-MM-DD of today (plus offsetDays) in Europe/Brussels: the server's today
// (bounds_today), also between midnight in Brussels and midnight UTC.
export function brusselsDay(offsetDays = 0) {
  return new Date(Date.now() + offsetDays * 86400000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Brussels' });
}

export async function newPage(app, { width = 1280, height = 900, locale = 'nl-BE' } = {}) {
  // bypassCSP lets the test inject axe-core; the application's own pages run under its CSP
  const context = await app.browser.newContext({ viewport: { width, height }, locale, timezoneId: 'Europe/Brussels', bypassCSP: true });
  return context.newPage();
}

export async function login(app, page, user) {
  await page.goto(`${app.base}/login`);
  await page.fill('#login', user);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('form.stack button[type=submit]')]);
}

// axe-core on the current page: the serious and critical violations.
const axeSource = readFileSync(join(root, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
export async function axeViolations(page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => await window.axe.run(document));
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
