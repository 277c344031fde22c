import { keyRotationSchema, publicKeyListSchema } from '../../contracts/audit-package.ts';
import { demand } from '../auth/identity.routes.ts';
import type { ApiApp } from '../http/http-app.ts';
import { auditContextOf, principalOf } from '../http/request-context.ts';
import type { SigningKeyRing } from './key-ring.ts';

/**
 * GET /api/v1/keys: every public key the server signs or signed with (packages and checkpoints are
 * checked against these); POST /api/v1/keys/rotate: a new signing key (admin).
 */
export function registerKeyRoutes(app: ApiApp, deps: { signingKey: SigningKeyRing }): void {
  app.route({
    method: 'GET',
    url: '/api/v1/keys',
    schema: {
      tags: ['keys'],
      summary: "The server's public signing keys, current and retired (Ed25519; PEM and JWK, with key ids)",
      response: { 200: publicKeyListSchema },
    },
    handler: async () => ({ items: await deps.signingKey.list() }),
  });

  app.route({
    method: 'POST',
    url: '/api/v1/keys/rotate',
    schema: {
      tags: ['keys'],
      summary:
        'Replace the signing key with a new one; the old public key stays listed (retired) so old signatures still verify',
      response: { 200: keyRotationSchema },
    },
    handler: async (req) => {
      demand(principalOf(req), 'key.rotate');
      return deps.signingKey.rotate(auditContextOf(req));
    },
  });
}
