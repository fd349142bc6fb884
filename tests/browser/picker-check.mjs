// The team picker (issue 22): on the dashboard, typing a team's name (or its id,
// in full-width letters too) and pressing Enter lands on the team's review of the
// current quarter, the page the dashboard's team table links; the listbox follows
// the combobox pattern (aria-expanded, aria-activedescendant, arrows, Escape). The
// team index filters by ?team=, keeping the ancestors of a match. With --deep (a
// built site whose teams form a chain ten levels deep), each level of the team
// index and the alignment tree (its own page) sits strictly further
// right than the one above it, at 375 and 1280 px. With --shots DIR, screenshots of
// the open picker at 375 and 1280 px.
//
//   node picker-check.mjs --site DIR --mode root|subpath|file [--deep DIR] [--shots DIR]
//
// Under `subpath` the sites must be built with base_url = /okr/. Prints
// `SUMMARY: N checks, M failures`.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs, serveSite, launch } from './serve-site.mjs';

const args = parseArgs();
const mode = args.mode || 'root';
const failures = [];
let checks = 0;
const check = (ok, what) => { checks++; if (!ok) failures.push(what); };

async function open(site) {
  if (mode === 'file') return { base: pathToFileURL(path.resolve(site)).href + '/', close: () => {} };
  const { server, base } = await serveSite(path.resolve(site), mode === 'subpath' ? '/okr/' : '/');
  return { base, close: () => server.close() };
}

const browser = await launch();

async function newPage(width) {
  const page = await browser.newPage({ viewport: { width, height: 800 } });
  page.on('pageerror', (e) => failures.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') failures.push(`console: ${m.text()}`); });
  return page;
}

// Types `text` into the picker of the dashboard and returns the listbox's state.
async function typeInPicker(page, base, text) {
  await page.goto(base + 'index.html');
  await page.click('#team-picker');
  await page.keyboard.type(text);
  await page.waitForSelector('#team-picker-list [role="option"]', { timeout: 5000 }).catch(() => {});
  return page.evaluate(() => {
    const input = document.getElementById('team-picker');
    const active = input.getAttribute('aria-activedescendant');
    return {
      expanded: input.getAttribute('aria-expanded'),
      role: input.getAttribute('role'),
      options: [...document.querySelectorAll('#team-picker-list [role="option"]')].map((o) => o.firstChild.textContent),
      active: active ? document.getElementById(active).firstChild.textContent : null,
    };
  });
}

// The dashboard's link for the team named `name` (its current quarter's review, or
// its page), as an absolute URL.
async function dashboardLink(page, base, name) {
  await page.goto(base + 'index.html');
  return page.evaluate((n) => {
    const a = [...document.querySelectorAll('section[aria-labelledby="team-scores"] th a')].find((x) => x.textContent === n);
    return a ? a.href : null;
  }, name);
}

async function pickerChecks(site) {
  const { base, close } = await open(site);
  const page = await newPage(1280);
  const name = 'プラットフォームチーム';
  const want = await dashboardLink(page, base, name);
  check(want && /quarters\/[^/]+\/platform\/index\.html$/.test(want), `dashboard links ${name} to ${want}`);
  for (const typed of ['プラットフォーム', 'platform', 'ＰＬＡＴＦＯＲＭ']) {
    const state = await typeInPicker(page, base, typed);
    check(state.role === 'combobox', `${typed}: role ${state.role}`);
    check(state.expanded === 'true', `${typed}: aria-expanded ${state.expanded}`);
    check(state.active === name, `${typed}: active option ${state.active} (options ${state.options})`);
    await page.keyboard.press('Enter');
    await page.waitForURL(want, { timeout: 5000 }).catch(() => {});
    check(page.url() === want, `${typed} + Enter landed on ${page.url()}, want ${want}`);
  }
  // Arrows move the active option; Escape closes the list.
  const many = await typeInPicker(page, base, 'チーム');
  check(many.options.length > 2, `チーム lists ${many.options.length} options`);
  await page.keyboard.press('ArrowDown');
  const second = await page.evaluate(() => document.getElementById(document.getElementById('team-picker').getAttribute('aria-activedescendant')).firstChild.textContent);
  check(second === many.options[1], `ArrowDown selects ${second}, want ${many.options[1]}`);
  await page.keyboard.press('Escape');
  const closed = await page.evaluate(() => [document.getElementById('team-picker').getAttribute('aria-expanded'), document.getElementById('team-picker-list').hidden]);
  check(closed[0] === 'false' && closed[1], `Escape leaves aria-expanded ${closed[0]}, hidden ${closed[1]}`);
  // The team index, filtered as the picker's form asks without script.
  await page.goto(base + 'teams/index.html?team=sales');
  const visible = await page.evaluate(() => [...document.querySelectorAll('#team-tree li[data-team]')]
    .filter((li) => li.offsetParent !== null).map((li) => li.dataset.team));
  check(visible.join(' ') === 'company biz-div sales', `teams?team=sales shows ${visible.join(' ')}`);
  if (args.shots) {
    for (const width of [375, 1280]) {
      const shot = await newPage(width);
      await typeInPicker(shot, base, 'チーム');
      await shot.screenshot({ path: path.join(args.shots, `picker-${mode}-${width}.png`) });
      await shot.close();
    }
  }
  await page.close();
  close();
}

// Left edges of `selector`'s elements, in document order.
const lefts = (page, selector) => page.evaluate((s) => [...document.querySelectorAll(s)]
  .map((e) => Math.round(e.getBoundingClientRect().left * 10) / 10), selector);

async function deepChecks(site) {
  const { base, close } = await open(site);
  for (const width of [375, 1280]) {
    const page = await newPage(width);
    const trees = [
      ['teams/index.html', '#team-tree li[data-team] > a:first-child'],
      ['quarters/2026-Q3/alignment.html', '#alignment + .tree .tree-team'],
    ];
    for (const [page_path, selector] of trees) {
      await page.goto(base + page_path);
      const xs = await lefts(page, selector);
      check(xs.length === 11, `${width}px ${page_path}: ${xs.length} levels`);
      const steps = xs.slice(1).map((x, i) => x - xs[i]);
      check(steps.every((s) => s > 0), `${width}px ${page_path}: x per level ${xs.join(', ')}`);
      if (args.shots) await page.screenshot({ path: path.join(args.shots, `deep-${page_path.replace(/\//g, '_')}-${width}.png`), fullPage: true });
    }
    await page.close();
  }
  close();
}

await pickerChecks(args.site);
if (args.deep) await deepChecks(args.deep);
await browser.close();
for (const f of failures) console.log(`FAIL ${mode}: ${f}`);
console.log(`SUMMARY: ${checks} checks, ${failures.length} failures`);
process.exit(failures.length ? 1 : 0);
