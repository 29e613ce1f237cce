// Search in the browser: the example site built under a sub-path, served by a small static
// server, searched through the search page's script and the header's search box.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from './lib.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BINARY = process.env.BRIEFING || join(REPO, 'target', 'release', 'briefing');
const PREFIX = '/briefing/';
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.xml': 'application/xml',
};

let output;
let server;
let browser;
let base;

/** Serves `root` under PREFIX, as a static host such as GitHub Pages would. */
function serve(root) {
  return createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    if (!path.startsWith(PREFIX)) {
      response.writeHead(404).end();
      return;
    }
    let file = normalize(join(root, path.slice(PREFIX.length)));
    try {
      if (!file.startsWith(root)) throw new Error('outside');
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      const body = readFileSync(file);
      response.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
}

before(async () => {
  output = mkdtempSync(join(tmpdir(), 'briefing-search-'));
  server = serve(output);
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${server.address().port}${PREFIX}`;
  execFileSync(BINARY, ['build', '--root', REPO, '--output', join(output, 'site'), '--base-url', base]);
  server.close();
  server = serve(join(output, 'site'));
  await new Promise((ok) => server.listen(Number(new URL(base).port), '127.0.0.1', ok));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
  if (output) rmSync(output, { recursive: true, force: true });
});

/** Searches on the search page and returns the result links and the excerpts' highlights. */
async function search(page, query) {
  await page.goto(`${base}search/?q=${encodeURIComponent(query)}`);
  return results(page, query);
}

async function results(page, query) {
  await page.waitForFunction(
    (q) => {
      // The script states the count first, then loads each shown result's title and text.
      const message = document.querySelector('.search-message')?.textContent ?? '';
      const count = message.includes(q) && message.match(/^([\d,]+) results? for/);
      const loaded = document.querySelectorAll('.search-result-link').length;
      return count && loaded === Math.min(10, Number(count[1].replace(/,/g, '')));
    },
    query,
    { timeout: 15000 },
  );
  const links = await page.$$eval('.search-result-link', (as) => as.map((a) => a.href));
  const marks = await page.$$eval('.search-excerpt mark', (ms) => ms.map((m) => m.textContent));
  return { links, marks };
}

const TALKS = 'articles/trump-halts-talks-to-call-putin-tests-western-unity/';
const STOP = 'articles/vladimir-stop-trump-putin-split-as-russia-pounds-kyiv-amid-peace-talks/';

test('with JavaScript the search page hides its notice', async () => {
  const page = await browser.newPage();
  await search(page, 'Zelensky');
  assert.equal(await page.isVisible('#search-needs-js'), false);
  await page.close();
});

test('searching "Zelensky" finds both seed articles, with highlighted excerpts', async () => {
  const page = await browser.newPage();
  const { links, marks } = await search(page, 'Zelensky');
  assert.deepEqual([...links].sort(), [base + TALKS, base + STOP].sort());
  assert.ok(marks.some((m) => /zelensky/i.test(m)), `no highlighted match in ${marks}`);
  await page.screenshot({ path: join(output, 'search.png'), fullPage: true });
  if (process.env.SCREENSHOT_DIR) {
    await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, 'search.png'), fullPage: true });
  }
  await page.close();
});

test('a word from only one article finds just that article', async () => {
  const page = await browser.newPage();
  assert.deepEqual((await search(page, 'Stoltenberg')).links, [base + STOP]);
  assert.deepEqual((await search(page, 'Bild')).links, [base + TALKS]);
  await page.close();
});

test('the header search box opens the search page with the results', async () => {
  const page = await browser.newPage();
  await page.goto(base);
  await page.fill('#site-search', 'Stoltenberg');
  await Promise.all([page.waitForURL(/search\/\?q=Stoltenberg/), page.press('#site-search', 'Enter')]);
  assert.deepEqual((await results(page, 'Stoltenberg')).links, [base + STOP]);
  await page.close();
});

test('without JavaScript the search page says that search needs it', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${base}search/?q=Zelensky`);
  assert.ok(await page.isVisible('#search-needs-js'));
  assert.match(await page.textContent('#search-needs-js'), /needs JavaScript/);
  await page.screenshot({ path: join(output, 'search-no-js.png') });
  await context.close();
});
