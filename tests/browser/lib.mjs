// Shared helpers for the browser tests: launching Debian's Chromium headless.
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** Launches headless Chromium with the flags this sandbox needs (no network, no sandbox). */
export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import http from 'node:http';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BRIEFING = path.join(REPO, 'target', 'release', 'briefing');

/** Copies the example site to a temp dir, optionally editing its site.toml; returns its root. */
export function exampleSite(editConfig = (text) => text) {
  const root = mkdtempSync(path.join(tmpdir(), 'briefing-site-'));
  for (const name of ['content', 'themes']) cpSync(path.join(REPO, name), path.join(root, name), { recursive: true });
  const config = readFileSync(path.join(REPO, 'site.toml'), 'utf8');
  writeFileSync(path.join(root, 'site.toml'), editConfig(config));
  return root;
}

/** Runs `briefing build` on a site; returns the output folder. */
export function build(root, args = []) {
  execFileSync(BRIEFING, ['build', '--root', root, '--force', ...args], { stdio: 'pipe' });
  return path.join(root, 'output');
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.xml': 'application/xml', '.svg': 'image/svg+xml', '.png': 'image/png' };

/** Serves `dir` under `basePath` on 127.0.0.1 (a plain static server); resolves to its origin. */
export function serveStatic(dir, basePath = '/') {
  const server = http.createServer((req, res) => {
    let url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!url.startsWith(basePath)) { res.writeHead(404); res.end(); return; }
    let file = path.join(dir, url.slice(basePath.length));
    if (!file.startsWith(dir)) { res.writeHead(403); res.end(); return; }
    if (url.endsWith('/')) file = path.join(file, 'index.html');
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('not found');
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve({ origin: `http://127.0.0.1:${server.address().port}`, close: () => server.close() });
  }));
}

export { spawn };
