// End-to-end test of `briefing serve` in headless Chromium (playwright-core driving
// Debian's chromium): pages load with no console errors and no failed requests; a topic
// timeline lists its entries in order; every link on every page leads to an existing
// page; editing a content file reloads the open page with the change; breaking a file
// shows the error overlay and fixing it clears it. Screenshots of the home, topic,
// article and digest pages at desktop and phone widths go to SCREENSHOT_DIR.
//
// Usage: CHROMIUM_PATH=… node serve.mjs BRIEFING_BINARY PROJECT_DIR [SCREENSHOT_DIR]
// PROJECT_DIR is modified (a content file is edited, broken and restored): pass a copy.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [binary, project, shots = 'screenshots'] = process.argv.slice(2);
if (!binary || !project) {
  console.error('usage: node serve.mjs BRIEFING_BINARY PROJECT_DIR [SCREENSHOT_DIR]');
  process.exit(2);
}
let failures = 0;
const fail = (msg) => { failures++; console.log(`serve: FAIL ${msg}`); };
const ok = (msg) => console.log(`serve: ok ${msg}`);

const server = spawn(binary, ['serve', '--port', '0'], { cwd: project, stdio: ['ignore', 'ignore', 'pipe'] });
const base = await new Promise((resolve, reject) => {
  let buffered = '';
  const timer = setTimeout(() => reject(new Error('serve did not start')), 30000);
  server.stderr.on('data', (chunk) => {
    buffered += chunk;
    const m = buffered.match(/http:\/\/[0-9.:]+\//);
    if (m) { clearTimeout(timer); resolve(m[0]); }
  });
  server.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${buffered}`)));
});
ok(`serving at ${base}`);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error on ${page.url()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`script error on ${page.url()}: ${e.message}`));
  page.on('requestfailed', (r) => {
    // The event stream is cut when a page navigates away: not a failure.
    if (!r.url().includes('/__briefing/events')) problems.push(`request failed: ${r.url()}`);
  });
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`${r.status()} for ${r.url()}`); });

  // Crawl: every page reachable from the home page, every link checked.
  const seen = new Set();
  const queue = [base];
  let links = 0;
  while (queue.length) {
    const url = queue.shift();
    if (seen.has(url)) continue;
    seen.add(url);
    const response = await page.goto(url);
    if (!response || response.status() !== 200) { fail(`${url}: ${response && response.status()}`); continue; }
    if (!(response.headers()['content-type'] || '').startsWith('text/html')) continue;
    const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.href));
    for (const href of hrefs) {
      const target = href.split('#')[0];
      if (!target.startsWith(base)) continue;
      links++;
      if (!seen.has(target) && !queue.includes(target)) queue.push(target);
    }
  }
  ok(`crawled ${seen.size} pages, ${links} internal links`);
  for (const p of problems) fail(p);
  problems.length = 0;

  // A timeline lists its entries in chronological order (oldest first by default).
  await page.goto(`${base}topics/gaza-war/index.html`);
  const days = await page.locator('section.day h3 time').evaluateAll((ts) => ts.map((t) => t.dateTime));
  const sorted = [...days].sort();
  if (days.length < 1 || JSON.stringify(days) !== JSON.stringify(sorted)) fail(`days out of order: ${days}`);
  else ok(`timeline days in order: ${days.join(', ')}`);

  // Screenshots at desktop and phone widths.
  fs.mkdirSync(shots, { recursive: true });
  const digest = fs.readdirSync(path.join(project, 'output', 'digests'))
    .filter((f) => f.endsWith('.html') && f !== 'index.html').sort().pop();
  for (const [name, url] of [['home', ''], ['topic', 'topics/gaza-war/index.html'],
                             ['article', 'articles/israeli-strikes-kill-14/index.html'], ['digest', `digests/${digest}`]]) {
    for (const [label, width, height] of [['desktop', 1280, 900], ['phone', 390, 844]]) {
      await page.setViewportSize({ width, height });
      await page.goto(base + url);
      await page.screenshot({ path: path.join(shots, `${name}-${label}.png`), fullPage: label === 'desktop' });
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  ok(`screenshots in ${shots}`);

  // Editing a content file reloads the open page with the change.
  const file = path.join(project, 'content', '2025', 'israeli-strikes-kill-14.md');
  const original = fs.readFileSync(file, 'utf8');
  await page.goto(`${base}articles/israeli-strikes-kill-14/index.html`);
  await page.waitForTimeout(300); // let the event stream connect
  let started = Date.now();
  const reloaded = page.waitForEvent('load', { timeout: 15000 });
  fs.writeFileSync(file, original.replace(/^title: .*$/m, 'title: Live reload works'));
  await reloaded.catch(() => fail('no reload after editing a file'));
  const reloadMs = Date.now() - started;
  const h1 = await page.locator('h1').first().textContent();
  if (h1 !== 'Live reload works') fail(`after reload the title is "${h1}"`);
  else ok(`edit -> reload with the change in ${reloadMs} ms`);

  // Breaking a file shows the overlay; fixing it clears it.
  await page.waitForTimeout(300);
  fs.writeFileSync(file, '---\ntitle: [unclosed\n---\n');
  const overlay = page.locator('#briefing-build-error');
  await overlay.waitFor({ timeout: 15000 }).catch(() => fail('no error overlay after breaking a file'));
  const text = (await overlay.textContent().catch(() => '')) || '';
  if (!text.includes('israeli-strikes-kill-14.md:2')) fail(`overlay does not name file and line: ${text}`);
  else ok('broken file -> overlay names file and line');
  started = Date.now();
  const fixed = page.waitForEvent('load', { timeout: 15000 });
  fs.writeFileSync(file, original);
  await fixed.catch(() => fail('no reload after fixing the file'));
  if (await page.locator('#briefing-build-error').count()) fail('overlay still shown after the fix');
  else ok(`fixed -> overlay cleared in ${Date.now() - started} ms`);
  for (const p of problems) fail(p);
} finally {
  await browser.close();
  server.kill('SIGINT');
}
process.exit(failures ? 1 : 0);
