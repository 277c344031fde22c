// The CLI's HTTP client: a fetch of the shape the SDK takes (HttpFetch) over node:http(s). Node's
// global fetch is undici, which Node loads on its first use (tens of milliseconds of every command
// that talks to a server); node:http is already part of Node's start-up snapshot. Request bodies
// the SDK sends as strings or bytes go through node:http; multipart bodies (FormData: evidence
// uploads, `validate --push`) are encoded by the global fetch. Redirects are not followed (the API
// answers without them); the answer is not decompressed (no accept-encoding is sent).
import type { IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import type { HttpFetch, HttpResponse } from '../sdk/client.ts';

/** Sends one request with node:http(s) (or the global fetch for a FormData body). */
export const httpFetch: HttpFetch = async (url, init) => {
  const body = init.body;
  if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Uint8Array)) {
    return globalThis.fetch(url, init);
  }
  const target = new URL(url);
  const request = target.protocol === 'https:' ? (await import('node:https')).request : httpRequest;
  const headers = { ...(init.headers as Record<string, string> | undefined) };
  if (body !== undefined && body !== null) headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise<HttpResponse>((resolve, reject) => {
    const req = request(target, { method: init.method ?? 'GET', headers }, (res) => resolve(answer(res)));
    // the shape of fetch's network errors: a TypeError whose cause carries the socket's code
    req.on('error', (err) => reject(new TypeError('fetch failed', { cause: err })));
    req.end(body ?? undefined);
  });
};

function answer(res: IncomingMessage): HttpResponse {
  const status = res.statusCode ?? 0;
  let consumed = false;
  const take = (): IncomingMessage => {
    if (consumed) throw new TypeError('the answer body was already read');
    consumed = true;
    return res;
  };
  const bytes = async (): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    for await (const chunk of take()) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  let stream: ReadableStream<Uint8Array> | null = null;
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: res.statusMessage ?? '',
    headers: {
      get: (name) => {
        const v = res.headers[name.toLowerCase()];
        return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
      },
    },
    get body() {
      stream ??= Readable.toWeb(take()) as ReadableStream<Uint8Array>;
      return stream;
    },
    text: async () => (await bytes()).toString('utf8'),
    arrayBuffer: async () => {
      const b = await bytes();
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
    },
  };
}
