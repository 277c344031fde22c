import { publicKeyListSchema } from '../../contracts/audit-package.ts';
import type { ApiApp } from '../http/http-app.ts';
import type { SigningKey } from './signing-key.ts';

/** GET /api/v1/keys: the server's public keys (what audit package signatures are checked against). */
export function registerKeyRoutes(app: ApiApp, deps: { signingKey: SigningKey }): void {
  app.route({
    method: 'GET',
    url: '/api/v1/keys',
    schema: {
      tags: ['keys'],
      summary: "The server's public signing keys (Ed25519; PEM and JWK, with key ids)",
      response: { 200: publicKeyListSchema },
    },
    handler: async () => ({ items: [{ ...deps.signingKey.publicKey, active: true }] }),
  });
}
