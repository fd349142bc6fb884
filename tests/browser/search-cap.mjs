// The search's budget, in a real browser: a query over its cap stops there and says
// so; under the cap it counts exactly; a phrase spanning two list items finds nothing.
//
//   node search-cap.mjs --site DIR --spanning PHRASE --common PHRASE
//
// The cap is made tiny through the form's data-max-requests (as a site could set it),
// so a phrase in many of the sample's documents is "over the cap"; the requests the page makes after
// the query is typed are counted by the test, not by the page.
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const site = path.resolve(args.site);
const failures = [];
const fail = (m) => failures.push(m);

const server = http.createServer((req, res) => {
  let file = path.join(site, decodeURIComponent(new URL(req.url, 'http://x').pathname));
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
  if (!fs.existsSync(file)) { res.writeHead(404); return res.end(); }
  res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/html; charset=utf-8' });
  fs.createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });

// A fresh page with the cap set (null: the default), then the query typed; the
// status once settled, the results shown and the search files requested meanwhile.
async function search(q, maxRequests) {
  const page = await browser.newPage();
  page.on('pageerror', (e) => fail(`page error: ${e.message}`));
  await page.goto(base + 'search/index.html');
  await page.waitForFunction(() => window.okrsiteSearchReady === true, null, { timeout: 10000 });
  if (maxRequests !== null) await page.evaluate((n) => { document.getElementById('search-form').dataset.maxRequests = String(n); }, maxRequests);
  const requested = [];
  page.on('request', (r) => { if (r.url().includes('/search/')) requested.push(r.url()); });
  await page.fill('#q', q);
  await page.waitForFunction(() => {
    const s = document.getElementById('search-status').textContent;
    return s && !/…$/.test(s);
  }, null, { timeout: 20000 });
  const status = await page.textContent('#search-status');
  const shown = await page.locator('#results li').count();
  const moreHidden = await page.$eval('#search-more', (b) => b.hidden);
  const form = await page.$eval('#search-form', (f) => ({ capped: f.dataset.capped, none: f.dataset.cappedNone }));
  await page.close();
  return { status, shown, requested, moreHidden, form };
}

const capWord = (form) => form.capped.replace('{n}', '').trim();

// Uncapped: the common phrase (which its postings alone do not decide) is counted exactly.
const full = await search(args.common, null);
if (full.status.includes(capWord(full.form))) fail(`${args.common} without a tiny cap stopped: ${full.status}`);
if (full.shown < 1) fail(`${args.common}: no result without a cap`);

// Capped at 12 new files: it stops there and says so, with what it found.
const capped = await search(args.common, 12);
console.log(`${args.common} capped at 12 requests: "${capped.status}", ${capped.shown} shown, ${capped.requested.length} files`);
if (capped.requested.length > 12) fail(`the cap of 12 requests was exceeded: ${capped.requested.join(' ')}`);
if (!capped.status.includes(capWord(capped.form)) || capped.shown < 1) fail(`a capped query does not say how many it found and to refine: "${capped.status}"`);
if (capped.status === full.status) fail(`capped and uncapped statuses agree: "${capped.status}"`);
if (capped.moreHidden) fail('a capped query hides "show more"');

// Capped at 1: not even the shards: it says there were too many candidates to check.
const none = await search(args.common, 1);
console.log(`${args.common} capped at 1 request: "${none.status}", ${none.requested.length} files`);
if (none.requested.length > 1) fail(`the cap of 1 request was exceeded: ${none.requested.join(' ')}`);
if (none.status !== none.form.none) fail(`capped before any result, the status is "${none.status}"`);

// A phrase spanning two list items matches nothing.
const spanning = await search(args.spanning, null);
console.log(`${args.spanning}: "${spanning.status}", ${spanning.shown} shown`);
if (spanning.shown !== 0) fail(`${args.spanning} spans two list items but found ${spanning.shown}`);

await browser.close();
server.close();
for (const f of failures) console.log(`FAIL ${f}`);
console.log(`${failures.length} failures`);
process.exit(failures.length ? 1 : 0);
