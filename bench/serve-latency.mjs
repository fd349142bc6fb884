// Save → visible: how long a saved edit to one retrospective takes to show in a
// browser tab open on `okrsite serve` (live reload included).
//
//   node bench/serve-latency.mjs SITE_ROOT [RUNS] [PAUSE_SECONDS]
//
// Starts `target/release/okrsite serve` on SITE_ROOT, opens the review page of the
// first retrospective of the newest ended quarter in headless Chromium, then RUNS
// times: appends a unique line to that retrospective and measures, from just before
// the write to the moment the text is in the reloaded page's DOM. PAUSE_SECONDS
// between edits (default 3: the background full rebuild is then still running and
// gets cancelled, the harder case; use 30 to let it finish). Prints each run and the
// median. Restores the file at the end. Needs tests/browser/node_modules (npm ci)
// and chromium.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const here = path.dirname(new URL(import.meta.url).pathname);
const require = createRequire(path.join(here, '../tests/browser/package.json'));
const { chromium } = require('playwright-core');

const root = path.resolve(process.argv[2] || '.');
const runs = Number(process.argv[3] || 10);
const pause = Number(process.argv[4] || 3) * 1000;
const bin = path.join(here, '../target/release/okrsite');

const quarters = fs.readdirSync(path.join(root, 'content')).filter((d) => /^\d{4}-Q\d$/.test(d)).sort();
const quarter = quarters[Math.max(0, quarters.length - 2)];
const md = fs.readdirSync(path.join(root, 'content', quarter)).filter((f) => f.endsWith('.md')).sort()[0];
const file = path.join(root, 'content', quarter, md);
const team = md.replace(/\.md$/, '');
const original = fs.readFileSync(file, 'utf8');

const server = spawn(bin, ['serve', '--port', '0', '--root', root], {
  env: { ...process.env },
  stdio: ['ignore', 'ignore', 'pipe'],
});
let log = '';
const url = await new Promise((resolve, reject) => {
  server.stderr.on('data', (d) => {
    log += d;
    const m = /serving (\S+)/.exec(log);
    if (m) resolve(m[1]);
  });
  server.on('exit', () => reject(new Error('serve exited:\n' + log)));
});

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium' });
const results = [];
try {
  const page = await browser.newPage();
  await page.goto(`${url}quarters/${quarter}/${team}/index.html`);
  await page.waitForTimeout(1000);
  for (let i = 0; i < runs; i++) {
    const marker = `LATENCY-${i}-${Date.now()}`;
    const start = Date.now();
    fs.writeFileSync(file, `${original}\n\n${marker}\n`);
    await page.waitForFunction((m) => document.body && document.body.textContent.includes(m), marker, {
      timeout: 60000,
      polling: 'raf',
    });
    const ms = Date.now() - start;
    results.push(ms);
    console.log(`run ${i + 1}: ${ms} ms`);
    await page.waitForTimeout(pause);
  }
} finally {
  fs.writeFileSync(file, original);
  await browser.close();
  server.kill();
}
const sorted = [...results].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
console.log(`${path.relative(root, file)}: median ${median} ms, min ${sorted[0]} ms, max ${sorted[sorted.length - 1]} ms over ${runs} edits`);
console.log(log.split('\n').filter((l) => l.startsWith('updated')).slice(-3).join('\n'));
