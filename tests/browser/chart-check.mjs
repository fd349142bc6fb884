// Checks the charts of a built okrsite output in headless Chromium, as a reader sees
// them: at each viewport width, every visible chart text (`svg.chart text`) renders at
// least MIN_PX CSS px tall (its font size times the SVG's scale on screen), no two
// visible texts of one chart overlap (their real boxes, getBBox mapped to the screen,
// shrunk by OVERLAP_SLACK px on each side for glyph side bearings), and every text
// lies inside its SVG's box (nothing cut off at the edge).
//
//   node chart-check.mjs --site DIR --pages 'a/index.html,b/index.html' [--widths 375,768,1280]
//
// Prints one line per page and width and `SUMMARY: N checks, M failures`.
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const site = path.resolve(args.site);
const pages = (args.pages || 'index.html').split(',');
const widths = (args.widths || '375,768,1280').split(',').map(Number);
const MIN_PX = Number(args['min-px'] || 11);
const OVERLAP_SLACK = 1;

const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json', '.svg': 'image/svg+xml' };
const server = http.createServer((req, res) => {
  let f = path.join(site, decodeURIComponent(new URL(req.url, 'http://x').pathname));
  if (fs.existsSync(f) && fs.statSync(f).isDirectory()) f = path.join(f, 'index.html');
  if (!fs.existsSync(f)) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { 'content-type': types[path.extname(f)] || 'application/octet-stream' });
  res.end(fs.readFileSync(f));
});
await new Promise(r => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });

let checks = 0;
let failures = 0;
for (const width of widths) {
  for (const url of pages) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(base + url, { waitUntil: 'load' });
    const report = await page.evaluate(({ MIN_PX, OVERLAP_SLACK }) => {
      const problems = [];
      let texts = 0;
      let smallest = Infinity;
      const svgs = [...document.querySelectorAll('svg.chart')].filter(s => s.getClientRects().length > 0);
      for (const svg of svgs) {
        const name = svg.querySelector('title')?.textContent || svg.getAttribute('aria-labelledby');
        const frame = svg.getBoundingClientRect();
        const boxes = [];
        for (const t of svg.querySelectorAll('text')) {
          if (t.getClientRects().length === 0) continue;
          texts++;
          const m = t.getScreenCTM();
          const scale = Math.hypot(m.a, m.b);
          const px = parseFloat(getComputedStyle(t).fontSize) * Math.abs(scale);
          smallest = Math.min(smallest, px);
          if (px < MIN_PX - 0.01) problems.push(`${name}: "${t.textContent}" at ${px.toFixed(1)} px`);
          const r = t.getBoundingClientRect();
          if (r.left < frame.left - 1 || r.right > frame.right + 1 || r.top < frame.top - 1 || r.bottom > frame.bottom + 1) {
            problems.push(`${name}: "${t.textContent}" cut off (${r.left.toFixed(0)}..${r.right.toFixed(0)} in ${frame.left.toFixed(0)}..${frame.right.toFixed(0)})`);
          }
          boxes.push({ text: t.textContent, l: r.left + OVERLAP_SLACK, r: r.right - OVERLAP_SLACK, t: r.top + OVERLAP_SLACK, b: r.bottom - OVERLAP_SLACK });
        }
        for (let i = 0; i < boxes.length; i++) {
          for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i], b = boxes[j];
            if (a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b) problems.push(`${name}: "${a.text}" overlaps "${b.text}"`);
          }
        }
      }
      return { problems, texts, svgs: svgs.length, smallest };
    }, { MIN_PX, OVERLAP_SLACK });
    checks++;
    const ok = report.problems.length === 0;
    if (!ok) failures++;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${width}px ${url}: ${report.svgs} charts, ${report.texts} texts, smallest ${report.smallest.toFixed(1)} px`);
    for (const p of report.problems.slice(0, 12)) console.log(`     ${p}`);
    if (report.problems.length > 12) console.log(`     … ${report.problems.length - 12} more`);
    await page.close();
  }
}
await browser.close();
server.close();
console.log(`SUMMARY: ${checks} checks, ${failures} failures`);
process.exit(failures ? 1 : 0);
