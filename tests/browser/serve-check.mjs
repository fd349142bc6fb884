// Live reload of `okrsite serve` in headless Chromium: eight tabs of one browser
// all load and all get an edit; a CSS edit is applied in place; an open tab
// reloads after the server restarts and the site is edited; an edit reloads the
// tabs of the pages it changed and no other.
//
//   node serve-check.mjs --okrsite BIN --root SITE [--epoch SOURCE_DATE_EPOCH] [--only CHECK]
//
// SITE is a copy of tests/fixtures/base that this script edits. It starts (and
// restarts) `okrsite serve` itself. Every check reports PASS or FAIL lines, and
// the last line counts the failures.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const okrsite = args.okrsite;
const root = path.resolve(args.root);
const epoch = args.epoch || '1761955200';

/// Page loads: the old server left the seventh tab waiting for 22 s.
const TAB_LOAD_LIMIT_MS = 2000;
/// Rebuilds, reloads and restarts: generous, a loaded CI machine is slow.
const REBUILD_LIMIT_MS = 30000;

const failures = [];
const fail = (check, what) => { failures.push(`${check}: ${what}`); console.log(`FAIL ${check}: ${what}`); };
const info = (check, what) => console.log(`     ${check}: ${what}`);
const pass = (check, what) => console.log(`PASS ${check}: ${what}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- the server ----------------------------------------------------------------

let server = null;

/// Starts `okrsite serve` and resolves with its URL once it prints `serving URL`.
/// A port just freed may still be refused for a moment: the start is retried.
async function startServer(port = 0) {
  const started = Date.now();
  for (;;) {
    try {
      return await startOnce(port);
    } catch (e) {
      if (port === 0 || Date.now() - started > 10000) throw e;
      await sleep(200);
    }
  }
}

function startOnce(port) {
  const child = spawn(okrsite, ['serve', '--port', String(port), '--root', root], {
    env: { ...process.env, SOURCE_DATE_EPOCH: epoch, NO_COLOR: '1', OKRSITE_LANG: 'en' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`okrsite serve did not start:\n${log}`)); }, 60000);
    child.stderr.on('data', (d) => {
      log += d;
      const m = log.match(/^serving (\S+)/m);
      if (m && !server) {
        clearTimeout(timer);
        server = { child, url: m[1], log: () => log };
        resolve(server);
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (server && server.child === child) server = null;
      reject(new Error(`okrsite serve exited (${code ?? signal}):\n${log}`));
    });
  });
}

/// Stops the server with SIGINT (Ctrl-C) and resolves with the milliseconds it took.
async function stopServer() {
  const { child } = server;
  const started = Date.now();
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGINT');
  const stopped = await Promise.race([exited.then(() => true), sleep(10000).then(() => false)]);
  server = null;
  if (!stopped) {
    child.kill('SIGKILL');
    await exited;
    throw new Error('okrsite serve did not stop within 10 s of SIGINT');
  }
  return Date.now() - started;
}

process.on('exit', () => { if (server) server.child.kill('SIGKILL'); });

/// The live-reload state: `{server, generation, pages, css}`.
async function liveState() {
  const res = await fetch(`${server.url}__okrsite/state`);
  if (res.status !== 200 || !(res.headers.get('content-type') || '').includes('json'))
    throw new Error(`__okrsite/state answered HTTP ${res.status} ${res.headers.get('content-type')}, not the live-reload state`);
  return res.json();
}

/// Waits for the server to tell tabs about a change past `generation`.
async function nextState(generation) {
  const started = Date.now();
  for (;;) {
    const state = await liveState();
    if (state.generation > generation) return state;
    if (Date.now() - started > REBUILD_LIMIT_MS) throw new Error(`no change past generation ${generation} within ${REBUILD_LIMIT_MS} ms`);
    await sleep(50);
  }
}

/// Records every message of the live-reload event stream (`__okrsite/events`)
/// until `stop()`.
function recordEvents() {
  const messages = [];
  const abort = new AbortController();
  const done = (async () => {
    const res = await fetch(`${server.url}__okrsite/events`, { signal: abort.signal });
    const decoder = new TextDecoder();
    let text = '';
    for await (const chunk of res.body) {
      text += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = text.indexOf('\n')) >= 0) {
        const line = text.slice(0, end);
        text = text.slice(end + 1);
        if (line.startsWith('data: ')) messages.push(JSON.parse(line.slice(6)));
      }
    }
  })().catch(() => {});
  return { messages, stop: () => { abort.abort(); return done; } };
}

// ---- the site ------------------------------------------------------------------

function edit(rel, from, to) {
  const file = path.join(root, rel);
  const text = fs.readFileSync(file, 'utf8');
  if (!(typeof from === 'string' ? text.includes(from) : from.test(text))) throw new Error(`${rel} does not contain ${from}`);
  fs.writeFileSync(file, text.replace(from, to));
}

// ---- the browser ---------------------------------------------------------------

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});

/// A tab that records its page errors and counts its own loads (a reload is one more).
async function openTab(context, check, rel) {
  const page = await context.newPage();
  page.on('pageerror', (e) => fail(check, `${rel}: page error: ${e.message}`));
  // serve sends `Content-Security-Policy: default-src 'self'`: the live reload (its
  // scripts, worker and event stream) and the pages must all keep to it.
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) fail(check, `${rel}: ${m.text()}`); });
  page.loads = 0;
  page.on('load', () => { page.loads += 1; });
  const started = Date.now();
  let response = null;
  try {
    response = await page.goto(server.url + rel, { waitUntil: 'load', timeout: 15000 });
  } catch (e) {
    fail(check, `${rel}: did not load: ${e.message.split('\n')[0]}`);
  }
  page.loadMs = Date.now() - started;
  if (response && response.status() !== 200) fail(check, `${rel}: HTTP ${response.status()}`);
  if (response && (await response.headerValue('content-security-policy')) !== "default-src 'self'")
    fail(check, `${rel}: no Content-Security-Policy: default-src 'self'`);
  return page;
}

/// Evaluates `fn` in the tab until it returns true (a reload in between is fine);
/// resolves with the milliseconds waited, or null after `limit`.
async function waitInTab(page, fn, arg, limit = REBUILD_LIMIT_MS) {
  const started = Date.now();
  while (Date.now() - started < limit) {
    try {
      if (await evaluate(page, fn, arg)) return Date.now() - started;
    } catch (e) { /* the page is reloading */ }
    await sleep(50);
  }
  return null;
}

/// `page.evaluate`, given up after `ms` (a tab still loading would hold it).
function evaluate(page, fn, arg, ms = 2000) {
  return Promise.race([page.evaluate(fn, arg), sleep(ms).then(() => { throw new Error(`no answer within ${ms} ms`); })]);
}
const setMarker = (page) => evaluate(page, () => { window.__okrsiteMarker = 1; }).catch(() => {});
const hasMarker = (page) => evaluate(page, () => window.__okrsiteMarker === 1).catch(() => false);
const showsText = (text) => document.body !== null && document.body.innerText.includes(text);

// ---- the checks ----------------------------------------------------------------

const EIGHT_PAGES = ['', 'quarters/', 'quarters/2025-Q3/', 'quarters/2025-Q3/product/', 'metrics/',
  'metrics/onboarding/', 'teams/', 'learnings/'];

/// Eight tabs of one browser: each loads within 2 s (one live-reload connection
/// for all, not one per tab), and each shows a later edit of the site title.
async function eightTabs() {
  const check = 'eight tabs';
  // The browser's first page starts its renderer, which is no cost of the server:
  // paid here, in a context (and so a worker) of its own.
  const warmUp = await browser.newContext();
  await (await warmUp.newPage()).goto(server.url, { waitUntil: 'load', timeout: 15000 }).catch(() => {});
  await warmUp.close();
  const context = await browser.newContext();
  const tabs = [];
  for (const rel of EIGHT_PAGES) {
    const page = await openTab(context, check, rel);
    tabs.push(page);
    if (page.loadMs > TAB_LOAD_LIMIT_MS) fail(check, `tab ${tabs.length} (/${rel}) took ${page.loadMs} ms to load (limit ${TAB_LOAD_LIMIT_MS} ms)`);
  }
  const times = `load times ${tabs.map((t) => t.loadMs).join(', ')} ms`;
  if (tabs.every((t) => t.loadMs <= TAB_LOAD_LIMIT_MS)) pass(check, times);
  else info(check, times);
  // Every tab's live reload is connected before the edit (its worker sent the state).
  await sleep(500);
  for (const page of tabs) await setMarker(page);
  const before = (await liveState()).generation;
  const started = Date.now();
  edit('okrsite.toml', 'title = "Fixture OKR"', 'title = "Fixture OKR 改"');
  const state = await nextState(before);
  info(check, `the server reported generation ${state.generation} after ${Date.now() - started} ms (pages: ${state.pages === null ? 'all' : state.pages.length})`);
  const waited = Date.now() - started;
  const waits = await Promise.all(tabs.map((page) => waitInTab(page, () => document.title.endsWith('Fixture OKR 改'))));
  let shown = 0;
  for (const [i, ms] of waits.entries()) {
    if (ms === null) fail(check, `tab ${i + 1} (/${EIGHT_PAGES[i]}) did not show the new title within ${REBUILD_LIMIT_MS} ms`);
    else if (await hasMarker(tabs[i])) fail(check, `tab ${i + 1} (/${EIGHT_PAGES[i]}) shows the new title without a reload`);
    else shown += 1;
  }
  if (shown === tabs.length) pass(check, `all ${shown} tabs reloaded with the edit, ${waited + Math.max(...waits)} ms after it at most`);
  await context.close();
}

/// A stylesheet edit: the open page takes the new style without reloading.
async function cssInPlace() {
  const check = 'css in place';
  const context = await browser.newContext();
  const page = await openTab(context, check, 'quarters/2025-Q3/product/');
  await sleep(500);
  await setMarker(page);
  const loads = page.loads;
  const links = () => document.querySelectorAll('link[rel~="stylesheet"]').length;
  const linksBefore = await page.evaluate(links);
  // The theme's stylesheet under its fingerprinted name, as the page links it.
  const href = await page.evaluate(() => document.querySelector('link[rel~="stylesheet"]').href);
  if (!/\/assets\/okrsite\.[0-9a-f]{16}\.css$/.test(href)) fail(check, `the stylesheet is not fingerprinted: ${href}`);
  const css = await (await fetch(href)).text();
  if (!css.includes('body')) fail(check, `${href} is not the theme stylesheet`);
  const before = (await liveState()).generation;
  // static/assets/okrsite.css replaces the theme's stylesheet (a folder created while serving).
  fs.mkdirSync(path.join(root, 'static/assets'), { recursive: true });
  const started = Date.now();
  fs.writeFileSync(path.join(root, 'static/assets/okrsite.css'), `${css}\nbody{outline:7px solid rgb(1,2,3)}\n`);
  const ms = await waitInTab(page, () => getComputedStyle(document.body).outlineColor === 'rgb(1, 2, 3)');
  const state = await liveState();
  if (ms === null) {
    fail(check, `the page did not take the new style within ${REBUILD_LIMIT_MS} ms (state: ${JSON.stringify(state)})`);
  } else if (!(await hasMarker(page)) || page.loads !== loads) {
    fail(check, `the page reloaded (${page.loads - loads} loads) instead of swapping its stylesheet (state: ${JSON.stringify(state)})`);
  } else {
    pass(check, `new style applied ${Date.now() - started} ms after the edit, no reload`);
  }
  // The site's own file under its name, and the theme's stylesheet it replaces under a new
  // fingerprinted one; no page counts as changed for the new name in its link.
  const renamed = state.css.some((f) => /^assets\/okrsite\.[0-9a-f]{16}\.css$/.test(f) && !href.endsWith(f));
  if (state.generation <= before || !state.css.includes('assets/okrsite.css') || !renamed || (state.pages && state.pages.length))
    fail(check, `expected a change of the stylesheet alone, the server reported ${JSON.stringify(state)}`);
  // The old stylesheet is dropped once the new one loaded: no duplicates pile up.
  const linksAfter = await waitInTab(page, (n) => document.querySelectorAll('link[rel~="stylesheet"]').length === n, linksBefore, 5000);
  if (linksAfter === null) fail(check, `${linksBefore} stylesheets before the edit, ${await page.evaluate(links)} after`);
  await context.close();
}

/// An edit reloads the tab of the page it changed, and not the tab of a page it
/// left as it was (the server names the changed pages).
async function onlyChangedPages() {
  const check = 'only changed pages reload';
  const context = await browser.newContext();
  const review = await openTab(context, check, 'quarters/2025-Q3/product/');
  const other = await openTab(context, check, 'metrics/signups/');
  await sleep(500);
  await setMarker(review);
  await setMarker(other);
  const otherLoads = other.loads;
  const before = (await liveState()).generation;
  const events = recordEvents();
  const started = Date.now();
  edit('content/2025-Q3/product.md', '完了率は61%。', '完了率は63%。');
  await nextState(before);
  const ms = await waitInTab(review, showsText, '完了率は63%。');
  if (ms === null) fail(check, `the review tab did not show the edit within ${REBUILD_LIMIT_MS} ms`);
  else if (await hasMarker(review)) fail(check, 'the review tab shows the edit without a reload');
  else pass(check, `the review tab reloaded ${Date.now() - started} ms after the edit`);
  // Both tabs got the same messages from the one worker; give the other a moment.
  await sleep(1500);
  await events.stop();
  const changes = events.messages.filter((m) => m.generation > before);
  info(check, `the server reported ${changes.map((m) => `${m.generation}: ${JSON.stringify(m.pages)}`).join('; ')}`);
  if (!changes.length) fail(check, `the event stream reported no change past generation ${before}`);
  if (!changes.some((m) => m.pages && m.pages.includes('quarters/2025-Q3/product/index.html')) ||
      changes.some((m) => m.pages === null || m.pages.includes('metrics/signups/index.html')))
    fail(check, 'the edit should change the review page and not metrics/signups/ (see the changes reported above)');
  if (!(await hasMarker(other)) || other.loads !== otherLoads) fail(check, 'the metrics/signups/ tab reloaded though its page did not change');
  else pass(check, 'the metrics/signups/ tab did not reload');
  await context.close();
}

/// The server stops and starts again on the same port; an edit made then
/// reaches a tab opened before the restart.
async function afterRestart() {
  const check = 'reload after restart';
  // A restarted server counts changes from 1 again: a tab that knows a higher
  // number must still reload (so the check holds whatever ran before it).
  for (let n = 1; (await liveState()).generation < 3; n += 1) {
    const before = (await liveState()).generation;
    edit('okrsite.toml', /title = "[^"]*"/, `title = "Fixture OKR ${n}"`);
    await nextState(before);
  }
  const context = await browser.newContext();
  const page = await openTab(context, check, 'quarters/2025-Q3/product/');
  await sleep(500);
  await setMarker(page);
  const { url } = server;
  const port = Number(new URL(url).port);
  const { server: oldId, generation: oldGeneration } = await liveState();
  const stopMs = await stopServer();
  info(check, `SIGINT stopped the server in ${stopMs} ms`);
  const restarted = Date.now();
  await startServer(port);
  if (server.url !== url) fail(check, `restarted at ${server.url}, not ${url}`);
  const state = await liveState();
  if (state.server === oldId) fail(check, `the restarted server has the same id ${oldId}`);
  info(check, `the tab knew change ${oldGeneration}, the restarted server is at ${state.generation}`);
  // A new server id alone reloads the tab; then the edit must reach it as well.
  const reloadMs = await waitInTab(page, () => window.__okrsiteMarker !== 1, null);
  info(check, reloadMs === null ? 'the tab did not reload on the restart itself' : `the tab reloaded ${Date.now() - restarted} ms after the restart began`);
  await sleep(300);
  const edited = Date.now();
  edit('content/2025-Q3/product.md', 'テンプレート体験が行動を誘発する', '再起動後の編集が届く');
  const ms = await waitInTab(page, showsText, '再起動後の編集が届く');
  if (ms === null) fail(check, `the open tab did not show the edit made after the restart within ${REBUILD_LIMIT_MS} ms (state: ${JSON.stringify(await liveState())})`);
  else pass(check, `the open tab showed the edit ${Date.now() - edited} ms after it`);
  await context.close();
}

const watchdog = setTimeout(() => {
  console.log('FAIL serve-check: gave up after 5 minutes');
  if (server) server.child.kill('SIGKILL');
  process.exit(2);
}, 300000);
watchdog.unref();

await startServer();
console.log(`serving ${server.url}`);
const checks = [eightTabs, cssInPlace, onlyChangedPages, afterRestart].filter((c) => !args.only || args.only === c.name);
for (const check of checks) {
  try {
    await check();
  } catch (e) {
    fail(check.name, `stopped: ${String(e.stack || e).split('\n').slice(0, 3).join('\n')}`);
  }
}
await browser.close();
if (server) await stopServer().catch((e) => fail('stop', e.message));
console.log(`SUMMARY serve: ${checks.length} checks, ${failures.length} failures`);
process.exit(failures.length ? 1 : 0);
