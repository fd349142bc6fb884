// Prints review pages and quarter booklets of a built okrsite output to A4 PDF in
// headless Chromium (print media, backgrounds on, as a reader's "Save as PDF" does)
// and checks their page counts: the one-page sheet (一枚シート).
//
//   node print-check.mjs --site DIR [--only quarters/2026-Q2/product/index.html]
//                        [--pdf-dir DIR] [--typical-exactly N]
//
// Every review prints on at most 2 pages. A typical review prints on exactly 1: one
// with at most 3 objectives and 9 KRs whose retrospective is at most about a
// page (TYPICAL_RETRO_CHARS characters of text). Every booklet
// (quarters/<Q>/print.html) prints each team on sheets of its own: as many pages as
// its teams' reviews printed alone, and each sheet at most 2 pages.
// --typical-exactly N fails unless exactly N reviews are typical (so the test cannot
// pass by finding none). --pdf-dir keeps the PDFs. Prints one line per page
// checked and `SUMMARY: N files, M failures`.
import { chromium } from 'playwright-core';
import { PDFDocument } from 'pdf-lib';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const site = path.resolve(args.site);

// Page counts depend on the fonts: without a Japanese font every character is a
// fallback box of another width. Debian: fonts-noto-cjk.
const japaneseFonts = execFileSync('fc-list', [':lang=ja', 'family'], { encoding: 'utf8' }).trim();
if (!japaneseFonts) {
  console.log('FAIL no Japanese font (fc-list :lang=ja is empty): install fonts-noto-cjk');
  process.exit(1);
}

// A page of retrospective: an A4 page of Japanese at 10.5pt holds 40 × 36 characters;
// with headings, lists and short lines, about 1,200 of them are text.
const TYPICAL_RETRO_CHARS = 1200;
const TYPICAL_KRS = 9;
const TYPICAL_OBJECTIVES = 3;
const MAX_SHEET_PAGES = 2;

function files(pattern) {
  const quarters = path.join(site, 'quarters');
  const out = [];
  for (const q of fs.readdirSync(quarters, { withFileTypes: true })) {
    if (!q.isDirectory()) continue;
    if (pattern === 'booklet') {
      const booklet = path.join(quarters, q.name, 'print.html');
      if (fs.existsSync(booklet)) out.push(`quarters/${q.name}/print.html`);
      continue;
    }
    for (const t of fs.readdirSync(path.join(quarters, q.name), { withFileTypes: true })) {
      if (t.isDirectory() && fs.existsSync(path.join(quarters, q.name, t.name, 'index.html'))) {
        out.push(`quarters/${q.name}/${t.name}/index.html`);
      }
    }
  }
  return out.sort();
}

// The number of pages of a PDF, read by a PDF parser (its page tree), not by
// counting bytes that look like page objects.
async function pageCount(pdf) {
  return (await PDFDocument.load(pdf, { updateMetadata: false })).getPageCount();
}

// What decides whether a sheet is typical, read from the printed page's DOM.
function sheetSize(page) {
  return page.evaluate(() => {
    const sheets = [...document.querySelectorAll('main .sheet')];
    const roots = sheets.length ? sheets : [document.querySelector('main')];
    return roots.map((root) => ({
      team: root.querySelector('.review-head h1')?.firstChild?.textContent.trim() ?? '?',
      objectives: root.querySelectorAll('.sheet-objectives li').length,
      krs: root.querySelectorAll('.kr').length,
      retroChars: (root.querySelector('.retrospective .prose')?.textContent ?? '').replace(/\s+/g, '').length,
    }));
  });
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext();
const failures = [];
let typical = 0;
let checked = 0;
const pagesOf = new Map();

async function print(rel) {
  const page = await context.newPage();
  await page.emulateMedia({ media: 'print' });
  await page.goto(`file://${site}/${rel}`, { waitUntil: 'load' });
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  const sizes = await sheetSize(page);
  await page.close();
  if (args['pdf-dir']) {
    fs.mkdirSync(args['pdf-dir'], { recursive: true });
    fs.writeFileSync(path.join(args['pdf-dir'], `${rel.replace(/\//g, '_')}.pdf`), pdf);
  }
  checked += 1;
  return { pages: await pageCount(pdf), sizes };
}

const only = args.only ? [args.only] : null;
for (const rel of only ?? files('review')) {
  const { pages, sizes: [size] } = await print(rel);
  pagesOf.set(rel, pages);
  const isTypical = size.krs <= TYPICAL_KRS && size.objectives <= TYPICAL_OBJECTIVES
    && size.retroChars <= TYPICAL_RETRO_CHARS;
  typical += isTypical ? 1 : 0;
  const want = isTypical ? 'exactly 1' : `at most ${MAX_SHEET_PAGES}`;
  const ok = isTypical ? pages === 1 : pages <= MAX_SHEET_PAGES;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${rel}: ${pages} page(s), want ${want} `
    + `(${size.objectives} objectives, ${size.krs} KRs, ${size.retroChars} characters of retrospective)`);
  if (!ok) failures.push(rel);
}

if (!only) {
  for (const rel of files('booklet')) {
    const { pages, sizes } = await print(rel);
    const quarter = rel.split('/')[1];
    const alone = [...pagesOf].filter(([r]) => r.startsWith(`quarters/${quarter}/`)).map(([, n]) => n);
    const want = alone.reduce((a, b) => a + b, 0);
    const ok = sizes.length === alone.length && pages === want && alone.every((n) => n <= MAX_SHEET_PAGES);
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${rel}: ${pages} page(s) for ${sizes.length} sheets, want ${want} `
      + `(${alone.length} teams: ${alone.join(' + ')})`);
    if (!ok) failures.push(rel);
  }
}

await browser.close();
if (args['typical-exactly'] !== undefined && typical !== Number(args['typical-exactly'])) {
  failures.push(`typical reviews: ${typical}, want ${args['typical-exactly']}`);
  console.log(`FAIL ${typical} typical reviews, want ${args['typical-exactly']}`);
}
console.log(`SUMMARY: ${checked} files, ${typical} typical reviews, ${failures.length} failures`);
process.exit(failures.length ? 1 : 0);
