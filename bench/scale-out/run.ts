// Scale-out benchmark (issue 19): two `assay serve` processes and two `assay worker` processes on
// one PostgreSQL (shared blobs in PostgreSQL, shared signing key; the servers run no jobs,
// ASSAY_SERVER_RUNS_JOBS=0), C concurrent clients doing mixed reads and writes through both servers
// for S seconds, 2 % of them audit package builds requested as background jobs; one server is
// `kill -9`-ed half-way and restarted. Reports requests, errors
// (and how many fell while a server was down), p50/p99, checks every acknowledged write is there
// and the audit chain verifies. Then reads an N MB blob from the local, PostgreSQL and S3 (s3rver,
// in a child process) stores, median of 3, sampling the process's memory (blob-read.ts).
//
//   ASSAY_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
//     node --import tsx bench/scale-out/run.ts [--seconds 120] [--clients 50] [--blob-mb 100]
// Every requested job must end succeeded (run by the workers), with one audit_package.built event.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { measureBlobReads } from './blob-read.ts';
import { HAPROXY, type Haproxy, startHaproxy } from './haproxy.ts';
import { httpClient, TimeoutError } from './http-client.ts';
import { type Proxy as NodeProxy, startProxy } from './proxy.ts';
import { cpuSeconds, freePort, throwAwayDatabase } from './support.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/assay.mjs');
const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const SECONDS = arg('seconds', 120);
const CLIENTS = arg('clients', 50);
const BLOB_MB = arg('blob-mb', 100);
/** --no-lb: clients alternate between the servers themselves (no load balancer; the old run). */
const DIRECT = process.argv.includes('--no-lb');
/** --no-blobs: the load phase only. */
const NO_BLOBS = process.argv.includes('--no-blobs');
/** --lock-whole: every write takes the writers' lock first (ASSAY_WRITE_LOCK=whole), the before figure. */
const LOCK_WHOLE = process.argv.includes('--lock-whole');
/** --node-lb: the Node proxy (proxy.ts) even where HAProxy is installed. */
const HAPROXY_LB = !process.argv.includes('--node-lb') && fs.existsSync(HAPROXY);
/** --cpu-prof DIR: the first server (the one never killed) writes a V8 CPU profile into DIR on exit. */
const PROF_DIR = process.argv.includes('--cpu-prof')
  ? process.argv[process.argv.indexOf('--cpu-prof') + 1]
  : undefined;

/** Each write transaction of the servers and workers, from their `ASSAY_WRITE_STATS=1` lines. */
interface WriteStat {
  kind: string;
  lock: string;
  ok: boolean;
  waitMs: number;
  heldMs: number;
  statements: number;
  statementsLocked: number;
  /** Wait after commit for the linker pass of its outboxed audit events (absent before the outbox). */
  linkMs?: number;
}
const writeStats: WriteStat[] = [];
/** Each pass of the audit chain's linker (`assay-link {…}` lines): events linked, callers served. */
interface LinkStat {
  events: number;
  callers: number;
  waitMs: number;
  /** Under the lock before the commit, by PostgreSQL's clock (absent in the first version). */
  workMs?: number;
  heldMs: number;
}
const linkStats: LinkStat[] = [];
/** Collects `assay-write {…}` lines from a child's standard error. */
function collectWriteStats(stream: NodeJS.ReadableStream): void {
  let rest = '';
  stream.on('data', (d) => {
    const lines = (rest + String(d)).split('\n');
    rest = lines.pop()!;
    for (const line of lines)
      if (line.startsWith('assay-write ')) writeStats.push(JSON.parse(line.slice(12)) as WriteStat);
      else if (line.startsWith('assay-link ')) linkStats.push(JSON.parse(line.slice(11)) as LinkStat);
  });
}
const ADMIN = process.env.ASSAY_TEST_DATABASE_URL;
if (!ADMIN) throw new Error('set ASSAY_TEST_DATABASE_URL (an admin URL; a throw-away database is created)');

interface Server {
  url: string;
  port: number;
  child: ChildProcess;
  token: string;
}

async function startServer(
  env: Record<string, string>,
  port: number,
  dataDir: string,
  first = false,
): Promise<Server> {
  const child = spawn(
    process.execPath,
    [
      ...(first && PROF_DIR ? ['--cpu-prof', '--cpu-prof-dir', PROF_DIR] : []),
      BIN,
      'serve',
      '--port',
      String(port),
      '--data-dir',
      dataDir,
      '--no-seed',
    ],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  collectWriteStats(child.stderr!);
  // Its standard error too (without the stats lines), so a server that fails to start says why.
  let err = '';
  child.stderr!.on('data', (d) => {
    err = (err + String(d).replace(/^assay-(?:write|link) .*\n/gm, '')).slice(-4000);
  });
  const token = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 60_000);
    child.stdout!.on('data', (d) => {
      out += String(d);
      if (out.includes('Assay is serving') && (!first || /assay_[A-Za-z0-9_-]{20,}/.test(out))) {
        clearTimeout(t);
        resolve(/\b(assay_[A-Za-z0-9_-]{20,})/.exec(out)?.[1] ?? '');
      }
    });
    child.once('exit', (c) => reject(new Error(`server exited ${c}: ${out}${err}`)));
  });
  return { url: `http://127.0.0.1:${port}`, port, child, token };
}

const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

async function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'worker'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  collectWriteStats(child.stderr!);
  child.stderr!.on('data', (d) => {
    out += String(d).replace(/^assay-(?:write|link) .*\n/gm, '');
  });
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`worker did not start: ${out}`)), 60_000);
    child.stdout!.on('data', (d) => {
      out += String(d);
      if (out.includes('is taking jobs')) {
        clearTimeout(t);
        resolve();
      }
    });
    child.once('exit', (c) => reject(new Error(`worker exited ${c}: ${out}`)));
  });
  return child;
}

async function loadPhase(): Promise<void> {
  const database = await throwAwayDatabase(ADMIN!, 'assay_bench');
  const { url } = database;
  const dirs = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'assay-scale-')));
  const env = {
    ASSAY_DATABASE_URL: url,
    ASSAY_BLOB_STORE: 'postgres',
    ASSAY_SIGNING_KEK: randomBytes(32).toString('base64'),
    ASSAY_SCHEDULER_INTERVAL_MS: '10000',
    ASSAY_SERVER_RUNS_JOBS: '0',
    ASSAY_URL: '',
    ASSAY_TOKEN: '',
    ASSAY_WRITE_STATS: '1',
    ...(LOCK_WHOLE ? { ASSAY_WRITE_LOCK: 'whole' } : {}),
  };
  const ports = [await freePort(), await freePort()];
  const servers: Server[] = [await startServer(env, ports[0]!, dirs[0]!, true)];
  servers.push(await startServer(env, ports[1]!, dirs[1]!));
  const token = servers[0]!.token;
  const workers = [await startWorker(env), await startWorker(env)];
  const targets = ports.map((port) => ({ host: '127.0.0.1', port }));
  const haproxy: Haproxy | null = DIRECT || !HAPROXY_LB ? null : await startHaproxy(targets);
  const proxy: NodeProxy | null = DIRECT || HAPROXY_LB ? null : await startProxy(targets);
  const lbUrl = haproxy?.url ?? proxy?.url;
  const http = httpClient(CLIENTS);
  const call = (s: Server, method: string, p: string, body?: unknown) =>
    http.request(lbUrl ?? s.url, method, p, token, body);
  const latencies: number[] = [];
  /** When each successful request started (ms since the load began), for the restart window. */
  const startedAt: number[] = [];
  const byKind = new Map<string, number[]>();
  let requests = 0;
  let errors = 0;
  let errorsWhileDown = 0;
  const errorClasses = new Map<string, number>();
  const classify = (what: string) => errorClasses.set(what, (errorClasses.get(what) ?? 0) + 1);
  let down = false;
  const acknowledged: string[] = [];
  const jobIds: string[] = [];
  const end = Date.now() + SECONDS * 1000;
  let loadStart = performance.now();
  let seq = 0;
  const client = async (c: number) => {
    while (Date.now() < end) {
      const s = servers[(c + seq++) % 2]!;
      const dice = Math.random();
      const write = dice < 0.3;
      const job = write && dice < 0.02 && acknowledged.length > 0;
      const key = `bench-${c}-${seq}`;
      const read = Math.random() < 0.5 ? '/api/v1/models?limit=20' : '/api/v1/audit/events?limit=20';
      const kind = job ? 'POST /jobs' : write ? 'POST /models' : `GET ${read.slice(7, read.indexOf('?'))}`;
      const t0 = performance.now();
      let ok = false;
      try {
        const r = job
          ? await call(s, 'POST', '/api/v1/jobs', {
              kind: 'audit-package.build',
              params: { model: acknowledged[acknowledged.length - 1] },
            })
          : write
            ? await call(s, 'POST', '/api/v1/models', { key, name: `Bench ${key}`, type: 'classification' })
            : await call(s, 'GET', read);
        const body = r.body;
        // Every request here should succeed: any status >= 300 is an error (no 4xx is expected).
        ok = r.status < 300;
        if (ok && job) jobIds.push((JSON.parse(body) as { id: string }).id);
        else if (ok && write) acknowledged.push(key);
        else if (!ok)
          classify(
            r.status === 502 && body.includes('bad_gateway')
              ? `502 from the load balancer (${(JSON.parse(body) as { message: string }).message})`
              : r.status >= 502 && r.status <= 504 && body.includes('<html>')
                ? `${r.status} from HAProxy (${body.match(/<h1>([^<]*)/)?.[1] ?? ''})`
                : `HTTP ${r.status} ${body.slice(0, 80)}`,
          );
      } catch (err) {
        ok = false;
        const e = err as NodeJS.ErrnoException;
        classify(e instanceof TimeoutError ? 'client timeout (10 s)' : `network: ${e.code ?? e.message}`);
      }
      requests++;
      if (ok) {
        const ms = performance.now() - t0;
        latencies.push(ms);
        startedAt.push(t0 - loadStart);
        pushTo(byKind, kind, ms);
      } else {
        errors++;
        if (down && s === servers[1]) errorsWhileDown++;
      }
    }
  };
  // The restart window: from the kill to the restarted server's "Assay is serving" line.
  const restart = { killedAt: 0, servingAt: 0, startCpu: 0 };
  const killer = (async () => {
    await new Promise((r) => setTimeout(r, (SECONDS * 1000) / 2));
    down = true;
    restart.killedAt = performance.now() - loadStart;
    servers[1]!.child.kill('SIGKILL');
    const restarted = await startServer(env, ports[1]!, dirs[1]!);
    restart.servingAt = performance.now() - loadStart;
    restart.startCpu = cpuSeconds(restarted.child.pid!);
    servers[1] = restarted;
    down = false;
    return restarted;
  })();
  // Where the servers wait: every 500 ms, the bench database's sessions by what they are doing.
  const sampler = new pg.Client({ connectionString: url });
  await sampler.connect();
  const waits = new Map<string, number[]>();
  let samples = 0;
  // PostgreSQL's CPU for the bench database: its backends' /proc CPU, each from its first sample
  // (the backends open at the start count from there; a later one from its start; one that lives
  // less than 500 ms between two samples is missed).
  const backendFirst = new Map<number, number>();
  const backendLast = new Map<number, number>();
  const sampleBackends = async () => {
    const r = await sampler.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    for (const { pid } of r.rows) {
      const s = cpuSeconds(pid);
      if (!backendFirst.has(pid)) backendFirst.set(pid, samples === 0 ? s : 0);
      if (s > 0) backendLast.set(pid, s);
    }
  };
  await sampleBackends();
  const sampling = setInterval(() => {
    void sampleBackends().catch(() => {});
    sampler
      .query<{ what: string; n: string }>(
        `SELECT CASE WHEN wait_event = 'advisory' THEN 'waiting for the writers lock'
                     WHEN state = 'idle in transaction' THEN 'idle in transaction (holder working in Node)'
                     WHEN state = 'active' THEN 'running a statement' || coalesce(' (' || wait_event_type || ')', '')
                     ELSE coalesce(state, 'other') END AS what, count(*) AS n
           FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() GROUP BY 1`,
      )
      .then((r) => {
        samples++;
        for (const row of r.rows) pushTo(waits, row.what, Number(row.n));
      })
      .catch(() => {});
  }, 500);
  const started = Date.now();
  // CPU from here on: the processes' start-up (migrations, the first user and token) is not counted
  // (the restarted server's start is: it happens during the load).
  const pids = () => [...servers.map((x) => x.child.pid!), ...workers.map((w) => w.pid!)];
  const cpu0 = pids().map(cpuSeconds);
  const lbCpu0 = haproxy ? cpuSeconds(haproxy.child.pid!) : 0;
  const benchCpu0 = process.cpuUsage();
  loadStart = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
  await killer;
  const cpu = pids().map((pid, i) => cpuSeconds(pid) - (i === 1 ? 0 : cpu0[i]!));
  const lbCpu = haproxy ? cpuSeconds(haproxy.child.pid!) - lbCpu0 : 0;
  const benchUsage = process.cpuUsage(benchCpu0);
  const benchCpu = (benchUsage.user + benchUsage.system) / 1e6;
  clearInterval(sampling);
  await sampleBackends().catch(() => {});
  const pgCpu = [...backendLast].reduce(
    (a, [pid, s]) => a + Math.max(0, s - (backendFirst.get(pid) ?? 0)),
    0,
  );
  const lbStats = await haproxy?.stats();
  await proxy?.close();
  await haproxy?.close();
  http.close();
  await sampler.end();
  const elapsed = (Date.now() - started) / 1000;
  // Every acknowledged write is in the database.
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const { rows } = await db.query<{ key: string }>(`SELECT key FROM models WHERE key LIKE 'bench-%'`);
  const present = new Set(rows.map((r) => r.key));
  const lost = acknowledged.filter((k) => !present.has(k));
  // Every requested job ends succeeded on a worker (waiting up to 2 minutes for the queue to drain).
  const drainEnd = Date.now() + 120_000;
  let jobs: { status: string; n: number }[] = [];
  let jobSeconds: number[] = [];
  for (;;) {
    const q = await db.query<{ status: string; n: string }>(
      `SELECT status, count(*) AS n FROM jobs WHERE id = ANY($1) GROUP BY status`,
      [jobIds],
    );
    jobs = q.rows.map((r) => ({ status: r.status, n: Number(r.n) }));
    const open = jobs
      .filter((j) => j.status === 'queued' || j.status === 'running')
      .reduce((a, j) => a + j.n, 0);
    if (open === 0 || Date.now() > drainEnd) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const timing = await db.query<{ s: number }>(
    `SELECT EXTRACT(EPOCH FROM (finished_at::timestamptz - created_at::timestamptz))::float8 AS s FROM jobs WHERE id = ANY($1) AND status = 'succeeded'`,
    [jobIds],
  );
  jobSeconds = timing.rows.map((r) => Number(r.s));
  const built = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM audit_events WHERE action = 'audit_package.built' AND entity_id = ANY($1)`,
    [jobIds],
  );
  // Where PostgreSQL read rows without an index: the tables most scanned sequentially.
  const scans = await db.query<{ relname: string; seq_scan: string; seq_tup_read: string; idx_scan: string }>(
    `SELECT relname, seq_scan, seq_tup_read, coalesce(idx_scan, 0) AS idx_scan FROM pg_stat_user_tables
      WHERE seq_scan > 0 ORDER BY seq_tup_read DESC LIMIT 6`,
  );
  await db.end();
  for (const w of workers) w.kill('SIGTERM');
  for (const s of servers) s.child.kill('SIGTERM');
  const verify = spawnSync(process.execPath, [BIN, 'audit', 'verify', '--database-url', url], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ASSAY_URL: '', ASSAY_TOKEN: '' },
  });
  console.log(
    `load: ${CLIENTS} clients, ${elapsed.toFixed(0)} s, 2 servers + 2 workers (one server kill -9 at ${SECONDS / 2} s and restarted); uptime: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`,
  );
  console.log(
    `  requests ${requests} (${(requests / elapsed).toFixed(0)}/s), errors ${errors} (${((100 * errors) / Math.max(1, requests)).toFixed(2)}%; ${errorsWhileDown} to the killed server while it was down)`,
  );
  for (const [what, n] of [...errorClasses].sort((a, b) => b[1] - a[1])) console.log(`    ${n} × ${what}`);
  if (lbStats)
    console.log(
      `  load balancer: HAProxy (${HAPROXY}): ${lbStats.retries} connection retries, ${lbStats.redispatches} redispatched to the other server, ${lbStats.errors5xx} answered 5xx, servers taken out ${lbStats.markedDown} times`,
    );
  else if (proxy)
    console.log(
      `  load balancer: ${proxy.stats.retriedRefused} requests retried after a refused connection, ${proxy.stats.badGateway} answered 502, servers taken out ${proxy.stats.markedDown} times`,
    );
  else console.log('  no load balancer (--no-lb): clients alternate between the servers');
  console.log(
    `  latency of successful requests: p50 ${pct(latencies, 50).toFixed(1)} ms, p95 ${pct(latencies, 95).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms`,
  );
  const inWindow = (i: number) => startedAt[i]! >= restart.killedAt && startedAt[i]! <= restart.servingAt;
  const windowed = latencies.filter((_, i) => inWindow(i));
  const steady = latencies.filter((_, i) => !inWindow(i));
  console.log(
    `    restart window (kill -9 to the restarted server serving): ${((restart.servingAt - restart.killedAt) / 1000).toFixed(1)} s, its start ${restart.startCpu.toFixed(1)} CPU-s; requests started in it ${windowed.length}: p50 ${pct(windowed, 50).toFixed(1)} ms, p99 ${pct(windowed, 99).toFixed(1)} ms`,
  );
  console.log(
    `    steady state (the rest): ${steady.length} requests: p50 ${pct(steady, 50).toFixed(1)} ms, p99 ${pct(steady, 99).toFixed(1)} ms`,
  );
  console.log(`  database sessions of the bench database, ${samples} samples (mean / max):`);
  for (const [what, xs] of [...waits].sort()) {
    const sum = xs.reduce((a, b) => a + b, 0);
    console.log(`    ${what}: ${(sum / Math.max(1, samples)).toFixed(1)} / ${Math.max(...xs)}`);
  }
  console.log(
    `  write transactions (servers and workers; lock ${LOCK_WHOLE ? 'taken first by every write (--lock-whole)' : "as each write asks ('whole' or 'audit')"}): held from granted to commit, ms`,
  );
  const kinds = new Map<string, WriteStat[]>();
  for (const w of writeStats)
    kinds.set(`${w.kind} [${w.lock}]`, [...(kinds.get(`${w.kind} [${w.lock}]`) ?? []), w]);
  for (const [k, ws] of [...kinds].sort((a, b) => b[1].length - a[1].length)) {
    const held = ws.filter((w) => w.heldMs > 0 || w.statementsLocked > 0);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    console.log(
      `    ${k.padEnd(40)} n ${String(ws.length).padStart(5)}  held p50 ${pct(
        held.map((w) => w.heldMs),
        50,
      ).toFixed(1)}, p99 ${pct(
        held.map((w) => w.heldMs),
        99,
      ).toFixed(1)}, total ${(held.reduce((a, w) => a + w.heldMs, 0) / 1000).toFixed(1)} s; wait p50 ${pct(
        held.map((w) => w.waitMs),
        50,
      ).toFixed(1)}, p99 ${pct(
        held.map((w) => w.waitMs),
        99,
      ).toFixed(1)}; statements ${mean(ws.map((w) => w.statements)).toFixed(1)}, under the lock ${mean(
        ws.map((w) => w.statementsLocked),
      ).toFixed(1)}; failed ${ws.filter((w) => !w.ok).length}${
        ws.some((w) => (w.linkMs ?? 0) > 0)
          ? `; linked after commit p50 ${pct(
              ws.map((w) => w.linkMs ?? 0),
              50,
            ).toFixed(1)}, p99 ${pct(
              ws.map((w) => w.linkMs ?? 0),
              99,
            ).toFixed(1)}`
          : ''
      }`,
    );
  }
  if (linkStats.length > 0) {
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    // Passes that took the lock (an empty outbox is seen without it).
    const locked = linkStats.filter((l) => l.events > 0 || l.waitMs > 0);
    const dist = (xs: number[]) =>
      `p50 ${pct(xs, 50).toFixed(1)}, p99 ${pct(xs, 99).toFixed(1)}, total ${(sum(xs) / 1000).toFixed(1)} s`;
    console.log(
      `    audit linker passes (outbox -> chain)   n ${String(linkStats.length).padStart(5)}, ${locked.length} took the lock; events ${sum(linkStats.map((l) => l.events))}, max ${Math.max(...linkStats.map((l) => l.events))} a pass; callers mean ${(sum(linkStats.map((l) => l.callers)) / linkStats.length).toFixed(1)}`,
    );
    console.log(
      `      under the lock before commit (PostgreSQL's clock) ${dist(locked.map((l) => l.workMs ?? 0))}; granted to commit done (client side, an upper bound) ${dist(locked.map((l) => l.heldMs))}; wait ${dist(locked.map((l) => l.waitMs))}`,
    );
  }
  for (const [k, xs] of byKind)
    console.log(
      `    ${k.padEnd(18)} n ${String(xs.length).padStart(5)}  p50 ${pct(xs, 50).toFixed(1)} ms, p95 ${pct(xs, 95).toFixed(1)} ms, p99 ${pct(xs, 99).toFixed(1)} ms`,
    );
  console.log(
    `  CPU seconds (user+system): server 1 ${cpu[0]!.toFixed(1)}, server 2 (restarted) ${cpu[1]!.toFixed(1)}, workers ${cpu[2]!.toFixed(1)} + ${cpu[3]!.toFixed(1)}; bench process (clients${proxy ? ' and proxy.ts' : ''}) ${benchCpu.toFixed(1)}${haproxy ? `; HAProxy ${lbCpu.toFixed(1)}` : ''}; PostgreSQL backends of the bench database ${pgCpu.toFixed(1)} (${backendLast.size} backends)`,
  );
  const total = cpu.reduce((a, b) => a + b, 0) + lbCpu + benchCpu + pgCpu;
  console.log(
    `    in all ${total.toFixed(1)} CPU-s = ${((1000 * total) / Math.max(1, requests)).toFixed(2)} CPU-ms a request (during the load; PostgreSQL's own background processes not counted)`,
  );
  console.log(
    `  sequential scans (pg_stat_user_tables, the most rows read): ${scans.rows.map((r) => `${r.relname} ${r.seq_scan} scans / ${r.seq_tup_read} rows (index scans ${r.idx_scan})`).join('; ')}`,
  );
  console.log(`  acknowledged writes ${acknowledged.length}, lost ${lost.length}`);
  console.log(`  audit verify: exit ${verify.status}: ${verify.stdout.trim().split('\n')[0]}`);
  // Events still in the chain's outbox after verify's own linker pass (none expected).
  for (const line of verify.stdout.split('\n')) if (line.startsWith('pending:')) console.log(`    ${line}`);
  console.log(
    `  jobs (audit packages on 2 workers): requested ${jobIds.length}, ${jobs.map((j) => `${j.status} ${j.n}`).join(', ')}; built events ${built.rows[0]?.n}; request to finish p50 ${pct(jobSeconds, 50).toFixed(1)} s, p99 ${pct(jobSeconds, 99).toFixed(1)} s`,
  );
  await database.drop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
}

/** Appends to the list under `key` (no copy: the old spread copied the list per request). */
function pushTo<T>(m: Map<string, T[]>, key: string, x: T): void {
  const xs = m.get(key);
  if (xs) xs.push(x);
  else m.set(key, [x]);
}

await loadPhase();
// The blob reads (also alone: bench/scale-out/blob-read.ts), s3rver in a child process.
if (!NO_BLOBS) await measureBlobReads(ADMIN, BLOB_MB, 3);
