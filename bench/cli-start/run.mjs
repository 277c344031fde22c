// CLI start time: `assay --help`, `assay models list` and `assay gate` from the bundle (dist/cli/)
// and, for comparison, the same commands through tsx (ASSAY_NO_BUNDLE=1), against a real server
// seeded with the demo portfolio. Needs hyperfine (Debian: apt-get install -y hyperfine) and a
// fresh bundle (npm run build:cli).
//
//   node bench/cli-start/run.mjs [runs]      (default 20 runs per command, after 3 warm-ups)
//
// Prints per command the median and mean wall time and the mean user+system CPU time, and the
// machine's load average before and after: on a shared machine wall time follows the load, CPU
// time much less, and the ratio of two commands measured in the same run least.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/assay.mjs');
const runs = Number(process.argv[2] ?? 20);

if (spawnSync('hyperfine', ['--version']).error) {
  console.error('hyperfine is not installed (Debian: apt-get install -y hyperfine)');
  process.exit(2);
}
if (!fs.existsSync(path.join(ROOT, 'dist/cli/build.json'))) {
  console.error('no CLI bundle: run npm run build:cli first');
  process.exit(2);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** `assay serve` on a new data directory with the demo seeded; resolves with its URL and token. */
async function startServer() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-bench-cli-'));
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--data-dir', dataDir], {
    env: { ...process.env, ASSAY_DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const token = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 120_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /\b(assay_[A-Za-z0-9_-]{20,})/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    stop() {
      child.kill('SIGTERM');
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const loadBefore = load();
const server = await startServer();
const env = { ...process.env, ASSAY_URL: server.url, ASSAY_TOKEN: server.token };
const node = process.execPath;
// The issue's own measure is "reach the network or the first output": the same commands against a
// port nothing listens on (the command starts, builds its request, connects, is refused, exits 4).
const closed = `env ASSAY_URL=http://127.0.0.1:${await freePort()}`;
const commands = [
  ['node -e 0 (Node itself)', `${node} -e 0`],
  ['assay --help', `${node} ${BIN} --help`],
  ['assay models list', `${node} ${BIN} models list`],
  ['assay gate retail-credit-pd@4.0', `${node} ${BIN} gate retail-credit-pd@4.0 --env production`],
  ['assay models list (to the network)', `${closed} ${node} ${BIN} models list`],
  [
    'assay gate retail-credit-pd@4.0 (to the network)',
    `${closed} ${node} ${BIN} gate retail-credit-pd@4.0 --env production`,
  ],
  ['tsx: assay --help', `env ASSAY_NO_BUNDLE=1 ${node} ${BIN} --help`],
  ['tsx: assay models list', `env ASSAY_NO_BUNDLE=1 ${node} ${BIN} models list`],
  [
    'tsx: assay gate retail-credit-pd@4.0',
    `env ASSAY_NO_BUNDLE=1 ${node} ${BIN} gate retail-credit-pd@4.0 --env production`,
  ],
];
const json = path.join(os.tmpdir(), `assay-bench-cli-${process.pid}.json`);
try {
  // -i: the gate exits 1 when it denies (an answer, not a failure), and 4 against the closed port
  const args = [
    '-N',
    '-i',
    '--warmup',
    '3',
    '--runs',
    String(runs),
    '--export-json',
    json,
    '--style',
    'none',
  ];
  for (const [name, cmd] of commands) args.push('-n', name, cmd);
  const r = spawnSync('hyperfine', args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`hyperfine exited with ${r.status}`);
  const { results } = JSON.parse(fs.readFileSync(json, 'utf8'));
  const ms = (s) => `${(s * 1000).toFixed(0)} ms`;
  console.log(`| command | median wall | mean wall | mean CPU (user+sys) |`);
  console.log(`| --- | ---: | ---: | ---: |`);
  for (const r of results)
    console.log(`| \`${r.command}\` | ${ms(r.median)} | ${ms(r.mean)} | ${ms(r.user + r.system)} |`);
  console.log(
    `\n${runs} runs each after 3 warm-ups; load average (1, 5, 15 min) before ${loadBefore}, after ${load()}; ${os.cpus().length} cores, Node ${process.versions.node}`,
  );
} finally {
  fs.rmSync(json, { force: true });
  server.stop();
}
