import { z } from 'zod';

const isoTime = z.iso.datetime({ offset: true });

/** One public key of the server (GET /api/v1/keys). */
export const publicKeySchema = z.object({
  id: z.string(),
  algorithm: z.literal('Ed25519'),
  publicKeyPem: z.string(),
  jwk: z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string(), kid: z.string() }),
  /** Whether the server signs with this key now. */
  active: z.boolean(),
  /** When this store first signed with it (absent in lists from older servers). */
  createdAt: z.string().optional(),
  /** When the server stopped signing with it; null for the current key. */
  retiredAt: z.string().nullable().optional(),
});
export type PublicKey = z.infer<typeof publicKeySchema>;

export const publicKeyListSchema = z.object({ items: z.array(publicKeySchema) });

/** POST /api/v1/keys/rotate answer. */
export const keyRotationSchema = z.object({ previous: publicKeySchema, current: publicKeySchema });
export type KeyRotation = z.infer<typeof keyRotationSchema>;

/** GET /api/v1/models/{key}/audit-package query. */
export const auditPackageQuerySchema = z.strictObject({
  /** Only this version's records, evidence, card and events (model-level events stay). */
  version: z.string().min(1).max(63).optional(),
  /** The state as it was at this time: events at or before it, each entity's last snapshot by then. */
  asOf: isoTime.optional(),
});
export type AuditPackageQuery = z.infer<typeof auditPackageQuerySchema>;

/** The format name in manifest.json. */
export const AUDIT_PACKAGE_FORMAT = 'assay.audit-package/v1';

/** One file of the package as the manifest lists it. */
export const manifestFileSchema = z.strictObject({
  path: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().nonnegative(),
});

/** manifest.json: what the package is and every file in it (except manifest.json and manifest.sig). */
export const auditPackageManifestSchema = z.object({
  format: z.literal(AUDIT_PACKAGE_FORMAT),
  createdAt: z.string(),
  createdBy: z.string(),
  assayVersion: z.string(),
  model: z.object({ id: z.string(), key: z.string(), name: z.string() }),
  version: z.string().nullable(),
  asOf: z.string().nullable(),
  signingKey: z.object({ id: z.string(), algorithm: z.literal('Ed25519'), file: z.string() }),
  audit: z.object({
    /** The events file (JSON Lines, stored columns as the hash covers them). */
    events: z.string(),
    count: z.number().int().nonnegative(),
    /** The last event of the whole chain when the package was built. */
    chainHead: z.object({ seq: z.number().int(), hash: z.string() }).nullable(),
    /** How many signed checkpoints of the chain are in audit/checkpoints/ (absent in older packages). */
    checkpoints: z.number().int().nonnegative().optional(),
  }),
  files: z.array(manifestFileSchema),
  /**
   * The standard documents among the files: SPDX 3.0.1 per version, Croissant 1.0 per dataset,
   * EU AI Act Annex IV technical documentation (Markdown) per version of a high-risk model
   * (absent in older packages). `subject`: the version label or the dataset name.
   */
  standard: z
    .array(
      z.strictObject({
        path: z.string().min(1),
        format: z.enum(['spdx-3.0.1', 'croissant-1.0', 'eu-ai-act-annex-iv']),
        subject: z.string(),
      }),
    )
    .optional(),
});
export type AuditPackageManifest = z.infer<typeof auditPackageManifestSchema>;
