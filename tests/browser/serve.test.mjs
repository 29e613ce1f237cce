// The preview server in a real browser: live reload after an edit, the error overlay of a broken
// article, recovery, and a stylesheet swap without a reload. Starts target/release/briefing
// serve on a temporary copy of the example site, and stops it with Ctrl-C (SIGINT) at the end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from './lib.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const binary = path.join(repo, 'target/release/briefing');
const slug = 'trump-halts-talks-to-call-putin-tests-western-unity';
const screenshots = process.env.SCREENSHOTS_DIR || os.tmpdir();

let site, server, serverLog = '', browser, baseUrl;

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves with the URL the server prints once it serves, or rejects after 30 seconds. */
function waitForServing(child) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${serverLog}`)), 30000);
    child.stderr.on('data', (chunk) => {
      serverLog += chunk;
      const match = serverLog.match(/Serving (http:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${serverLog}`)));
  });
}

before(async () => {
  site = fs.mkdtempSync(path.join(os.tmpdir(), 'briefing-serve-'));
  for (const entry of ['site.toml', 'content', 'themes']) {
    fs.cpSync(path.join(repo, entry), path.join(site, entry), { recursive: true });
  }
  const port = await freePort();
  server = spawn(binary, ['serve', '--root', site, '--port', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  baseUrl = await waitForServing(server);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null) server.kill('SIGKILL');
  fs.rmSync(site, { recursive: true, force: true });
});

const articleFile = () => path.join(site, 'content', `${slug}.md`);

/** Saves a file as editors do: a temporary file renamed over the original. */
function save(file, text) {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.swp`);
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
}

test('an open article follows edits, shows a broken front matter and recovers', async () => {
  const page = await browser.newPage();
  await page.goto(`${baseUrl}articles/${slug}/`);
  await page.waitForFunction(() => document.getElementById('briefing-live-reload'));
  const original = fs.readFileSync(articleFile(), 'utf8');

  save(articleFile(), `${original}\nA sentence added while the page was open.\n`);
  const started = Date.now();
  await page.waitForFunction(
    () => document.body.innerText.includes('A sentence added while the page was open.'),
    null,
    { timeout: 2000 },
  );
  console.log(`edit shown in the open page after ${Date.now() - started} ms`);

  assert.match(original, /^date = 2025-08-18$/m);
  save(articleFile(), original.replace(/^date = 2025-08-18$/m, 'date = "next Tuesday"'));
  const overlay = page.locator('#briefing-error-overlay');
  await overlay.waitFor({ state: 'visible', timeout: 2000 });
  const error = overlay.locator('.briefing-error').first();
  assert.equal(await error.getAttribute('data-file'), `content/${slug}.md`);
  assert.equal(await error.getAttribute('data-line'), '3');
  assert.match(await error.innerText(), new RegExp(`content/${slug}\\.md:3:\\d+: date:`));
  await page.screenshot({ path: path.join(screenshots, 'serve-overlay.png') });
  assert.match(serverLog, new RegExp(`error: content/${slug}\\.md:3:`), 'the terminal shows it too');

  save(articleFile(), original);
  await overlay.waitFor({ state: 'detached', timeout: 2000 });
  await page.waitForFunction(
    () => !document.body.innerText.includes('A sentence added while the page was open.'),
    null,
    { timeout: 2000 },
  );
  assert.match(await page.locator('h1').first().innerText(), /Trump halts talks/);
  await page.close();
});

test('a stylesheet change is swapped in without reloading the page', async () => {
  const page = await browser.newPage();
  await page.goto(baseUrl);
  await page.waitForFunction(() => document.getElementById('briefing-live-reload'));
  await page.evaluate(() => { window.notReloaded = true; });
  const stylesheet = path.join(site, 'themes/default/static/style.css');
  save(stylesheet, `${fs.readFileSync(stylesheet, 'utf8')}\nbody { outline: 7px solid rgb(1, 2, 3); }\n`);
  await page.waitForFunction(
    () => getComputedStyle(document.body).outlineColor === 'rgb(1, 2, 3)',
    null,
    { timeout: 2000 },
  );
  assert.equal(await page.evaluate(() => window.notReloaded), true);
  await page.close();
});

test('the site is served under its base path, and files outside it are not', async () => {
  const home = await fetch(baseUrl);
  assert.equal(home.status, 200);
  assert.match(new URL(baseUrl).pathname, /^\/briefing\/$/);
  const missing = await fetch(`${baseUrl}no-such-page/`);
  assert.equal(missing.status, 404);
  assert.match(await missing.text(), /Page not found/);
  const escaped = await fetch(`${baseUrl}%2e%2e/%2e%2e/site.toml`);
  assert.ok([403, 404].includes(escaped.status), `got ${escaped.status}`);
});

test('Ctrl-C stops the server cleanly', async () => {
  const exited = new Promise((resolve) => server.once('exit', (code, signal) => resolve({ code, signal })));
  server.kill('SIGINT');
  const { code } = await exited;
  assert.equal(code, 0, serverLog);
  assert.match(serverLog, /Stopped\./);
});
