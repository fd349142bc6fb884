// Loads every HTML page of a built okrsite output in headless Chromium at 375, 768 and
// 1280 px and checks how its text is laid out:
//
// - words: no column header word, no word of a table cell and no number, date or
//   quarter name anywhere in <main> (outside free text: a retrospective's prose, a
//   check-in's note; and the charts) is split across lines. A word's lines are the
//   distinct rows of its Range's client rects (rects that do not overlap vertically
//   are on different lines). A column header's word is a run of text between spaces
//   or after a hyphen (a Japanese header such as スコア is one word); a cell's words are those of
//   Intl.Segmenter (Japanese by dictionary: カスタマー|サクセス|チーム).
// - overflow: the page does not scroll sideways (scrollWidth ≤ innerWidth) and no
//   element's right edge is past the viewport, except inside a scroll container that
//   says it scrolls (overflow-x auto or scroll, with the theme's edge shadows, which
//   scroll with it: background-attachment local); no other box clips its content.
// - nav: every link of the site navigation lies inside the viewport, unclipped.
//
//   node layout-check.mjs --site DIR [--widths 375,768,1280] [--only REL]
//
// Prints one line per failure and `SUMMARY: N pages × W widths, M failures`.
import path from 'node:path';
import { parseArgs, serveSite, sitePages, launch } from './serve-site.mjs';

const args = parseArgs();
const site = path.resolve(args.site);
const widths = (args.widths || '375,768,1280').split(',').map(Number);
const list = args.only ? [args.only] : sitePages(site);

// Runs in the page: every failure of the page at its current width, as text.
function inspect() {
  const failures = [];
  const vw = document.documentElement.clientWidth;
  const short = (el) => {
    const id = el.id ? `#${el.id}` : '';
    const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
    return `${el.tagName.toLowerCase()}${id}${cls}`;
  };
  const where = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 3; e = e.parentElement) parts.unshift(short(e));
    return parts.join(' > ');
  };

  // Words.
  const NUM = /(?:FY ?)?\d{4}(?:年度)?[- ]?Q[1-4]|Q[1-4][ -](?:FY ?)?\d{4}|\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日|[A-Z][a-z]{2} \d{1,2}, \d{4}|\d{4}-\d{2}-\d{2}|\d{4}\/\d{1,2}\/\d{1,2}|[+\-−±]?[$¥€£]?\d[\d,.:]*(?:[%万億千件人日]|pt|[MKk]\b)?/g;
  // A column header's words: runs between spaces, a hyphenated compound broken only
  // after its hyphen (Over-|confident).
  const SPACED = /[^\s-]+-?/g;
  // The words of a text as the browser's word segmenter finds them (dictionary words
  // in Japanese: カスタマー, サクセス, チーム), with their offsets.
  const segmenter = new Intl.Segmenter(document.documentElement.lang || 'ja', { granularity: 'word' });
  const WORDS = { matchAll: (text) => [...segmenter.segment(text)].filter((s) => s.isWordLike && s.segment.length > 1).map((s) => Object.assign([s.segment], { index: s.index })) };
  const range = document.createRange();
  const lines = (node, start, end) => {
    range.setStart(node, start);
    range.setEnd(node, end);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0.5 && r.height > 0.5).sort((a, b) => a.top - b.top);
    let count = 0;
    let bottom = -Infinity;
    for (const r of rects) {
      if (r.top >= bottom - 1) count += 1;
      bottom = Math.max(bottom, r.bottom);
    }
    return count;
  };
  const checkText = (root, patterns) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('svg, .visually-hidden, script, style') || !parent.checkVisibility()) continue;
      // Free text (a retrospective, a check-in's note) breaks where its writer's words allow.
      if (patterns.includes(NUM) && parent.closest('.prose, .checkin-note')) continue;
      for (const pattern of patterns) {
        for (const m of (pattern === WORDS ? WORDS.matchAll(node.data) : node.data.matchAll(pattern))) {
          const n = lines(node, m.index, m.index + m[0].length);
          if (n > 1) failures.push(`split word "${m[0]}" on ${n} lines in ${where(parent)}`);
        }
      }
    }
  };
  const main = document.querySelector('main');
  if (main) {
    for (const th of main.querySelectorAll('thead th')) checkText(th, [th.closest('.prose') ? WORDS : SPACED]);
    for (const cell of main.querySelectorAll('td, tbody th')) checkText(cell, [WORDS]);
    checkText(main, [NUM]);
  }

  // Overflow.
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth) failures.push(`page scrolls sideways: scrollWidth ${doc.scrollWidth} > ${window.innerWidth}`);
  // Says it scrolls: scrolls sideways and shows it, with shadows at its edges that
  // scroll with it (background-attachment: local). Chromium lets the keyboard focus a
  // scroll container on its own.
  const scrolls = (el) => {
    const s = getComputedStyle(el);
    return ['auto', 'scroll'].includes(s.overflowX) && s.backgroundAttachment.includes('local') && s.backgroundImage !== 'none';
  };
  const clips = (el) => getComputedStyle(el).overflowX !== 'visible';
  const reported = new Set();
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= vw + 0.5) continue;
    let inside = null;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (clips(a)) { inside = a; break; }
    }
    if (inside && scrolls(inside) && inside.getBoundingClientRect().right <= vw + 0.5) continue;
    if (inside && inside.getBoundingClientRect().right <= vw + 0.5 && !scrolls(inside)) {
      // Clipped where it is not said to scroll: the reader cannot see the rest.
      if (inside.scrollWidth > inside.clientWidth + 1 && !reported.has(inside)) {
        reported.add(inside);
        failures.push(`${where(inside)} clips its content (scrollWidth ${inside.scrollWidth} > ${inside.clientWidth}) and does not say it scrolls`);
      }
      continue;
    }
    if ([...reported].some((p) => p.contains(el))) continue;
    reported.add(el);
    failures.push(`${where(el)} ends at x=${Math.round(r.right)}, past the viewport (${vw})`);
  }

  // Nav.
  for (const a of document.querySelectorAll('.site-header nav a')) {
    const r = a.getBoundingClientRect();
    let ok = r.left >= -0.5 && r.right <= vw + 0.5 && r.width > 0;
    for (let p = a.parentElement; ok && p && p !== document.body; p = p.parentElement) {
      if (!clips(p)) continue;
      const c = p.getBoundingClientRect();
      ok = r.left >= c.left - 0.5 && r.right <= c.right + 0.5 && r.top >= c.top - 0.5 && r.bottom <= c.bottom + 0.5;
    }
    if (!ok) failures.push(`nav link "${a.textContent.trim()}" is not visible within the viewport (${Math.round(r.left)}–${Math.round(r.right)} of ${vw})`);
  }
  return failures;
}

const { server, base } = await serveSite(site, '/');
const browser = await launch();
const page = await browser.newPage({ viewport: { width: widths[0], height: 900 } });
const failures = [];
for (const rel of list) {
  await page.setViewportSize({ width: widths[0], height: 900 });
  await page.goto(base + rel, { waitUntil: 'load' });
  await page.evaluate(() => document.fonts.ready);
  for (const width of widths) {
    await page.setViewportSize({ width, height: 900 });
    for (const f of await page.evaluate(inspect)) failures.push(`${rel} @${width}: ${f}`);
  }
}
await browser.close();
server.close();
for (const f of failures) console.log(`FAIL ${f}`);
console.log(`SUMMARY: ${list.length} pages × ${widths.length} widths, ${failures.length} failures`);
process.exit(failures.length ? 1 : 0);
