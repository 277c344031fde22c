import {
  type AuditPackageQuery,
  keyRotationSchema,
  type PublicKey,
  publicKeyListSchema,
} from '../contracts/audit-package.ts';
import { seg, type Transport } from './client.ts';

/** Audit packages and the server's public keys. */
export function auditPackageApi(t: Transport) {
  return {
    /** The server's public signing keys. */
    keys: async (): Promise<PublicKey[]> =>
      (await t.call('GET', '/api/v1/keys', { schema: publicKeyListSchema })).items,
    /** Replaces the server's signing key (admin); the old public key stays listed. */
    rotateKey: () => t.call('POST', '/api/v1/keys/rotate', { schema: keyRotationSchema }),
    /**
     * The audit package of a model as a byte stream (application/zip) and the server's file name;
     * read `body` to the end (it is not buffered).
     */
    download: async (
      key: string,
      query: AuditPackageQuery = {},
    ): Promise<{ body: ReadableStream<Uint8Array>; filename: string | null }> => {
      const res = await t.response('GET', `/api/v1/models/${seg(key)}/audit-package`, {
        query: { version: query.version, asOf: query.asOf },
      });
      const m = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '');
      if (!res.body) throw new Error('the server sent no audit package');
      return { body: res.body, filename: m?.[1] ?? null };
    },
  };
}
