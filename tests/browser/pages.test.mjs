// A site made by `briefing init`, built for a GitHub Pages project site and served under its
// sub-path: in Chromium every page reachable from the front page loads with its stylesheets,
// every `#fragment` link finds its element, and no request fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launch, serveStatic, BRIEFING } from './lib.mjs';

const THEMES = ['default', 'newsprint'];
const BASE = ['--base-url', 'http://127.0.0.1/briefing/'];

/** `briefing init` in a fresh folder, then build and check; returns the site folder. */
function initSite(theme) {
  const root = path.join(mkdtempSync(path.join(tmpdir(), 'briefing-init-')), 'news');
  execFileSync(BRIEFING, ['init', root, '--theme', theme], { stdio: 'pipe' });
  execFileSync(BRIEFING, ['build', '--root', root, ...BASE], { stdio: 'pipe' });
  execFileSync(BRIEFING, ['check', '--root', root, ...BASE], { stdio: 'pipe' });
  return root;
}

for (const theme of THEMES) {
  test(`${theme}: an init site under /briefing/ loads every page and asset in Chromium`, async () => {
    const root = initSite(theme);
    const server = await serveStatic(path.join(root, 'output'), '/briefing/');
    const browser = await launch();
    const failures = [];
    try {
      const page = await browser.newPage();
      page.on('response', (r) => {
        // Chromium asks for /favicon.ico at the host's root by itself, outside any site.
        if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) failures.push(`${r.status()} ${r.url()}`);
      });
      page.on('requestfailed', (r) => failures.push(`failed ${r.url()}`));
      const queue = [`${server.origin}/briefing/`];
      const visited = new Set();
      const fragments = [];
      while (queue.length > 0) {
        const url = queue.shift();
        if (visited.has(url)) continue;
        visited.add(url);
        await page.goto(url);
        const sheets = await page.evaluate(() => [...document.styleSheets].map((s) => s.cssRules.length));
        assert.ok(sheets.length > 0 && sheets.every((n) => n > 0), `${url}: stylesheets ${sheets}`);
        const links = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
        for (const link of links) {
          const target = new URL(link);
          if (target.origin !== server.origin) continue;
          assert.ok(target.pathname.startsWith('/briefing/'), `${url} links outside the site: ${link}`);
          if (target.hash.length > 1) fragments.push([url, `${target.origin}${target.pathname}`, target.hash.slice(1)]);
          queue.push(`${target.origin}${target.pathname}`);
        }
        if (visited.size === 1) await page.screenshot({ path: path.join(root, `front-${theme}.png`), fullPage: true });
      }
      for (const [from, target, id] of fragments) {
        await page.goto(target);
        const found = await page.evaluate((id) => document.getElementById(decodeURIComponent(id)) !== null, id);
        assert.ok(found, `${from}: no #${id} on ${target}`);
      }
      assert.ok(visited.size >= 6, `only ${visited.size} pages reached`);
      assert.ok(fragments.length > 0, 'the sample article links to a heading');
      assert.deepEqual(failures, []);
      console.log(`${theme}: ${visited.size} pages, ${fragments.length} fragment links; screenshot ${path.join(root, `front-${theme}.png`)}`);
    } finally {
      await browser.close();
      server.close();
    }
  });
}
