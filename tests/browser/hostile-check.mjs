// Opens every HTML page of the built hostile fixture (tests/fixtures/hostile) in
// headless Chromium and fails on any dialog (alert/confirm/prompt/print), console
// error, page error, or element that content could have created to run script: a
// <script> that is not the theme's, any on* attribute, a javascript:/data: URL, an
// iframe/object/embed/base/style/meta refresh. Then runs hostile searches on
// search/index.html and checks that results render as text.
//
//   node hostile-check.mjs --site DIR --mode root|subpath|file
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const site = path.resolve(args.site);
const mode = args.mode || 'root';
const prefix = mode === 'subpath' ? '/okr/' : '/';
const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.svg': 'image/svg+xml',
  '.json': 'application/json', '.xml': 'application/xml', '.csv': 'text/csv' };

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
      let url;
      try { url = decodeURIComponent(new URL(req.url, 'http://x').pathname); } catch { res.writeHead(400); return res.end(); }
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

// Runs in every page before its own scripts: every dialog-like call is recorded (the
// dialog event catches alert/confirm/prompt too), and so is every element added later.
function instrument() {
  window.__hostile = { calls: [], added: [] };
  for (const name of ['alert', 'confirm', 'prompt', 'print', 'open']) {
    const original = window[name];
    window[name] = function (...a) { window.__hostile.calls.push(`${name}(${a.map(String).join(', ')})`); return original && name !== 'open' && name !== 'print' ? original.apply(this, a) : null; };
  }
  // Elements the parser makes are audited after load; this sees what scripts add later.
  let loaded = false;
  const observer = new MutationObserver((records) => {
    if (!loaded) return;
    for (const r of records) for (const n of r.addedNodes) if (n.nodeType === 1) window.__hostile.added.push(n.outerHTML.slice(0, 200));
  });
  observer.observe(document, { childList: true, subtree: true });
  document.addEventListener('DOMContentLoaded', () => { observer.takeRecords(); loaded = true; });
}

// Runs in the page: what content could have created.
function audit() {
  const problems = [];
  // The theme's search.js, and the index files it loads by their hashed names
  // (from the manifest the page names, relative to the site root).
  const theme = location.pathname.endsWith('/search/index.html')
    ? /^((\.\.\/)+assets\/search\.[0-9a-f]{16}\.js|(\.\.\/)+search\/(meta\.[0-9a-f]{16}|t\/[\w-]+\.[0-9a-f]{8}|s\/[\w-]+(\/\d+)?\.[0-9a-f]{8}|d\/[\w-]+\/[\w-]+\.[0-9a-f]{8})\.js)$/
    : /^$ never/;
  // On every page the team picker's script and the team list it loads on focus; on the
  // pages with the team table (dashboard, quarter pages) its filter, teams.js.
  const everywhere = /^(\.\.\/)*assets\/(picker|team-index)\.[0-9a-f]{16}\.js$/;
  const teamsPage = document.querySelector('.team-units') !== null;
  const tableScript = /^(\.\.\/)*assets\/teams\.[0-9a-f]{16}\.js$/;
  const bad = (u) => /^(javascript|vbscript|livescript|data):/i.test(String(u).replace(/[\u0000-\u0020]/g, ''));
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    const desc = el.outerHTML.slice(0, 160);
    for (const a of el.getAttributeNames()) {
      if (/^on/i.test(a)) problems.push(`event handler ${a} on <${tag}>: ${desc}`);
      if (/^(href|src|action|formaction|xlink:href|poster|background|data|srcset|ping|cite)$/i.test(a) && bad(el.getAttribute(a))) {
        problems.push(`${a}=${el.getAttribute(a)} on <${tag}>`);
      }
      if (a === 'style' && /url\s*\(|expression\s*\(/i.test(el.getAttribute(a))) problems.push(`style with url() on <${tag}>: ${desc}`);
    }
    if (tag === 'script') {
      const src = el.getAttribute('src') || '';
      if (!(theme.test(src) || everywhere.test(src) || (teamsPage && tableScript.test(src))) || el.textContent.trim() !== '') problems.push(`script not from the theme: ${desc}`);
    }
    if (['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'style', 'portal', 'template', 'textarea', 'math'].includes(tag)) {
      problems.push(`<${tag}> from content: ${desc}`);
    }
    if (tag === 'meta' && el.hasAttribute('http-equiv')) problems.push(`meta http-equiv: ${desc}`);
    if (tag === 'link' && !['canonical', 'icon', 'stylesheet', 'alternate'].includes(el.getAttribute('rel'))) problems.push(`link: ${desc}`);
    // (The team table's filter, which teams.js adds, submits nowhere: no action.)
    const filterForm = el.classList.contains('team-filter') && !el.hasAttribute('action');
    if (tag === 'form' && !filterForm && !/(^|\/)(search\/|teams\/)?index\.html$/.test(el.getAttribute('action') || '')) problems.push(`form: ${desc}`);
    if ((tag === 'a' || tag === 'area') && el.href && bad(el.href)) problems.push(`link to ${el.href}`);
    if (['svg'].includes(tag) && el.querySelector('script, foreignObject, animate, set, use, a')) problems.push(`svg with active content: ${desc}`);
  }
  return { problems, calls: window.__hostile.calls, added: window.__hostile.added, title: document.title };
}

const failures = [];
const notes = [];
const server = mode === 'file' ? null : await serve();
const base = mode === 'file' ? `file://${site}/` : `http://127.0.0.1:${server.address().port}${prefix}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext();
await context.addInitScript(instrument);

// Images named by content (`<img src=x>` survives sanitising without its handler)
// may fail to load: that is not script, so such failures are only counted.
function watch(page, rel) {
  const fail = (what) => failures.push(`${rel}: ${what}`);
  const contentImages = new Set();
  page.on('dialog', async (d) => { fail(`dialog ${d.type()}: ${d.message()}`); await d.dismiss().catch(() => {}); });
  page.on('pageerror', (e) => fail(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    if (r.resourceType() === 'image' && !r.url().includes('/assets/')) { contentImages.add(r.url()); notes.push(`${rel}: image from content did not load: ${r.url()}`); }
    else fail(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() < 400) return;
    if (r.request().resourceType() === 'image' && !r.url().includes('/assets/')) { contentImages.add(r.url()); notes.push(`${rel}: image from content: HTTP ${r.status()} ${r.url()}`); }
    else if (!(rel === '404.html' && r.request().resourceType() === 'document')) fail(`HTTP ${r.status()}: ${r.url()}`);
  });
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const url = m.location()?.url || '';
    if (/^Failed to load resource/.test(m.text()) && contentImages.has(url)) return;
    if (/^Failed to load resource/.test(m.text()) && /\/x$/.test(url)) { notes.push(`${rel}: ${m.text()} ${url}`); return; }
    fail(`console error: ${m.text()} ${url}`);
  });
  page.on('popup', (p) => fail(`a popup opened: ${p.url()}`));
  return fail;
}

// Not 404.html (no content of the site's in it; its root-absolute links need the site
// served at its base_url: notfound-check.mjs).
const list = pages(site).filter((rel) => rel !== '404.html');
for (const rel of list) {
  const page = await context.newPage();
  const fail = watch(page, rel);
  await page.goto(base + rel, { waitUntil: 'load' }).catch((e) => fail(`cannot load: ${e.message}`));
  // Hover and focus everything once: a handler that slipped through would fire.
  await page.evaluate(() => {
    // (Chart internals are skipped: the audit below checks their attributes.)
    for (const el of document.querySelectorAll('body *:not(svg *)')) {
      for (const type of ['mouseover', 'mouseenter', 'focus', 'focusin', 'toggle', 'animationstart']) {
        el.dispatchEvent(new Event(type, { bubbles: true }));
      }
    }
  }).catch((e) => fail(`cannot hover: ${e.message}`));
  await page.waitForTimeout(50);
  const r = await page.evaluate(audit).catch((e) => ({ problems: [`audit failed: ${e.message}`], calls: [], added: [] }));
  for (const p of r.problems) fail(p);
  for (const c of r.calls) fail(`called ${c}`);
  // The picker adds its list box and loads the team list when it gets focus.
  const pickerAdded = (a) => /^<script src="(\.\.\/)*assets\/team-index\.[0-9a-f]{16}\.js"><\/script>$/.test(a) || /^<[a-z]+ [^>]*class="picker-/.test(a);
  if (rel !== 'search/index.html') for (const a of r.added.filter((a) => !pickerAdded(a))) fail(`element added after load: ${a}`);
  const now = decodeURI(page.url());
  if (now !== base + rel && !now.startsWith(base + rel + '?')) fail(`navigated away to ${now}`);
  await page.close();
}

// Searches for hostile text: results are text, nothing runs, nothing is created but
// the search's own elements.
async function search(page, q) {
  await page.fill('#q', q);
  await page.waitForFunction(() => {
    const s = document.getElementById('search-status').textContent;
    return s !== '' ? !/…$/.test(s) : document.getElementById('results').children.length === 0;
  }, null, { timeout: 10000 });
  await page.waitForTimeout(30);
  return page.evaluate(() => {
    const results = document.getElementById('results');
    const tags = new Set(Array.from(results.querySelectorAll('*')).map((e) => e.tagName));
    return {
      count: results.children.length,
      text: results.textContent,
      tags: Array.from(tags),
      hrefs: Array.from(results.querySelectorAll('a')).map((a) => a.href),
      status: document.getElementById('search-status').textContent,
    };
  });
}

{
  const rel = 'search/index.html';
  const page = await context.newPage();
  const fail = watch(page, `${rel} (searches)`);
  await page.goto(base + rel);
  await page.waitForFunction(() => window.okrsiteSearchReady === true, null, { timeout: 10000 });
  // [query, text that must be in the results as text (or null: just run it)]
  const queries = [
    ['onerror', "<img src=x onerror=alert('learning-img')> raw html in a learning"],
    ['alert', "<script>alert('learning-code')</script> in code"],
    ['<script>', "<script>alert('learning-code')</script>"],
    ['</script><!--', '<!-- ]]> breakers'],
    ['svg onload', "<svg onload=alert('decision')> keep it text"],
    ['{{ config }}', 'learning link and {{ config }}'],
    ['{% raw %}', 'literal {% raw %} and {% endraw %}'],
    // Emoji are not letters or digits, so they are not indexed: the search just says nothing.
    ['👨‍👩‍👧‍👦', null],
    ['emoji combining', 'emoji 👨‍👩‍👧‍👦 and 🏳️‍🌈'],
    ['مرحبا', 'مرحبا بالعالم'],
    ['שלום', 'שלום'],
    ['Z̷a̸l̶g̴o̵', 'Z̷a̸l̶g̴o̵'],
    ['e\u0301', null],
    ['\u202eoverride', null],
    ['javascript:alert', null],
    ['"><img src=x onerror=alert(1)>', null],
    ['検索 target', 'hostile search target onerror alert script'],
  ];
  for (const [q, want] of queries) {
    const r = await search(page, q);
    const allowed = ['LI', 'A', 'SPAN', 'P', 'MARK'];
    const extra = r.tags.filter((t) => !allowed.includes(t));
    if (extra.length) fail(`search ${JSON.stringify(q)}: elements ${extra.join(', ')} in the results`);
    if (r.hrefs.some((h) => !/^(https?|file):/.test(h))) fail(`search ${JSON.stringify(q)}: result links ${r.hrefs.join(' ')}`);
    if (want !== null && !r.text.includes(want)) fail(`search ${JSON.stringify(q)}: ${JSON.stringify(want)} not shown as text (${r.count} results: ${r.text.slice(0, 200)})`);

  }
  // Every hostile tag is a filter choice, shown as text, and filters results.
  const options = await page.$$eval('#f-tag option', (os) => os.map((o) => [o.value, o.textContent]));
  for (const t of ["<b onmouseover=alert('tag')>tag</b>", '</script><!--', '👨‍👩‍👧‍👦', 'שלום', "javascript:alert('tag')"]) {
    if (!options.some(([v, label]) => v === t && label === '#' + t)) fail(`tag filter lacks ${JSON.stringify(t)}`);
  }
  await page.fill('#q', '');
  await page.selectOption('#f-tag', "<b onmouseover=alert('tag')>tag</b>");
  await page.waitForFunction(() => document.getElementById('results').children.length > 0, null, { timeout: 10000 })
    .catch(() => fail('the hostile tag filter finds nothing'));
  const audited = await page.evaluate(audit);
  for (const p of audited.problems) fail(`after searching: ${p}`);
  for (const c of audited.calls) fail(`after searching: called ${c}`);
  await page.close();
}

{
  // A query in the URL is reflected into the page as text only.
  const page = await context.newPage();
  const fail = watch(page, 'search/index.html?q=…');
  const q = `"><img src=x onerror=alert('url')><script>alert('url')</script>`;
  const url = mode === 'file' ? `${base}search/index.html?q=${encodeURIComponent(q)}` : `${base}search/index.html?q=${encodeURIComponent(q)}`;
  await page.goto(url);
  await page.waitForFunction(() => window.okrsiteSearchReady === true, null, { timeout: 10000 });
  await page.waitForTimeout(300);
  if ((await page.inputValue('#q')) !== q) fail('the query from the URL is not in the box as text');
  const r = await page.evaluate(audit);
  for (const p of r.problems) fail(p);
  for (const c of r.calls) fail(`called ${c}`);
  if (await page.locator('#results img, #results script, #search-status *').count()) fail('an element was created from the URL');
  await page.close();
}

await browser.close();
if (server) server.close();
for (const f of failures) console.log(`FAIL ${f}`);
console.log(`notes: ${notes.length} content images did not load (expected: the hostile site names src=x)`);
console.log(`SUMMARY hostile ${mode}: ${list.length} pages, ${failures.length} failures`);
process.exit(failures.length ? 1 : 0);
