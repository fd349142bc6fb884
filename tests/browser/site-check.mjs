// Loads every HTML page of a built okrsite output in headless Chromium and fails on
// any console error, page error, dialog, failed request or HTTP error response.
//
//   node site-check.mjs --site DIR --mode root|subpath|file [--prefix okr]
//
// root: served at http://127.0.0.1:PORT/; subpath: at /PREFIX/; file: opened from disk.
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const site = path.resolve(args.site);
const mode = args.mode || 'root';
const prefix = mode === 'subpath' ? `/${args.prefix || 'okr'}/` : '/';

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.svg': 'image/svg+xml',
  '.json': 'application/json', '.xml': 'application/xml', '.csv': 'text/csv', '.png': 'image/png' };

function pages(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...pages(p));
    else if (e.name.endsWith('.html')) out.push(path.relative(site, p).split(path.sep).join('/'));
  }
  return out.sort();
}

function serve() {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      let url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (!url.startsWith(prefix)) { res.writeHead(404); return res.end('outside the site'); }
      let file = path.join(site, url.slice(prefix.length));
      if (!file.startsWith(site)) { res.writeHead(403); return res.end(); }
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
      if (!fs.existsSync(file)) { res.writeHead(404); return res.end('not found'); }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      fs.createReadStream(file).pipe(res);
    });
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

const failures = [];
const server = mode === 'file' ? null : await serve();
const base = mode === 'file' ? `file://${site}/` : `http://127.0.0.1:${server.address().port}${prefix}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext();
// Not 404.html: its links are root-absolute, from base_url (a server shows it at any
// depth), so it loads its stylesheet only where the site is served at its base_url,
// not under another sub-path nor from disk. notfound-check.mjs checks it, served so.
const list = pages(site).filter((rel) => rel !== '404.html');
for (const rel of list) {
  const page = await context.newPage();
  const fail = (what) => failures.push(`${rel}: ${what}`);
  page.on('console', (m) => { if (m.type() === 'error') fail(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => fail(`page error: ${e.message}`));
  page.on('dialog', async (d) => { fail(`dialog: ${d.message()}`); await d.dismiss(); });
  page.on('requestfailed', (r) => fail(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.status() >= 400) fail(`HTTP ${r.status()}: ${r.url()}`); });
  const response = await page.goto(base + rel, { waitUntil: 'load' }).catch((e) => { fail(`cannot load: ${e.message}`); });
  if (mode !== 'file' && response && response.status() >= 400 && rel !== '404.html') fail(`status ${response.status()}`);
  await page.close();
}
await browser.close();
if (server) server.close();
for (const f of failures) console.log(`FAIL ${f}`);
console.log(`SUMMARY ${mode}: ${list.length} pages, ${failures.length} failures`);
process.exit(failures.length ? 1 : 0);
