/**
 * Hostile variants of a valid request, for the "bad input never gives a 500" test: NUL bytes,
 * oversized strings, wrong types, unknown usernames, garbage cursors and query parameters, odd
 * path parameters. Each variant says what it changed, so a failure names it.
 */

/** One hostile request. */
export interface HostileRequest {
  what: string;
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

const NUL = 'a\u0000b';
const HUGE = 'x'.repeat(200_000);
const UNKNOWN_USER = 'no-such-user-zz';
const b64 = (text: string) => Buffer.from(text).toString('base64url');

/** Cursors no server issued: garbage, negative, huge, wrong shapes of every encoding in use. */
export const GARBAGE_CURSORS: readonly string[] = [
  'garbage',
  '!!!',
  '%00',
  'A'.repeat(5000),
  b64('o:-1'),
  b64('o:99999999999999999999'),
  b64('s:-5'),
  b64('s:1e308'),
  b64('w:-1'),
  b64('null'),
  b64('[]'),
  b64('{}'),
  b64('"x"'),
  b64('[1e999,"x"]'),
  b64(JSON.stringify({ v: { a: 1 }, i: 5 })),
  b64(JSON.stringify({ value: [1, 2], id: {} })),
  b64(JSON.stringify(['2026-01-01', null])),
  b64(JSON.stringify([null, 'x'])),
  b64('\u0000'),
  b64(JSON.stringify(['a', 'x\u0000'])),
  b64(JSON.stringify(['2026-01-01T00:00:00.000Z\u0000', 'x'])),
  b64(JSON.stringify([1, 'x\u0000'])),
  b64('o:1\u0000'),
];

/** Query parameters worth abusing on any GET route. */
const QUERY_ABUSE: readonly string[] = [
  'limit=-1',
  'limit=0',
  'limit=1e309',
  'limit=abc',
  'limit=99999999999',
  'q=%00',
  'owner=%00',
  `q=${'y'.repeat(10_000)}`,
  'asOf=not-a-date',
  'asOf=99999-01-01',
  'status=%00',
  'model=%00',
  'version=%00',
  'env=%00',
  'cursor=',
  'cursor[]=a&cursor[]=b',
];

/** Every string leaf of a JSON value with its path, for field-by-field mutation. */
function leaves(
  value: unknown,
  path: (string | number)[] = [],
): { path: (string | number)[]; value: unknown }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return [{ path, value }];
}

function setAt(value: unknown, path: (string | number)[], next: unknown): unknown {
  if (path.length === 0) return next;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<
    string | number,
    unknown
  >;
  const [head, ...rest] = path;
  copy[head!] = setAt(copy[head!], rest, next);
  return copy;
}

/** Body variants of a JSON body: every leaf set to NUL, huge, the wrong type, an unknown user. */
function bodyVariants(body: unknown): { what: string; body: unknown }[] {
  const out: { what: string; body: unknown }[] = [
    { what: 'body null', body: 'null' },
    { what: 'body array', body: [] },
    { what: 'body number', body: '12' },
    { what: 'body not JSON', body: '{"a":' },
    { what: 'body with NUL key', body: { [NUL]: 1 } },
  ];
  if (body === undefined || typeof body !== 'object' || body === null) return out;
  for (const { path, value } of leaves(body)) {
    const name = path.join('.');
    out.push({ what: `${name} with NUL`, body: setAt(body, path, typeof value === 'string' ? NUL : [NUL]) });
    out.push({ what: `${name} huge`, body: setAt(body, path, HUGE) });
    out.push({
      what: `${name} wrong type`,
      body: setAt(body, path, typeof value === 'string' ? 12345 : typeof value === 'number' ? 'x' : { x: 1 }),
    });
    out.push({ what: `${name} unknown user`, body: setAt(body, path, UNKNOWN_USER) });
    out.push({ what: `${name} negative`, body: setAt(body, path, -1e308) });
  }
  for (const key of Object.keys(body)) {
    const rest = { ...(body as Record<string, unknown>) };
    delete rest[key];
    out.push({ what: `without ${key}`, body: rest });
  }
  return out;
}

/** Variants of a multipart body: NUL injected into each JSON string value and into the file name. */
function multipartVariants(body: Buffer): { what: string; body: Buffer }[] {
  const text = body.toString('latin1');
  const out: { what: string; body: Buffer }[] = [];
  for (const m of text.matchAll(/"(\w+)":"([^"]*)"/g)) {
    const next = text.slice(0, m.index) + `"${m[1]}":"a\\u0000b"` + text.slice(m.index! + m[0].length);
    out.push({ what: `multipart ${m[1]} with NUL`, body: Buffer.from(next, 'latin1') });
  }
  out.push({
    what: 'multipart file name with NUL',
    body: Buffer.from(text.replace(/filename="/, 'filename="a\u0000'), 'latin1'),
  });
  out.push({ what: 'multipart truncated', body: body.subarray(0, Math.floor(body.length / 2)) });
  return out;
}

/** Variants of the path: each parameter (positions where the pattern has `:name`) made hostile. */
function pathVariants(pattern: string, path: string): { what: string; url: string }[] {
  const patternSegs = pattern.split('/');
  const segs = path.split('/');
  const out: { what: string; url: string }[] = [];
  patternSegs.forEach((p, i) => {
    if (!p.startsWith(':')) return;
    for (const bad of [
      '%00',
      'a%00b',
      'y'.repeat(3000),
      '%E0%A4%A',
      '..',
      '0191d7a0-0000-7000-8000-000000000000',
      '-1',
      '%20',
    ]) {
      const next = [...segs];
      next[i] = bad;
      out.push({ what: `${p} = ${bad.slice(0, 20)}`, url: next.join('/') });
    }
  });
  return out;
}

/** Every hostile variant of a valid request to the route `pattern`. */
export function hostileVariants(
  method: string,
  pattern: string,
  valid: { url: string; body?: unknown; headers?: Record<string, string> },
): HostileRequest[] {
  const [path = '', query] = valid.url.split('?');
  const withQuery = (extra: string) => `${path}?${query ? `${query}&` : ''}${extra}`;
  const out: HostileRequest[] = [];
  for (const v of pathVariants(pattern, path))
    out.push({
      what: v.what,
      url: query ? `${v.url}?${query}` : v.url,
      body: valid.body,
      headers: valid.headers,
    });
  if (method === 'GET') {
    for (const c of GARBAGE_CURSORS)
      out.push({ what: `cursor ${c.slice(0, 20)}`, url: withQuery(`cursor=${encodeURIComponent(c)}`) });
    for (const q of QUERY_ABUSE) out.push({ what: `query ${q.slice(0, 30)}`, url: withQuery(q) });
    for (const pair of (query ?? '').split('&').filter(Boolean)) {
      const [k] = pair.split('=');
      for (const bad of ['%00', 'z'.repeat(10_000), '-1', '%E0%A4%A'])
        out.push({
          what: `query ${k}=${bad.slice(0, 10)}`,
          url: `${path}?${query!.replace(pair, `${k}=${bad}`)}`,
        });
    }
    return out;
  }
  if (Buffer.isBuffer(valid.body)) {
    for (const v of multipartVariants(valid.body))
      out.push({ what: v.what, url: valid.url, body: v.body, headers: valid.headers });
    return out;
  }
  for (const v of bodyVariants(valid.body))
    out.push({ what: v.what, url: valid.url, body: v.body, headers: valid.headers });
  return out;
}
