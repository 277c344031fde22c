import { type Query, seg, type Transport } from './client.ts';

/**
 * Calls the web console needs that the feature SDK modules do not offer (yet), on the SDK's own
 * transport so errors, tokens and base URL behave the same. Answers are typed by the caller
 * (the console's view models); the feature modules validate against the zod contracts.
 */
export function consoleExtras(t: Transport) {
  const get = <T>(path: string, query?: Query) => t.call<T>('GET', path, { query });
  const post = <T>(path: string, json: unknown, ifMatch?: number) =>
    t.call<T>('POST', path, { json, ifMatch });
  return {
    /** GET any read endpoint of the API as JSON. */
    get,
    /** POST a JSON body to an API endpoint. */
    post,
    /** Uploads a file as a raw body with its content type and name in the query. */
    upload: <T>(path: string, file: { bytes: Uint8Array<ArrayBuffer>; contentType: string }, query?: Query) =>
      t.call<T>('POST', path, { raw: { body: file.bytes, contentType: file.contentType }, query }),
    /** Encodes one path segment. */
    seg,
  };
}

/** The console extras' type. */
export type ConsoleExtras = ReturnType<typeof consoleExtras>;
