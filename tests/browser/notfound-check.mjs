// The not-found page as a web server shows it: for a missing URL at any depth the
// server answers 404 with the site's 404.html (nginx's `error_page 404 /404.html`).
// Loads missing URLs one and three folders deep under the site's base path and checks
// that the page is styled (okrsite.css loaded and applied: the header has the brand
// colour) and that every link, image, stylesheet and form of it resolves to a file of
// the site (HTTP 200).
//
//   node notfound-check.mjs --site DIR [--prefix /okr/]
//
// The site must be built with base_url = the prefix. Prints `SUMMARY: N URLs, M failures`.
import path from 'node:path';
import { parseArgs, serveSite, launch } from './serve-site.mjs';

const args = parseArgs();
const site = path.resolve(args.site);
const prefix = args.prefix || '/';
const { server, base } = await serveSite(site, prefix);
const browser = await launch();
const failures = [];
const misses = ['nope', 'teams/nope/x/', 'quarters/2099-Q1/nope/index.html'];
for (const miss of misses) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const fail = (what) => failures.push(`${prefix}${miss}: ${what}`);
  page.on('requestfailed', (r) => fail(`request failed: ${r.url()}`));
  page.on('response', (r) => { if (r.status() >= 400 && r.url() !== base + miss) fail(`HTTP ${r.status()}: ${r.url()}`); });
  const response = await page.goto(base + miss, { waitUntil: 'load' });
  if (response.status() !== 404) fail(`status ${response.status()}, want 404`);
  const state = await page.evaluate(() => {
    const sheet = [...document.styleSheets].find((s) => s.href && /\/assets\/okrsite\.[0-9a-f]{16}\.css$/.test(s.href));
    let rules = 0;
    try { rules = sheet ? sheet.cssRules.length : 0; } catch { rules = -1; }
    const header = document.querySelector('.site-header');
    const urls = [
      ...[...document.querySelectorAll('a[href]:not([href^="#"])')].map((a) => a.href),
      ...[...document.querySelectorAll('link[href]')].map((l) => l.href),
      ...[...document.querySelectorAll('img[src]')].map((i) => i.src),
      ...[...document.querySelectorAll('form[action]')].map((f) => f.action),
    ];
    return {
      sheet: sheet ? sheet.href : null,
      rules,
      header: header ? getComputedStyle(header).backgroundColor : null,
      urls: [...new Set(urls.map((u) => u.split('#')[0]))],
    };
  });
  if (!state.sheet) fail('no okrsite.css stylesheet');
  else if (state.rules <= 0) fail(`okrsite.css did not load (${state.sheet})`);
  if (state.header !== 'rgb(31, 78, 140)') fail(`the header is not styled: background ${state.header}`);
  if (state.urls.length < 10) fail(`only ${state.urls.length} links`);
  for (const url of state.urls) {
    if (!url.startsWith(base)) { fail(`link outside the site: ${url}`); continue; }
    const r = await page.request.get(url);
    if (r.status() !== 200) fail(`link ${url}: HTTP ${r.status()}`);
  }
  console.log(`${prefix}${miss}: ${state.urls.length} links, stylesheet ${state.sheet}`);
  await page.close();
}
await browser.close();
server.close();
for (const f of failures) console.log(`FAIL ${f}`);
console.log(`SUMMARY: ${misses.length} URLs, ${failures.length} failures`);
process.exit(failures.length ? 1 : 0);
