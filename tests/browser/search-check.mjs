// Real-browser checks of the search page of a built site.
//
//   node search-check.mjs --site DIR --mode root|subpath|file [--hostile DIR]
//   node search-check.mjs --site DIR --mode root --english 1   (an English site)
//
// Japanese queries pasted and typed through an IME, English, one character, no hit,
// filters, a shared URL, recall/precision against a brute-force scan of every
// document, and (with --hostile) that hostile text shows as text and runs nothing.
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const mode = args.mode || 'root';
const failures = [];
const fail = (m) => failures.push(m);
const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.svg': 'image/svg+xml' };

function serve(site, prefix) {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (!url.startsWith(prefix)) { res.writeHead(404); return res.end(); }
      let file = path.join(site, url.slice(prefix.length));
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
      if (!fs.existsSync(file)) { res.writeHead(404); return res.end(); }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      fs.createReadStream(file).pipe(res);
    });
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

async function open(browser, site, query = '') {
  const prefix = mode === 'subpath' ? '/okr/' : '/';
  let server = null;
  let base;
  if (mode === 'file') base = `file://${path.resolve(site)}/`;
  else { server = await serve(path.resolve(site), prefix); base = `http://127.0.0.1:${server.address().port}${prefix}`; }
  const page = await browser.newPage();
  page.on('console', (m) => { if (m.type() === 'error') fail(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => fail(`page error: ${e.message}`));
  page.on('dialog', async (d) => { fail(`dialog opened: ${d.message()}`); await d.dismiss(); });
  await page.goto(`${base}search/index.html${query}`);
  await page.waitForFunction(() => window.okrsiteSearchReady === true, null, { timeout: 10000 });
  return { page, close: async () => { await page.close(); if (server) server.close(); } };
}

const results = (page) => page.locator('#results li');
async function settle(page) {
  await page.waitForFunction(() => {
    const s = document.getElementById('search-status').textContent;
    return s && !/…$/.test(s);
  }, null, { timeout: 10000 });
}

async function typeAndCount(page, q) {
  await page.fill('#q', q);
  await settle(page);
  return results(page).count();
}

// Every document, read from disk, and the truth for a query: all parts appear.
// Documents are keyed `<quarter>/<file name>/<position in its file>`, as searchAll
// names them: one file per retrospective, `okrsiteSearch.docs(q, name, [docs…]);`.
function allDocs(site) {
  const root = path.join(site, 'search/d');
  const docs = {};
  for (const dir of fs.readdirSync(root)) {
    for (const f of fs.readdirSync(path.join(root, dir))) {
      const js = fs.readFileSync(path.join(root, dir, f), 'utf8');
      const inner = /^okrsiteSearch\.docs\(([\s\S]*)\);\n$/.exec(js)[1];
      const [q, name, list] = JSON.parse('[' + inner + ']');
      list.forEach((d, i) => { docs[`${q}/${name}/${i}`] = d; });
    }
  }
  return docs;
}
const norm = (s) => s.normalize('NFKC').toLowerCase();
// The search's promise: a part appears in the text; a part starting with a letter or
// digit that is not Japanese must start a word ("cs" is in "CS", not in "docs").
const isCjk = (cp) => (cp >= 0x3000 && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF) || (cp >= 0x3400 && cp <= 0x4DBF)
  || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x20000 && cp <= 0x2FA1F);
const isWord = (ch) => ch !== undefined && /[\p{Alphabetic}\p{N}]/u.test(ch) && !isCjk(ch.codePointAt(0));
function occurs(hay, part) {
  const chars = Array.from(hay);
  const p = Array.from(part);
  for (let i = 0; i + p.length <= chars.length; i++) {
    if (p.every((c, k) => chars[i + k] === c) && !(isWord(p[0]) && isWord(chars[i - 1]))) return true;
  }
  return false;
}
function truth(docs, q) {
  const parts = norm(q).split(/\s+/).filter((p) => /[\p{Alphabetic}\p{N}]/u.test(p));
  return Object.keys(docs).filter((n) => {
    const d = docs[n];
    const hay = norm([d.title, d.text, d.team_name, d.quarter_label, d.tags.join(' ')].join('\n'));
    return parts.every((p) => occurs(hay, p));
  }).sort();
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

if (args.english) {
  // An English site (tests/fixtures/english): the exact count in words, singular for
  // one result; snippets without `#tag` markup (the tags are the meta line's).
  const docs = allDocs(args.site);
  const { page, close } = await open(browser, args.site);
  const form = await page.$eval('#search-form', (f) => [f.dataset.count, f.dataset.countOne]);
  const sizes = new Set();
  for (const q of ['frozen', 'slipped', 'guess', 'runbook', 'champion', 'pricing', 'trials', 'caching', 'sales']) {
    const want = truth(docs, q).length;
    if (want === 0) continue;
    await page.fill('#q', q);
    await settle(page);
    const words = ((want === 1 && form[1]) || form[0]).replace('{n}', String(want));
    const status = await page.textContent('#search-status');
    if (status !== words) fail(`${q}: the status says "${status}", want "${words}"`);
    if (want === 1 && !/^1 result$/.test(status)) fail(`${q}: one result is not "1 result": ${status}`);
    sizes.add(want === 1 ? 'one' : 'other');
    const snippets = await page.$$eval('#results .snippet', (els) => els.map((e) => e.textContent));
    for (const s of snippets) if (/(^|\s)#[\p{L}\p{N}_-]/u.test(s)) fail(`${q}: a snippet shows #tag markup: ${s}`);
  }
  if (sizes.size !== 2) fail(`the queries did not cover one and several results: ${[...sizes]}`);
  await close();
  await browser.close();
  for (const f of failures) console.log(`FAIL ${f}`);
  console.log(`SUMMARY search english: ${failures.length} failures`);
  process.exit(failures.length ? 1 : 0);
}

{
  const { page, close } = await open(browser, args.site);
  // Pasted Japanese.
  const n = await typeAndCount(page, '価格');
  if (n < 1) fail('価格 (paste): no result');
  const marks = await page.locator('#results mark').count();
  if (marks < 1) fail('価格: no highlighted match');
  // English, one character, nothing.
  if (await typeAndCount(page, 'pricing') < 1) fail('pricing: no result');
  if (await typeAndCount(page, '動') < 1) fail('動 (one character): no result');
  if (await typeAndCount(page, 'zzqqxxkk') !== 0) fail('zzqqxxkk: should have no result');
  const none = await page.textContent('#search-status');
  if (!none.includes('zzqqxxkk')) fail(`no-hit message does not name the query: ${none}`);
  // Filters narrow.
  const all = await typeAndCount(page, '価格');
  const team = await page.$eval('#f-team option:nth-child(3)', (o) => [o.value, o.textContent]);
  await page.selectOption('#f-team', team[0]);
  await settle(page);
  const metas = await page.$$eval('#results .meta', (els) => els.map((e) => e.textContent));
  if (metas.some((m) => !m.startsWith(team[1]))) fail(`team filter ${team[0]}: other teams in results`);
  if (metas.length > all) fail('team filter widened the results');
  await page.selectOption('#f-team', '');
  const firstTag = await page.$eval('#f-tag option:nth-child(2)', (o) => o.value);
  await page.selectOption('#f-tag', firstTag);
  await page.fill('#q', '');
  await settle(page);
  if (await results(page).count() < 1) fail(`tag filter #${firstTag} alone: no result`);
  const url = page.url();
  if (!/tag=/.test(url) && mode !== 'file') fail(`the filter is not kept in the URL: ${url}`);
  // Recall and precision over a labelled query set: the labels are a brute-force scan.
  const docs = allDocs(args.site);
  const queries = ['価格', '価格改定', 'オンボーディング', 'テンプレート', '動画', '解約', '招待', '比較表', 'チェックイン', '営業',
    '商談', 'SSO', 'sso', 'ＳＳＯ', 'pricing', 'price', 'onb', 'NPS', 'API', '定義', '学び', '率', '動', 'の', '顧客 価格',
    '価格 不安', 'KR', '2025', '60秒', 'ｵﾝﾎﾞｰﾃﾞｨﾝｸﾞ', 'トライアル', '年払い', '管理者', 'zzqqxxkk', 'ウェビナー', 'CS'];
  let tp = 0, fp = 0, fn = 0;
  for (const q of queries) {
    const want = truth(docs, q);
    const got = await page.evaluate((q) => window.okrsiteSearch.searchAll({ q }), q);
    const w = new Set(want), g = new Set(got);
    tp += got.filter((x) => w.has(x)).length;
    fp += got.filter((x) => !w.has(x)).length;
    fn += want.filter((x) => !g.has(x)).length;
    if (process.env.DEBUG && want.some((x) => !g.has(x))) console.log("missed", q, want.filter((x) => !g.has(x)).slice(0, 3).map((n) => JSON.stringify(docs[n]).slice(0, 300)));
  }
  const precision = tp / Math.max(1, tp + fp), recall = tp / Math.max(1, tp + fn);
  console.log(`labelled queries: ${queries.length}, precision ${precision.toFixed(4)}, recall ${recall.toFixed(4)} (${tp} hits)`);
  if (precision < 0.98 || recall < 0.98) fail(`precision ${precision} / recall ${recall} below 0.98`);
  await close();
}

{
  // Through an IME: kana composed, then committed as kanji.
  const { page, close } = await open(browser, args.site);
  await page.focus('#q');
  const cdp = await page.context().newCDPSession(page);
  const kana = 'かかく';
  for (let i = 1; i <= kana.length; i++) {
    await cdp.send('Input.imeSetComposition', { text: kana.slice(0, i), selectionStart: i, selectionEnd: i });
  }
  await cdp.send('Input.insertText', { text: '価格' });
  await settle(page);
  if (await results(page).count() < 1) fail('価格 (IME): no result');
  await close();
}

{
  // A shared URL opens with its results.
  const { page, close } = await open(browser, args.site, '?q=' + encodeURIComponent('オンボーディング'));
  await settle(page);
  if (await results(page).count() < 1) fail('?q=オンボーディング: no result');
  if ((await page.inputValue('#q')) !== 'オンボーディング') fail('the query from the URL is not in the box');
  await close();
}

{
  // The exact number of results, however many more than a page there are, and the
  // filters kept in the URL: a shared link opens with the same filters and results.
  const docs = allDocs(args.site);
  const { page, close } = await open(browser, args.site);
  const countText = await page.$eval('#search-form', (f) => f.dataset.count);
  const exact = (n) => countText.replace('{n}', String(n));
  for (const q of ['の', '学び', '価格']) {
    await page.fill('#q', q);
    await settle(page);
    const want = truth(docs, q).length;
    const status = await page.textContent('#search-status');
    if (want > 0 && status !== exact(want)) fail(`${q}: the status says "${status}", want exactly ${want} (${exact(want)})`);
    if (want > 10) console.log(`exact count beyond one page: ${q} → ${status}`);
  }
  const tag = await page.$eval('#f-tag option:nth-child(2)', (o) => o.value);
  await page.fill('#q', '');
  await page.selectOption('#f-tag', tag);
  await settle(page);
  const tagged = Object.values(docs).filter((d) => d.tags.some((t) => norm(t) === norm(tag))).length;
  if ((await page.textContent('#search-status')) !== exact(tagged)) fail(`tag ${tag} alone: not exactly ${tagged}`);
  const team = await page.$eval('#f-team option:nth-child(2)', (o) => o.value);
  await page.selectOption('#f-team', team);
  await page.fill('#q', '学び');
  await settle(page);
  const status = await page.textContent('#search-status');
  const shown = await results(page).count();
  if (mode !== 'file') {
    const p = new URL(page.url()).searchParams;
    if (p.get('q') !== '学び' || p.get('team') !== team || p.get('tag') !== tag) fail(`the URL does not hold the filters: ${page.url()}`);
    if (!new URL(page.url()).pathname.endsWith('search/index.html')) fail(`the URL left the page: ${page.url()}`);
  }
  await close();
  // Opened from a shared link, the tag spelled in another case.
  const shared = `?q=${encodeURIComponent('学び')}&team=${encodeURIComponent(team)}&tag=${encodeURIComponent(tag.toUpperCase())}`;
  const again = await open(browser, args.site, shared);
  await settle(again.page);
  if ((await again.page.inputValue('#q')) !== '学び') fail('shared link: the query is not in the box');
  if ((await again.page.inputValue('#f-team')) !== team) fail('shared link: the team filter is not set');
  if ((await again.page.inputValue('#f-tag')) !== tag) fail(`shared link: the tag filter ${tag.toUpperCase()} is not set`);
  if ((await again.page.textContent('#search-status')) !== status) fail('shared link: another number of results');
  if ((await results(again.page).count()) !== shown) fail('shared link: other results shown');
  await again.close();
}

if (args.hostile) {
  const { page, close } = await open(browser, args.hostile);
  await typeAndCount(page, 'onerror');
  const text = await page.textContent('#results');
  if (!text.includes('<img src=x onerror=alert(1)>')) fail(`hostile learning not shown as text: ${text.slice(0, 200)}`);
  if (await page.locator('#results img, #results script').count()) fail('an element was created from content');
  await typeAndCount(page, 'config');
  await page.waitForTimeout(300);
  await close();
}

await browser.close();
for (const f of failures) console.log(`FAIL ${f}`);
console.log(`SUMMARY search ${mode}: ${failures.length} failures`);
process.exit(failures.length ? 1 : 0);
