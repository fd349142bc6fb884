// Measures the search page of a built site in headless Chromium over HTTP:
// bytes fetched for a first query and for later ones, and time from keystroke to
// rendered results.
//
//   node bench/search-browser.mjs SITE_DIR   (needs tests/browser's npm ci and chromium)
import { chromium } from '../tests/browser/node_modules/playwright-core/index.mjs';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const site = path.resolve(process.argv[2]);
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

let bytes = 0;
const page = await browser.newPage();
// Bytes are the sizes of the files the server sends, counted as each request arrives.
page.on('request', (r) => {
  const u = new URL(r.url());
  if (u.host !== new URL(base).host) return;
  let file = path.join(site, decodeURIComponent(u.pathname));
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
  if (fs.existsSync(file)) bytes += fs.statSync(file).size;
});
await page.goto(base + 'search/index.html');
await page.waitForFunction(() => window.okrsiteSearchReady);
const pageBytes = bytes;

// Bytes fetched when the first results are in the DOM (the page calls this).
let firstBytes = 0, firstMs = 0;
await page.exposeFunction('benchFirstResults', (ms) => { firstBytes = bytes; firstMs = ms; });

// Time from the input event to results in the DOM with their exact count, measured
// inside the page; the first results (before the count) are reported too.
async function timed(q) {
  firstBytes = 0;
  return page.evaluate((q) => new Promise((resolve) => {
    const input = document.getElementById('q');
    const status = document.getElementById('search-status');
    const results = document.getElementById('results');
    const t0 = performance.now();
    let first = false;
    const obs = new MutationObserver((records) => {
      const shown = records.some((r) => r.target === results && r.addedNodes.length);
      if (!first && (shown || (status.textContent && !/…$/.test(status.textContent)))) {
        first = true;
        window.benchFirstResults(performance.now() - t0);
      }
      if (status.textContent && !/…$/.test(status.textContent)) { obs.disconnect(); requestAnimationFrame(() => resolve(performance.now() - t0)); }
    });
    obs.observe(status, { childList: true, characterData: true, subtree: true });
    obs.observe(results, { childList: true });
    input.value = q;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }), q);
}

const report = [];
bytes = 0;
const fullMs = await timed('価格');
report.push(['first query 価格', bytes, fullMs, firstBytes, firstMs]);
for (const q of ['オンボーディング', 'テンプレート', '動画', 'pricing', '解約 防止']) {
  bytes = 0;
  const ms = await timed(q);
  report.push([`later query ${q}`, bytes, ms, firstBytes, firstMs]);
}
// Typing a query character by character once its shards are cached.
const keystrokes = [];
for (const q of ['価', '価格', '価格改', '価格改定']) keystrokes.push(await timed(q));
await browser.close();
server.close();
console.log(`search page and script: ${(pageBytes / 1024).toFixed(1)} KB`);
for (const [what, b, ms, fb, fms] of report) {
  console.log(`${what}: first results ${(fb / 1024).toFixed(1)} KB fetched, ${fms.toFixed(1)} ms; with the exact count ${(b / 1024).toFixed(1)} KB, ${ms.toFixed(1)} ms`);
}
const sorted = [...keystrokes].sort((a, b) => a - b);
console.log(`keystroke to rendered results (cached shards): median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`);
