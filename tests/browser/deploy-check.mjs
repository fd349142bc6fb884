// The site as deployed: nginx serving it with the configuration of docs/deploy.md
// (started by the test browser::deployed_under_nginx_with_a_strict_csp). Loads a page of
// every kind, plus the search with a query and a URL three folders deep that does not
// exist, and checks on each:
//  - the response carries `Content-Security-Policy` with `default-src 'self'`, and the
//    page causes no violation of it (a `securitypolicyviolation` listener installed
//    before any script of the page, and Chromium's console);
//  - no console error, no page error, no failed request, no response >= 400 (but the
//    missing URL's own 404);
//  - every score bar is as wide as the score beside it (the filled rect's rendered width
//    over the bar's, against the score, within 1 px or 1 %);
//  - pages are sent with `Cache-Control: no-cache`; every file a page loads has a content
//    hash in its name and is sent with `max-age=31536000, immutable`.
// Then the headers of a few URLs no browser loads: a missing fingerprinted name and the
// output marker (404, no-cache), and a `.gz` beside a fingerprinted file (gzip_static).
//
//   node deploy-check.mjs --base http://127.0.0.1:PORT/okr/ --site DIR
//
// Prints one line per page and `SUMMARY: N pages, M bars, K failures`.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { parseArgs, sitePages, pageKind, launch } from './serve-site.mjs';

const args = parseArgs();
const base = args.base;
const site = path.resolve(args.site);
const CSP = "default-src 'self'";
const HASHED = /\.[0-9a-f]{8,}\.(css|js|svg)$/;
const IMMUTABLE = /max-age=31536000/;
const failures = [];

// One page of each kind the issue names, found in the built site; then one of every
// other kind, so a page type added later is covered too.
const NAMED = [
  ['dashboard', 'index.html'],
  ['quarter', 'quarters/*/index.html'],
  ['review', 'quarters/*/*/index.html'],
  ['team', 'teams/*/index.html'],
  ['metric', 'metrics/*/index.html'],
  ['learnings', 'learnings/index.html'],
  ['tag', 'tags/*/index.html'],
  ['search', 'search/index.html'],
];
const pages = sitePages(site).filter((p) => p !== '404.html');
const firstOfKind = new Map();
for (const p of pages) if (!firstOfKind.has(pageKind(p))) firstOfKind.set(pageKind(p), p);
const url = (rel) => base + rel.replace(/index\.html$/, '');
const visits = [];
for (const [label, kind] of NAMED) {
  const rel = firstOfKind.get(kind);
  if (!rel) { failures.push(`${label}: no page of kind ${kind} in the site`); continue; }
  visits.push({ label, url: url(rel) + (label === 'search' ? '?q=' + encodeURIComponent('価格') : '') });
  firstOfKind.delete(kind);
}
for (const [kind, rel] of firstOfKind) visits.push({ label: kind, url: url(rel) });
visits.push({ label: '404', url: `${base}a/b/c/`, status: 404 });

// Installed before any script of a page: collects what the policy blocked.
const RECORD_VIOLATIONS = () => {
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber} ${e.sample || ''}`);
  });
};

// Every visible score bar: its filled width over its track, and the score printed beside
// it (the `.score` of its score line, or the score cell of its table row).
const MEASURE_BARS = () => [...document.querySelectorAll('.bar')].map((bar) => {
  const track = bar.getBoundingClientRect();
  const rect = bar.querySelector('rect');
  const holder = bar.closest('.scoreline, tr');
  const score = holder && holder.querySelector('.score, td.num');
  return {
    where: (holder ? holder.textContent : bar.outerHTML).replace(/\s+/g, ' ').trim().slice(0, 60),
    track: track.width,
    filled: rect ? rect.getBoundingClientRect().width : null,
    score: score ? score.textContent.trim() : null,
  };
}).filter((b) => b.track > 0);

const assets = new Map(); // URL of each file the pages load → its Cache-Control

async function visit(browser, { label, url: target, status = 200 }) {
  const started = Date.now();
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const fail = (what) => failures.push(`${label} (${target}): ${what}`);
  await page.addInitScript(RECORD_VIOLATIONS);
  page.on('console', (m) => { if (m.type() === 'error' && !(status === 404 && m.text().includes('404'))) fail(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => fail(`page error: ${e.message}`));
  page.on('requestfailed', (r) => fail(`request failed: ${r.url()} (${r.failure().errorText})`));
  page.on('response', (r) => {
    if (r.url() === target) return;
    if (r.status() >= 400) fail(`HTTP ${r.status()}: ${r.url()}`);
    else if (r.request().resourceType() !== 'document') assets.set(r.url(), r.headers()['cache-control'] || '');
  });
  const response = await page.goto(target, { waitUntil: 'load' });
  const headers = await response.allHeaders();
  if (response.status() !== status) fail(`HTTP ${response.status()}, want ${status}`);
  if (!(headers['content-security-policy'] || '').includes(CSP)) fail(`Content-Security-Policy is ${JSON.stringify(headers['content-security-policy'])}, want ${CSP}`);
  if (headers['cache-control'] !== 'no-cache') fail(`page Cache-Control is ${JSON.stringify(headers['cache-control'])}, want no-cache`);
  if (label === 'search') await searchResults(page, fail);
  await page.waitForLoadState('networkidle');
  const violations = await page.evaluate(() => window.__cspViolations);
  for (const v of violations) fail(`CSP violation: ${v}`);
  const bars = await page.evaluate(MEASURE_BARS);
  for (const b of bars) checkBar(b, fail);
  if (status === 404) await notFoundPage(page, fail);
  console.log(`${label.padEnd(24)} ${target.slice(base.length) || '/'}: HTTP ${response.status()}, ${violations.length} CSP violations, ${bars.length} bars (${Date.now() - started} ms)`);
  await page.close();
  return bars.length;
}

function checkBar(b, fail) {
  const score = b.score === null ? NaN : Number(b.score.replace(/[^0-9.]/g, ''));
  if (Number.isNaN(score)) return fail(`a score bar with no score beside it: ${b.where}`);
  if (b.filled === null) return fail(`a score bar with no filled rect: ${b.where}`);
  const want = Math.min(Math.max(score, 0), 1) * b.track;
  if (Math.abs(b.filled - want) > Math.max(1, 0.01 * b.track)) {
    fail(`score bar ${b.filled.toFixed(1)} of ${b.track.toFixed(1)} px, want ${want.toFixed(1)} for score ${b.score}: ${b.where}`);
  }
}

async function searchResults(page, fail) {
  try {
    await page.waitForFunction(() => document.querySelectorAll('#results li').length > 0, null, { timeout: 10000 });
  } catch {
    fail(`no search results for 価格 (status: ${await page.textContent('#search-status').catch(() => '?')})`);
  }
}

// The not-found page at depth: styled (its stylesheet loaded) and every link resolving.
async function notFoundPage(page, fail) {
  const state = await page.evaluate(() => ({
    rules: [...document.styleSheets].reduce((n, s) => { try { return n + s.cssRules.length; } catch { return n; } }, 0),
    urls: [...new Set([
      ...[...document.querySelectorAll('a[href]:not([href^="#"])')].map((a) => a.href),
      ...[...document.querySelectorAll('link[href]')].map((l) => l.href),
      ...[...document.querySelectorAll('script[src]')].map((s) => s.src),
      ...[...document.querySelectorAll('form[action]')].map((f) => f.action),
    ].map((u) => u.split('#')[0]))],
  }));
  if (state.rules === 0) fail('the 404 page is not styled: no stylesheet rules loaded');
  if (state.urls.length < 5) fail(`the 404 page has only ${state.urls.length} links`);
  for (const u of state.urls) {
    if (!u.startsWith(base)) { fail(`404 page: link outside the site: ${u}`); continue; }
    const r = await page.request.get(u);
    if (r.status() !== 200) fail(`404 page: link ${u}: HTTP ${r.status()}`);
  }
}

// A request made with Node's http, so no browser or client adds or decodes anything.
function head(target, headers = {}) {
  return new Promise((resolve, reject) => {
    http.request(target, { method: 'HEAD', headers }, (res) => { res.resume(); resolve(res); }).on('error', reject).end();
  });
}

async function headerChecks() {
  const expect = async (rel, headers, want) => {
    const res = await head(base + rel, headers);
    const got = { status: res.statusCode, 'cache-control': res.headers['cache-control'], 'content-encoding': res.headers['content-encoding'] };
    for (const [k, v] of Object.entries(want)) {
      if (!(v instanceof RegExp ? v.test(String(got[k])) : got[k] === v)) failures.push(`${rel}: ${k} is ${JSON.stringify(got[k])}, want ${v}`);
    }
    if (!(res.headers['content-security-policy'] || '').includes(CSP)) failures.push(`${rel}: no CSP header`);
  };
  // A fingerprinted name not in the site: a 404 that no cache may keep for a year.
  await expect('assets/okrsite.0123456789abcdef.css', {}, { status: 404, 'cache-control': 'no-cache' });
  await expect('.okrsite-output', {}, { status: 404, 'cache-control': 'no-cache' });
  // gzip_static, when the build wrote .gz files (okrsite build --compress).
  const gz = sitePagesOf(site, /\.[0-9a-f]{8,}\.css\.gz$/)[0];
  if (gz) {
    await expect(gz.replace(/\.gz$/, ''), { 'accept-encoding': 'gzip' }, { status: 200, 'content-encoding': 'gzip', 'cache-control': IMMUTABLE });
    console.log(`gzip_static: ${gz}`);
  } else console.log('gzip_static: not checked (no fingerprinted .css.gz in the site: built without --compress)');
}

function sitePagesOf(dir, pattern, rel = '') {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) return sitePagesOf(dir, pattern, r);
    return pattern.test(e.name) ? [r] : [];
  });
}

const browser = await launch();
// Two pages at a time: part of a visit is waiting for the network to go quiet.
let bars = 0;
const queue = [...visits];
const worker = async () => {
  for (let v; (v = queue.shift());) {
    const measured = await visit(browser, v);
    bars += measured;
  }
};
await Promise.all([worker(), worker()]);
await browser.close();
if (bars === 0) failures.push('no score bar measured on any page');
// Every file the pages loaded: fingerprinted, and cached for a year.
for (const [u, cacheControl] of [...assets].sort()) {
  const rel = u.startsWith(base) ? u.slice(base.length) : u;
  if (!HASHED.test(new URL(u).pathname)) failures.push(`${rel}: no content hash in the name (it cannot be cached for a year)`);
  else if (!IMMUTABLE.test(cacheControl) || !cacheControl.includes('immutable')) failures.push(`${rel}: Cache-Control ${JSON.stringify(cacheControl)}, want max-age=31536000, immutable`);
}
console.log(`${assets.size} files loaded by the pages`);
await headerChecks();
for (const f of failures) console.log(`FAIL ${f}`);
console.log(`SUMMARY: ${visits.length} pages, ${bars} bars, ${failures.length} failures`);
process.exit(failures.length ? 1 : 0);
