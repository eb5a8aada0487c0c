// End-to-end check of the home page's client-side search in headless Chromium, with the
// site opened from disk (file://): type a query, expect matching results that link to
// existing article pages, and no console errors or failed requests.
// Usage: CHROMIUM_PATH=... node search.mjs OUTPUT_DIR QUERY EXPECTED_TITLE
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';

const [out, query, expected] = process.argv.slice(2);
if (!out || !query || !expected) {
  console.error('usage: node search.mjs OUTPUT_DIR QUERY EXPECTED_TITLE');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let failures = 0;
const fail = (msg) => { failures++; console.log(`search: FAIL ${msg}`); };
try {
  const page = await (await browser.newContext()).newPage();
  page.on('console', (m) => { if (m.type() === 'error') fail(`console error: ${m.text()}`); });
  page.on('requestfailed', (r) => fail(`request failed: ${r.url()}`));
  await page.goto(pathToFileURL(path.resolve(out, 'index.html')).href);
  const box = page.locator('#search-input');
  if (!(await box.isVisible())) fail('the search box is not shown when JavaScript runs');
  await box.fill(query);
  await page.waitForFunction(() => document.querySelectorAll('#search-results li').length > 0, null, { timeout: 5000 })
    .catch(() => fail(`no results for "${query}"`));
  const titles = await page.locator('#search-results a').allTextContents();
  if (!titles.includes(expected)) fail(`"${expected}" not among results: ${JSON.stringify(titles)}`);
  for (const href of await page.locator('#search-results a').evaluateAll((as) => as.map((a) => a.href))) {
    const file = decodeURIComponent(new URL(href).pathname);
    if (!fs.existsSync(file)) fail(`result link to a missing page: ${href}`);
  }
  await box.fill('zzzz-no-such-thing');
  const none = await page.locator('#search-status').textContent();
  if (!/No entries match/.test(none)) fail(`no "No entries match" message, got "${none}"`);
  console.log(`search: "${query}" -> ${titles.length} result(s): ${failures ? 'FAILED' : 'ok'}`);
} finally {
  await browser.close();
}
process.exit(failures ? 1 : 0);
