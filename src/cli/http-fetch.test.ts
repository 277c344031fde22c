import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssayApiError, Transport } from '../sdk/client.ts';
import { httpFetch } from './http-fetch.ts';

let server: Server;
let base = '';
const seen: { method: string; url: string; headers: Record<string, unknown>; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.url?.startsWith('/missing')) {
        res.writeHead(404, { 'content-type': 'application/json', 'x-request-id': 'r-404' });
        res.end(JSON.stringify({ error: { code: 'not_found', message: 'no such model', id: 'r-404' } }));
        return;
      }
      if (req.url === '/big') {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'set-cookie': ['a=1', 'b=2'] });
        res.end(Buffer.alloc(300_000, 7));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, body, type: req.headers['content-type'] ?? null }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("the CLI's node:http fetch", () => {
  it('answers as the global fetch does for the SDK: JSON, query, headers, error envelope', async () => {
    for (const fetchImpl of [httpFetch, undefined]) {
      const t = new Transport({ baseUrl: base, token: 'assay_t', fetch: fetchImpl });
      expect(await t.call('POST', '/echo', { json: { a: 'é' }, query: { q: 'x y' } })).toEqual({
        method: 'POST',
        body: '{"a":"é"}',
        type: 'application/json',
      });
      const last = seen.at(-1)!;
      expect(last.url).toBe('/echo?q=x+y');
      expect(last.headers.authorization).toBe('Bearer assay_t');
      const err = await t.call('GET', '/missing').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AssayApiError);
      expect(err).toMatchObject({
        status: 404,
        code: 'not_found',
        message: 'no such model',
        requestId: 'r-404',
      });
    }
  });

  it('sends byte bodies with their length and reads bytes, text and streams', async () => {
    const bytes = new Uint8Array([1, 2, 3, 200]);
    const res = await httpFetch(`${base}/echo`, { method: 'PUT', body: bytes, headers: {} });
    expect(res.ok).toBe(true);
    expect(seen.at(-1)!.headers['content-length']).toBe('4');
    expect(JSON.parse(await res.text()).method).toBe('PUT');
    await expect(res.text()).rejects.toThrow(/already read/);

    const big = await httpFetch(`${base}/big`, { method: 'GET' });
    expect(big.headers.get('Set-Cookie')).toBe('a=1, b=2');
    expect(big.headers.get('x-nothing')).toBeNull();
    let total = 0;
    for await (const chunk of big.body as unknown as AsyncIterable<Uint8Array>) total += chunk.length;
    expect(total).toBe(300_000);
    expect((await (await httpFetch(`${base}/big`, { method: 'GET' })).arrayBuffer()).byteLength).toBe(
      300_000,
    );
  });

  it('hands multipart bodies to the global fetch', async () => {
    const form = new FormData();
    form.append('metadata', '{}');
    const res = await httpFetch(`${base}/echo`, { method: 'POST', body: form });
    expect(JSON.parse(await res.text()).type).toMatch(/^multipart\/form-data; boundary=/);
  });

  it('fails like fetch when nothing listens: the SDK says the server cannot be reached and why', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const t = new Transport({ baseUrl: `http://127.0.0.1:${port}`, fetch: httpFetch });
    const err = await t.call('GET', '/x').catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 0, code: 'unavailable' });
    expect((err as Error).message).toContain('ECONNREFUSED');
  });
});
