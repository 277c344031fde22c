import { keyRotationSchema, type PublicKey, publicKeyListSchema } from '../contracts/audit-package.ts';
import type { Transport } from './client.ts';

/** The server's signing keys (audit checkpoints and packages are signed with them). */
export function keysApi(t: Transport) {
  return {
    /** The server's public signing keys, current and retired. */
    list: async (): Promise<PublicKey[]> =>
      (await t.call('GET', '/api/v1/keys', { schema: publicKeyListSchema })).items,
    /** Replaces the server's signing key (admin); the old public key stays listed. */
    rotate: () => t.call('POST', '/api/v1/keys/rotate', { schema: keyRotationSchema }),
  };
}
