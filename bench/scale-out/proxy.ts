// The scale-out benchmark's load balancer: a small reverse proxy (node:http) in front of the API
// servers, doing what a real one (nginx, HAProxy, a cloud load balancer) does for Assay as
// docs/deployment.md describes it:
// - health checks: GET /api/health on every server every `healthEveryMs`; a server that fails one
//   (or refuses a connection) is taken out of rotation until a check passes again;
// - round robin over the healthy servers;
// - a request is retried on another server only when the connection was refused (ECONNREFUSED:
//   nothing was sent, so nothing can have happened); a connection reset or a timeout after the
//   request went out is answered 502 to the client, never retried (the write may have happened).
import http from 'node:http';

export interface ProxyStats {
  retriedRefused: number;
  badGateway: number;
  markedDown: number;
}

export interface Proxy {
  url: string;
  stats: ProxyStats;
  close(): Promise<void>;
}

interface Backend {
  host: string;
  port: number;
  healthy: boolean;
}

export async function startProxy(
  targets: { host: string; port: number }[],
  opts: { healthEveryMs?: number } = {},
): Promise<Proxy> {
  const backends: Backend[] = targets.map((t) => ({ ...t, healthy: true }));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const stats: ProxyStats = { retriedRefused: 0, badGateway: 0, markedDown: 0 };
  let next = 0;

  const markDown = (b: Backend) => {
    if (b.healthy) stats.markedDown++;
    b.healthy = false;
  };
  const check = (b: Backend) =>
    new Promise<void>((resolve) => {
      const req = http.get(
        { host: b.host, port: b.port, path: '/api/health', timeout: 1000, agent: false },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode === 200) b.healthy = true;
            else markDown(b);
            resolve();
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('health check timed out')));
      req.on('error', () => {
        markDown(b);
        resolve();
      });
    });
  const healthTimer = setInterval(() => {
    for (const b of backends) void check(b);
  }, opts.healthEveryMs ?? 500);

  /** The healthy servers in round-robin order, then the unhealthy ones (last resort). */
  const order = (): Backend[] => {
    const start = next++ % backends.length;
    const rotated = [...backends.slice(start), ...backends.slice(0, start)];
    return [...rotated.filter((b) => b.healthy), ...rotated.filter((b) => !b.healthy)];
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const candidates = order();
      const attempt = (i: number) => {
        const b = candidates[i]!;
        const up = http.request(
          {
            host: b.host,
            port: b.port,
            method: req.method,
            path: req.url,
            headers: { ...req.headers, 'content-length': String(body.length), connection: 'keep-alive' },
            agent,
          },
          (upRes) => {
            res.writeHead(upRes.statusCode ?? 502, upRes.headers);
            upRes.pipe(res);
            upRes.on('error', () => res.destroy());
          },
        );
        up.on('error', (err: NodeJS.ErrnoException) => {
          if (err.code === 'ECONNREFUSED') {
            markDown(b);
            if (i + 1 < candidates.length) {
              stats.retriedRefused++;
              attempt(i + 1);
              return;
            }
          }
          stats.badGateway++;
          if (!res.headersSent) {
            res.writeHead(502, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ error: 'bad_gateway', message: err.code ?? err.message }));
          } else res.destroy();
        });
        up.end(body);
      };
      attempt(0);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    close: async () => {
      clearInterval(healthTimer);
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
