// Accessibility check of static HTML files with axe-core, driving the system Chromium
// through playwright-core (no browser download). Usage:
//   CHROMIUM_PATH="$(command -v chromium)" node a11y.mjs page.html [more.html ...]
// Every page is checked twice, with prefers-color-scheme light and dark, so colour
// contrast is verified for both themes. Exit status 1 if any axe violation is found
// (rule tags: WCAG 2.0/2.1 A and AA plus axe best practices), 2 on usage errors.
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node a11y.mjs FILE.html [FILE.html ...]');
  process.exit(2);
}
if (!process.env.CHROMIUM_PATH) {
  console.error('a11y.mjs: set CHROMIUM_PATH to a Chromium binary, e.g. CHROMIUM_PATH="$(command -v chromium)"');
  process.exit(2);
}

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const SCHEMES = ['light', 'dark'];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let failed = 0;
try {
  const context = await browser.newContext();   // AxeBuilder refuses pages from browser.newPage()
  const page = await context.newPage();
  for (const f of files) {
    await page.goto(pathToFileURL(path.resolve(f)).href);
    for (const colorScheme of SCHEMES) {
      await page.emulateMedia({ colorScheme });
      const r = await new AxeBuilder({ page }).withTags(TAGS).analyze();
      for (const v of r.violations) {
        failed++;
        console.log(`${f} [${colorScheme}]: [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} node(s))`);
        for (const n of v.nodes.slice(0, 5)) {
          console.log(`    ${n.target.join(' ')}${n.failureSummary ? ' — ' + n.failureSummary.replace(/\s+/g, ' ') : ''}`);
        }
      }
      console.log(`${f} [${colorScheme}]: ${r.violations.length} violation(s), ${r.passes.length} passed rules`);
    }
  }
} finally {
  await browser.close();
}
console.log(failed ? `a11y: ${failed} violation(s) in total` : `a11y: no violations in ${files.length} page(s)`);
process.exit(failed ? 1 : 0);
