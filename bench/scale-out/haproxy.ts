// The scale-out benchmark's load balancer when HAProxy is installed (/usr/sbin/haproxy; Debian's
// `haproxy` package): the configuration docs/deployment.md documents, with the servers' ports
// filled in. Health checks GET /api/health every second (a server out after two failures or one
// refused connection, back after one pass), round robin, and a request whose connection was refused (nothing sent) is retried on
// the other server (`retries` + `option redispatch 1`; HAProxy retries only connection failures by
// default, never a request already sent). One process, one thread: its CPU is one line of the report.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './support.ts';

export const HAPROXY = '/usr/sbin/haproxy';

/** The configuration (docs/deployment.md, "Load balancer"), for servers at `targets`. */
export function haproxyConfig(
  listenPort: number,
  targets: { host: string; port: number }[],
  socket: string,
  maxconn = Number(process.env.ASSAY_BENCH_LB_MAXCONN ?? 1000),
) {
  return `global
    nbthread 1
    maxconn 4096
    stats socket ${socket} mode 600 level admin

defaults
    mode http
    option http-keep-alive
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-keep-alive 30s
    # A refused connection (nothing sent) is tried again, on the other server (redispatch on every
    # retry); a request already sent is never retried (retry-on's default is conn-failure only).
    retries 2
    option redispatch 1
    # Uploads and downloads are streamed: no request or response buffering to configure here.

frontend assay
    bind 127.0.0.1:${listenPort}
    default_backend assay_servers

backend assay_servers
    balance roundrobin
    option httpchk GET /api/health
    http-check expect status 200
    # A check every second (every 250 ms while a server is down or failing); two failed checks, or
    # one refused connection seen on live traffic (observe layer4), take a server out; one passed
    # check brings it back. A busy server answers its check late, not wrongly: allow it 5 s.
    timeout check 5s
    default-server check inter 1s fastinter 250ms downinter 250ms fall 2 rise 1 observe layer4 error-limit 1 on-error mark-down maxconn ${maxconn}
${targets.map((t, i) => `    server assay${i + 1} ${t.host}:${t.port}`).join('\n')}
`;
}

export interface HaproxyStats {
  retries: number;
  redispatches: number;
  errors5xx: number;
  markedDown: number;
}

export interface Haproxy {
  url: string;
  child: ChildProcess;
  stats(): Promise<HaproxyStats>;
  close(): Promise<void>;
}

/** Sends one command to the stats socket and returns the answer. */
function socketCommand(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const c = net.createConnection(socket, () => c.end(`${command}\n`));
    c.on('data', (d) => {
      out += String(d);
    });
    c.on('end', () => resolve(out));
    c.on('error', reject);
  });
}

export async function startHaproxy(targets: { host: string; port: number }[]): Promise<Haproxy> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-haproxy-'));
  const port = await freePort();
  const socket = path.join(dir, 'stats.sock');
  const cfg = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(cfg, haproxyConfig(port, targets, socket));
  // -db: foreground, no daemon; -W not used: one process, whose pid is the one measured.
  const child = spawn(HAPROXY, ['-db', '-f', cfg], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => {
    err += String(d);
  });
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`haproxy exited ${child.exitCode}: ${err}`);
    const up = await new Promise<boolean>((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => {
        c.end();
        resolve(true);
      });
      c.on('error', () => resolve(false));
    });
    if (up) break;
    if (i > 100) throw new Error(`haproxy did not listen: ${err}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    stats: async () => {
      // `show stat` CSV: the backend line has the retries, redispatches and 5xx answers; the
      // server lines count how often each was taken out (chkdown).
      const csv = await socketCommand(socket, 'show stat');
      const [head, ...rows] = csv.trim().split('\n');
      const cols = head!.replace(/^# /, '').split(',');
      const col = (r: string[], name: string) => Number(r[cols.indexOf(name)] || 0);
      const stats: HaproxyStats = { retries: 0, redispatches: 0, errors5xx: 0, markedDown: 0 };
      for (const line of rows) {
        const r = line.split(',');
        if (r[0] !== 'assay_servers') continue;
        if (r[1] === 'BACKEND') {
          stats.retries = col(r, 'wretr');
          stats.redispatches = col(r, 'wredis');
          stats.errors5xx = col(r, 'hrsp_5xx');
        } else stats.markedDown += col(r, 'chkdown');
      }
      return stats;
    },
    close: async () => {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
