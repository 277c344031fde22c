// The demo's first start (`assay serve` on an empty data directory): how long until the server
// listens, and until the demo's monitoring windows (computed in the background) are ready, with
// the server process's CPU seconds at both points (Linux /proc). Run from the repository root
// after `npm run build:cli`: node bench/first-start/first-start.mjs
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'assay-first-start-'));
const port = 7800 + Math.floor(Math.random() * 100);
const ticks = 100; // USER_HZ on Linux
const cpuSeconds = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / ticks; // utime + stime
};
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const loadAtStart = load();
const t0 = performance.now();
const child = spawn(
  process.execPath,
  ['bin/assay.mjs', 'serve', '--port', String(port), '--data-dir', dataDir],
  {
    cwd: root,
    env: { ...process.env, ASSAY_DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
let out = '';
const marks = {};
child.stdout.on('data', (d) => {
  out += d.toString();
  const at = () => ({
    wallS: ((performance.now() - t0) / 1000).toFixed(1),
    cpuS: cpuSeconds(child.pid).toFixed(1),
    load: load(),
  });
  if (!marks.listening && out.includes('Assay is serving on')) {
    marks.listening = at();
    console.log(`listening: ${JSON.stringify(marks.listening)}`);
  }
  if (!marks.monitoring && out.includes('Demo monitoring ready')) {
    marks.monitoring = at();
    console.log(`demo monitoring ready: ${JSON.stringify(marks.monitoring)}`);
    child.kill('SIGTERM');
  }
});
child.on('exit', () => {
  rmSync(dataDir, { recursive: true, force: true });
  console.log(JSON.stringify({ loadAtStart, loadAtEnd: load(), ...marks }));
});
console.log(`load average at start: ${loadAtStart}`);
