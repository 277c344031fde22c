// The scale-out benchmark's HTTP client: node:http with one keep-alive agent (a socket per closed-loop
// client), cheaper in CPU than `fetch` (undici's WHATWG layer: streams, Headers, AbortSignal per
// request), so the bench process takes less of the two cores the servers need.
import http from 'node:http';

export interface Reply {
  status: number;
  body: string;
}

export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

export function httpClient(sockets: number, timeoutMs = 10_000) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  const request = (base: string, method: string, path: string, token: string, body?: unknown) =>
    new Promise<Reply>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const headers: http.OutgoingHttpHeaders = { authorization: `Bearer ${token}` };
      if (payload !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(payload);
      }
      const req = http.request(`${base}${path}`, { method, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      });
      const timer = setTimeout(() => req.destroy(new TimeoutError('client timeout')), timeoutMs);
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.end(payload);
    });
  return { request, close: () => agent.destroy() };
}
