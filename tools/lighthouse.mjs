// Lighthouse (the version package-lock.json pins) on many pages with one Chromium: prints one JSON line per
// page with its category scores, its metrics and the audits that lost points. Used by sotebook/site/audit.py
// (the Lighthouse test and benchmarks/bench.py); it reaches only the URLs it is given.
//
//   CHROME_PATH=/usr/bin/chromium node tools/lighthouse.mjs [--categories a,b] [--block pattern] URL...
//
// Mobile preset (Lighthouse's default: a mid-range phone, simulated slow 4G). A page Lighthouse could not
// load gets a line with `error`. Exit code 0 when every page was audited, 1 otherwise.
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';

const args = process.argv.slice(2);
const urls = [];
let categories = null;
const blocked = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--categories') categories = args[++i].split(',');
  else if (args[i] === '--block') blocked.push(args[++i]);
  else urls.push(args[i]);
}
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const METRICS = {
  fcp: 'first-contentful-paint', lcp: 'largest-contentful-paint', tbt: 'total-blocking-time',
  cls: 'cumulative-layout-shift', si: 'speed-index', bytes: 'total-byte-weight',
};

const chrome = await chromeLauncher.launch({ chromePath: process.env.CHROME_PATH || '/usr/bin/chromium', chromeFlags: FLAGS });
let failed = false;
try {
  for (const url of urls) {
    const flags = { port: chrome.port, output: 'json', logLevel: 'error', blockedUrlPatterns: blocked };
    if (categories) flags.onlyCategories = categories;
    try {
      const { lhr } = await lighthouse(url, flags);
      const scores = {};
      const lost = [];
      for (const [id, category] of Object.entries(lhr.categories)) {
        scores[id] = category.score === null ? null : Math.round(category.score * 100);
        if (id === 'performance') continue;
        for (const ref of category.auditRefs) {
          const audit = lhr.audits[ref.id];
          if (ref.weight > 0 && audit.score !== null && audit.score < 1) lost.push(`${id}: ${ref.id} (${audit.title})`);
        }
      }
      const metrics = {};
      for (const [name, id] of Object.entries(METRICS)) {
        if (lhr.audits[id]) metrics[name] = lhr.audits[id].numericValue;
      }
      const line = { url, scores, metrics, lost };
      if (lhr.runtimeError) { line.error = lhr.runtimeError.message; failed = true; }
      console.log(JSON.stringify(line));
    } catch (error) {
      failed = true;
      console.log(JSON.stringify({ url, error: String(error && error.message || error) }));
    }
  }
} finally {
  await chrome.kill();
}
process.exit(failed ? 1 : 0);
