// Every page of the example site, in each theme, is valid HTML (W3C Nu checker) and has no
// axe-core violations on the front, topic and article pages, in light and dark mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { launch, exampleSite, build, serveStatic, REPO } from './lib.mjs';

const THEMES = ['default', 'newsprint'];
const VNU = path.join(REPO, 'tests', 'browser', 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
const AXE = readFileSync(path.join(REPO, 'tests', 'browser', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const PAGES = ['', 'topics/ukraine-talks/', 'articles/trump-halts-talks-to-call-putin-tests-western-unity/'];

function siteFor(theme) {
  const root = exampleSite((config) => config.replace(/^theme = .*$/m, `theme = "${theme}"`));
  return build(root, ['--base-url', 'http://127.0.0.1/briefing/']);
}

for (const theme of THEMES) {
  test(`${theme}: every page passes the Nu HTML checker`, () => {
    const output = siteFor(theme);
    let report = '';
    try {
      execFileSync('java', ['-jar', VNU, '--errors-only', '--skip-non-html', output], { stdio: 'pipe' });
    } catch (error) {
      report = `${error.stdout}${error.stderr}`;
    }
    assert.equal(report, '', `vnu errors:\n${report}`);
  });

  test(`${theme}: no axe-core violations, light and dark`, async () => {
    const output = siteFor(theme);
    const server = await serveStatic(output, '/briefing/');
    const browser = await launch();
    try {
      for (const colorScheme of ['light', 'dark']) {
        const page = await browser.newPage({ colorScheme });
        for (const p of PAGES) {
          await page.goto(`${server.origin}/briefing/${p}`);
          await page.addScriptTag({ content: AXE });
          const result = await page.evaluate(() => window.axe.run(document, {
            runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
          }));
          const found = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
          assert.deepEqual(found, [], `${theme} ${colorScheme} /${p}`);
        }
        await page.close();
      }
    } finally {
      await browser.close();
      server.close();
    }
  });
}
