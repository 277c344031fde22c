/**
 * The console's transport: the browser-safe part of the SDK the web console uses (fetch only, no
 * Node APIs). Errors carry the server's envelope so the console can show its plain message.
 */

/** An error answer from the API, with the envelope's code, message and details. */
export class ConsoleApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ConsoleApiError';
  }
}

/** Query values the console sends; undefined and empty values are left out. */
export type QueryValues = Record<string, string | number | boolean | null | undefined>;

/** Options of one request. */
export interface RequestOptions {
  query?: QueryValues;
  body?: unknown;
  /** A multipart body (file uploads); the browser sets its content type. */
  form?: FormData;
  signal?: AbortSignal | undefined;
  ifMatch?: number;
}

/** Builds a path with a query string, skipping empty values. */
export function withQuery(path: string, query: QueryValues = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** A minimal JSON-over-HTTP client bound to a base URL and an optional bearer token. */
export class ConsoleTransport {
  constructor(
    readonly baseUrl: string,
    private readonly token: string | null,
    private readonly fetchImpl: typeof fetch = (...args) => globalThis.fetch(...args),
  ) {}

  /** Sends one request and parses the JSON answer, or throws ConsoleApiError. */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
    const init: RequestInit = { method, headers };
    if (options.body !== undefined) init.body = JSON.stringify(options.body);
    else if (options.form) init.body = options.form;
    if (options.signal) init.signal = options.signal;
    const res = await this.fetchImpl(this.baseUrl + withQuery(path, options.query), init);
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const env = (json as { error?: { code?: string; message?: string; details?: Record<string, unknown> } })
        ?.error;
      throw new ConsoleApiError(
        res.status,
        env?.code ?? 'http_error',
        env?.message ?? `the server answered ${res.status} ${res.statusText}`,
        env?.details ?? {},
      );
    }
    return json as T;
  }
}
