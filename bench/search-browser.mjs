// Measures what search queries cost on a built site, in headless Chromium over HTTP:
// for a fixed set of queries, the bytes and requests of search files fetched from
// typing the query to its settled status line (the exact count, "no result", or the
// capped "N+ results; refine"), and the time that took.
//
//   node bench/search-browser.mjs SITE_DIR [--queries q1,q2,…]
//     (needs tests/browser's npm ci and chromium)
//
// Each query runs in a fresh browser context (nothing cached but the search page,
// its script and the manifest, which are loaded before it is typed), except the
// keystroke sequence 価 → 価格 → 価格改 → 価格改善, typed in one page, each step
// measured on its own (earlier steps' files cached). Prints a human-readable line per
// query, then one JSON line per query, prefixed `JSON `:
//   JSON {"query":"価格","bytes":123,"requests":4,"ms":56.7,"status":"…","shown":10,"keystroke":false}
import { chromium } from '../tests/browser/node_modules/playwright-core/index.mjs';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const site = path.resolve(process.argv[2]);
const qArg = process.argv.indexOf('--queries');
const QUERIES = qArg > 0 ? process.argv[qArg + 1].split(',')
  : ['価格', '価格改善', '速い学習', '顧客満足度', '顧客満足度を上げるための施策', '学び', 'の', 'redesign'];
const KEYSTROKES = ['価', '価格', '価格改', '価格改善'];

const server = http.createServer((req, res) => {
  let file = path.join(site, decodeURIComponent(new URL(req.url, 'http://x').pathname));
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
  if (!fs.existsSync(file)) { res.writeHead(404); return res.end(); }
  res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : file.endsWith('.html') ? 'text/html; charset=utf-8' : 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });

// A search page, loaded, with a meter of the files it requests from now on: bytes
// are the sizes of the search files the server sends, counted as each request arrives.
async function searchPage() {
  const context = await browser.newContext();
  const page = await context.newPage();
  const meter = { bytes: 0, requests: 0, on: false };
  page.on('request', (r) => {
    const u = new URL(r.url());
    // Search files only: Chromium fetches the favicon when it likes.
    if (!meter.on || u.host !== new URL(base).host || !u.pathname.startsWith('/search/')) return;
    let file = path.join(site, decodeURIComponent(u.pathname));
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    meter.requests++;
    if (process.env.BENCH_URLS) console.error(u.pathname);
    if (fs.existsSync(file)) meter.bytes += fs.statSync(file).size;
  });
  await page.goto(base + 'search/index.html');
  await page.waitForFunction(() => window.okrsiteSearchReady);
  return { page, meter, close: () => context.close() };
}

// Types `q` and waits for the settled status; what that cost.
async function measure(p, q, keystroke) {
  p.meter.bytes = 0;
  p.meter.requests = 0;
  p.meter.on = true;
  const t0 = Date.now();
  await p.page.evaluate((q) => {
    const input = document.getElementById('q');
    document.getElementById('search-status').textContent = '';
    input.value = q;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, q);
  await p.page.waitForFunction(() => {
    const s = document.getElementById('search-status').textContent;
    return s && !/…$/.test(s);
  }, null, { timeout: 600000, polling: 50 });
  const ms = Date.now() - t0;
  // Let any request already started arrive before the meter stops.
  await p.page.waitForTimeout(200);
  p.meter.on = false;
  const status = await p.page.textContent('#search-status');
  const shown = await p.page.locator('#results li').count();
  return { query: q, bytes: p.meter.bytes, requests: p.meter.requests, ms, status, shown, keystroke };
}

const rows = [];
for (const q of QUERIES) {
  const p = await searchPage();
  rows.push(await measure(p, q, false));
  await p.close();
}
{
  const p = await searchPage();
  for (const q of KEYSTROKES) rows.push(await measure(p, q, true));
  await p.close();
}
await browser.close();
server.close();

for (const r of rows) {
  const what = r.keystroke ? `keystroke → ${r.query}` : r.query;
  console.log(`${what}: ${(r.bytes / 1024).toFixed(1)} KB in ${r.requests} requests, ${r.ms} ms; ${r.shown} shown; "${r.status}"`);
}
for (const r of rows) console.log('JSON ' + JSON.stringify(r));
