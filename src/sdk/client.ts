import type { z } from 'zod';

/** An error answer from the Assay API (or no answer at all: status 0, code `unavailable`). */
export class AssayApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    /** The server's request id (also in its log), when there was an answer. */
    readonly requestId: string | null = null,
  ) {
    super(message);
    this.name = 'AssayApiError';
  }

  /** The offending field of a 400, when the server named one. */
  get field(): string | undefined {
    const f = this.details.field;
    return typeof f === 'string' ? f : undefined;
  }
}

/** Query values; undefined, null and empty strings are left out. */
export type Query = Record<string, string | number | boolean | null | undefined>;

/** Options of one request. */
export interface CallOptions<T> {
  query?: Query | undefined;
  /** A JSON body. */
  json?: unknown;
  /** A raw body (file upload) with its content type. */
  raw?: { body: string | Uint8Array<ArrayBuffer>; contentType: string } | undefined;
  /** A multipart/form-data body (fetch sets the content type with its boundary). */
  form?: FormData | undefined;
  ifMatch?: number | undefined;
  /** The schema the answer must match; omitted for non-JSON answers. */
  schema?: z.ZodType<T>;
}

/** The part of a fetch Response the SDK reads (Node's and browsers' fetch give more). */
export interface HttpResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };
  /** The body as a stream, read once instead of text()/arrayBuffer(). */
  readonly body: ReadableStream<Uint8Array> | null;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** What the SDK sends requests with: the global fetch, or any function of the same shape. */
export type HttpFetch = (url: string, init: RequestInit) => Promise<HttpResponse>;

/** Options of a client. */
export interface AssayClientOptions {
  baseUrl: string;
  token?: string | null | undefined;
  /** For tests and custom transports (the CLI's is node:http); defaults to the global fetch. */
  fetch?: HttpFetch;
  /** Adds `x-request-id` to every request (the server echoes its own id in answers). */
  requestIdPrefix?: string;
}

/** Builds `path?query`, skipping empty values. */
export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** The HTTP layer of the SDK: JSON in, validated JSON out, the error envelope as AssayApiError. */
export class Transport {
  readonly baseUrl: string;
  private readonly token: string | null;
  private readonly fetchImpl: HttpFetch;

  constructor(options: AssayClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.token = options.token ?? null;
    this.fetchImpl = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  }

  /** Sends one request; returns the parsed JSON answer (validated when a schema is given). */
  async call<T>(method: string, path: string, options: CallOptions<T> = {}): Promise<T> {
    const res = await this.send(method, path, options);
    const text = await res.text();
    const json = parseJson(text);
    if (!options.schema) return json as T;
    const parsed = options.schema.safeParse(json);
    if (!parsed.success) {
      throw new AssayApiError(
        res.status,
        'invalid_response',
        `the server's answer to ${method} ${path} does not match the API contract: ${parsed.error.issues[0]?.message ?? ''} at ${parsed.error.issues[0]?.path.join('.') ?? ''}`,
        {},
        res.headers.get('x-request-id'),
      );
    }
    return parsed.data;
  }

  /** Sends one request and returns the answer's text (exports, CSV). */
  async text(method: string, path: string, options: CallOptions<unknown> = {}): Promise<string> {
    return (await this.send(method, path, options)).text();
  }

  /** Sends one request and returns the answer's bytes (PDF exports). */
  async bytes(
    method: string,
    path: string,
    options: CallOptions<unknown> = {},
  ): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(await (await this.send(method, path, options)).arrayBuffer());
  }

  /** Sends one request and returns the answer as it arrives (large downloads: read `body` as a stream). */
  async response(method: string, path: string, options: CallOptions<unknown> = {}): Promise<HttpResponse> {
    return this.send(method, path, options);
  }

  private async send(method: string, path: string, options: CallOptions<unknown>): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
    const init: RequestInit = { method, headers };
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(options.json);
    } else if (options.raw) {
      headers['content-type'] = options.raw.contentType;
      init.body = options.raw.body;
    } else if (options.form) {
      init.body = options.form;
    }
    let res: HttpResponse;
    try {
      res = await this.fetchImpl(this.baseUrl + withQuery(path, options.query), init);
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new AssayApiError(
        0,
        'unavailable',
        `cannot reach the Assay server at ${this.baseUrl}: ${cause?.code ?? cause?.message ?? (err as Error).message}`,
      );
    }
    if (!res.ok) {
      const body = parseJson(await res.text()) as
        | {
            error?:
              | { code?: string; message?: string; details?: Record<string, unknown>; id?: string }
              | string;
            error_description?: string;
          }
        | undefined;
      // OAuth endpoints (POST /api/v1/token) answer RFC 6749 errors: `error` is the code.
      const e =
        typeof body?.error === 'string'
          ? {
              code: body.error,
              message: body.error_description ?? body.error,
              details: undefined,
              id: undefined,
            }
          : body?.error;
      throw new AssayApiError(
        res.status,
        e?.code ?? 'http_error',
        e?.message ?? `the server answered ${res.status} ${res.statusText}`,
        e?.details ?? {},
        e?.id ?? res.headers.get('x-request-id'),
      );
    }
    return res;
  }
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Encodes one path segment (keys, labels, ids). */
export function seg(value: string): string {
  return encodeURIComponent(value);
}
