// What the layout, 404 and visual checks share: their arguments, a small static
// server for a built site (as a web server would serve it: `…/` is `…/index.html`,
// and a miss gets 404.html with status 404, as nginx's `error_page 404` does), the
// site's pages and the browser.
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

export function parseArgs() {
  return Object.fromEntries(
    process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
  );
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.svg': 'image/svg+xml',
  '.json': 'application/json', '.xml': 'application/xml', '.csv': 'text/csv', '.png': 'image/png' };

/** Serves `site` under `prefix` (`/` or `/okr/`); resolves to the base URL. */
export async function serveSite(site, prefix = '/') {
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = url.startsWith(prefix) ? path.join(site, url.slice(prefix.length)) : null;
    if (file && !file.startsWith(site)) file = null;
    if (file && fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!file || !fs.existsSync(file)) {
      res.writeHead(404, { 'content-type': TYPES['.html'] });
      return res.end(fs.readFileSync(path.join(site, '404.html')));
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${server.address().port}${prefix}` };
}

/** Every HTML page of a built site, as paths relative to it, sorted. */
export function sitePages(site, dir = site) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sitePages(site, p));
    else if (e.name.endsWith('.html')) out.push(path.relative(site, p).split(path.sep).join('/'));
  }
  return out.sort();
}

// A page's kind: its path with each id folder as `*` (`quarters/*/*/index.html`).
export function pageKind(rel) {
  const parts = rel.split('/');
  if (parts[0] === 'quarters' && parts.length === 3 && parts[2] === 'index.html') return 'quarters/*/index.html';
  if (parts[0] === 'quarters' && parts.length === 3) return `quarters/*/${parts[2]}`;
  if (parts[0] === 'quarters' && parts.length === 4) return 'quarters/*/*/index.html';
  if (['teams', 'metrics', 'tags'].includes(parts[0]) && parts.length >= 3) {
    return `${parts[0]}/*/${parts.slice(2).join('/').replace(/page\/\d+/, 'page/*')}`;
  }
  return rel.replace(/page\/\d+/, 'page/*');
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--font-render-hinting=none', '--hide-scrollbars'],
  });
}
