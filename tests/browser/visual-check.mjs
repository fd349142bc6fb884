// Visual regression: screenshots of a fixed set of pages at 375, 768 and 1280 px,
// compared with the PNGs stored in tests/browser/visual/ (pixelmatch, a small
// tolerance). A failing shot writes NAME.actual.png and NAME.diff.png (changed pixels
// in red) to --out and names them.
//
//   node visual-check.mjs --ja DIR --en DIR --out DIR [--only NAME]
//   OKRSITE_BLESS_SHOTS=1 node visual-check.mjs …   rewrites the stored PNGs
//
// Each shot is the viewport (not the full page) scrolled to an element, so a label
// that moves is a sizeable share of the pixels compared; animations, transitions and
// the caret are off; light colour scheme, device scale 1. The sites must be built
// with a fixed SOURCE_DATE_EPOCH (tests/it/browser.rs does).
//
// Then it shows that it can fail: it moves one label of one page by a few pixels and
// checks that the comparison reports it (`sensitivity: … differs`).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { parseArgs, serveSite, launch } from './serve-site.mjs';

const args = parseArgs();
const stored = path.join(path.dirname(fileURLToPath(import.meta.url)), 'visual');
const out = path.resolve(args.out || 'visual-out');
const bless = process.env.OKRSITE_BLESS_SHOTS === '1';
fs.mkdirSync(out, { recursive: true });

// [name, site, page, element to scroll to the top of the viewport (or none)].
const PAGES = [
  ['ja-dashboard', 'ja', 'index.html', null],
  ['ja-quarter', 'ja', 'quarters/2025-Q3/index.html', null],
  ['ja-review', 'ja', 'quarters/2025-Q3/product/index.html', null],
  ['ja-review-kr', 'ja', 'quarters/2025-Q3/product/index.html', '.kr'],
  ['ja-team', 'ja', 'teams/product/index.html', null],
  ['ja-metric', 'ja', 'metrics/nps/index.html', null],
  ['en-review', 'en', 'quarters/2026-Q3/engineering/index.html', null],
  ['en-metric', 'en', 'metrics/arr/index.html', null],
];
const WIDTHS = [[375, 640], [768, 760], [1280, 720]];
// Pixels that may differ (pixelmatch's threshold 0.1 already ignores anti-aliasing):
// 0.01 % of the shot (24 to 92 pixels). The same build shoots identically (0 pixels);
// a number moved by 3 px changes about 100 pixels, a label moved by 6 px over 1,000.
const TOLERANCE = 0.0001;

const CALM = `*, *::before, *::after { animation: none !important; transition: none !important; caret-color: transparent !important; }
  html { scroll-behavior: auto !important; }`;

async function shoot(page, base, rel, selector, width, height, extraStyle) {
  await page.setViewportSize({ width, height });
  await page.goto(base + rel, { waitUntil: 'load' });
  await page.addStyleTag({ content: CALM + (extraStyle || '') });
  await page.evaluate(() => document.fonts.ready);
  if (selector) {
    await page.evaluate((sel) => {
      const el = document.querySelector(sel);
      if (!el) throw new Error(`no ${sel}`);
      window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 8);
    }, selector);
  }
  return PNG.sync.read(await page.screenshot({ animations: 'disabled', caret: 'hide', scale: 'css' }));
}

// The number of pixels that differ, and the diff image.
function compare(want, got) {
  if (want.width !== got.width || want.height !== got.height) return { count: Infinity, diff: null };
  const diff = new PNG({ width: want.width, height: want.height });
  const count = pixelmatch(want.data, got.data, diff.data, want.width, want.height, { threshold: 0.1 });
  return { count, diff };
}

const sites = { ja: path.resolve(args.ja), en: path.resolve(args.en) };
const servers = {};
for (const [key, dir] of Object.entries(sites)) servers[key] = await serveSite(dir, '/');
const browser = await launch();
const context = await browser.newContext({ deviceScaleFactor: 1, colorScheme: 'light', reducedMotion: 'reduce', locale: 'ja-JP', timezoneId: 'UTC' });
const page = await context.newPage();
const failures = [];
let shots = 0;
for (const [name, siteKey, rel, selector] of PAGES) {
  if (args.only && !name.startsWith(args.only)) continue;
  for (const [width, height] of WIDTHS) {
    const file = `${name}-${width}.png`;
    const got = await shoot(page, servers[siteKey].base, rel, selector, width, height);
    shots += 1;
    const storedFile = path.join(stored, file);
    if (bless) {
      fs.mkdirSync(stored, { recursive: true });
      fs.writeFileSync(storedFile, PNG.sync.write(got, { deflateLevel: 9 }));
      console.log(`blessed ${file}`);
      continue;
    }
    if (!fs.existsSync(storedFile)) {
      failures.push(`${file}: no stored image (bless with OKRSITE_BLESS_SHOTS=1)`);
      fs.writeFileSync(path.join(out, file.replace('.png', '.actual.png')), PNG.sync.write(got));
      continue;
    }
    const { count, diff } = compare(PNG.sync.read(fs.readFileSync(storedFile)), got);
    const allowed = Math.round(TOLERANCE * width * height);
    if (count > allowed) {
      const actual = path.join(out, file.replace('.png', '.actual.png'));
      fs.writeFileSync(actual, PNG.sync.write(got));
      let what = `size differs from the stored ${storedFile}`;
      if (diff) {
        const diffFile = path.join(out, file.replace('.png', '.diff.png'));
        fs.writeFileSync(diffFile, PNG.sync.write(diff));
        what = `${count} pixels differ (allowed ${allowed}): diff ${diffFile}`;
      }
      failures.push(`${file} (${rel} at ${width} px): ${what}, actual ${actual}`);
    } else {
      console.log(`ok   ${file}: ${count} pixels differ (allowed ${allowed})`);
    }
  }
}

// Sensitivity: the same comparison notices one label moved by 6 px.
if (!bless && !args.only) {
  const [name, siteKey, rel] = PAGES[0];
  const [width, height] = WIDTHS[2];
  const storedFile = path.join(stored, `${name}-${width}.png`);
  if (fs.existsSync(storedFile)) {
    const moved = await shoot(page, servers[siteKey].base, rel, null, width, height, 'main .kpi-label { position: relative; left: 6px; }');
    const { count } = compare(PNG.sync.read(fs.readFileSync(storedFile)), moved);
    const allowed = Math.round(TOLERANCE * width * height);
    if (count > allowed) console.log(`sensitivity: ${name}-${width} with its KPI labels moved by 6 px differs (${count} pixels > ${allowed})`);
    else failures.push(`sensitivity: moving the KPI labels of ${name}-${width} by 6 px went unnoticed (${count} pixels ≤ ${allowed})`);
  }
}

await browser.close();
for (const s of Object.values(servers)) s.server.close();
for (const f of failures) console.log(`FAIL ${f}`);
console.log(`SUMMARY: ${shots} shots, ${failures.length} failures${bless ? ' (blessed)' : ''}`);
process.exit(failures.length ? 1 : 0);
