import type { Kysely } from 'kysely';
import { type SignedCheckpoint, signedCheckpointSchema } from '../../contracts/audit.ts';
import { checkpointSignatureProblem, type TrustedKeys } from '../../platform/audit/checkpoint.ts';
import type { Database } from '../../platform/db/schema.ts';
import { checkpointRows } from '../audit-checkpoints/checkpoints.queries.ts';
import type { PackageZip } from './package-zip.ts';

/** Where the package keeps the signed checkpoints of the chain (one file each, as published). */
export const CHECKPOINTS_DIR = 'audit/checkpoints/';

/** How many of the latest checkpoints (at or below the package's chain head) a package carries. */
export const PACKAGE_CHECKPOINTS = 20;

/** The file name of a checkpoint inside the package. */
export function packageCheckpointPath(sc: SignedCheckpoint, id: string): string {
  return `${CHECKPOINTS_DIR}checkpoint-${String(sc.checkpoint.sequence).padStart(12, '0')}-${id.slice(-8)}.json`;
}

/**
 * Adds the latest signed checkpoints of the whole chain up to the package's head, each as published.
 * They go before the events, so the verifier knows which event hashes to compare with them while it
 * streams the events. Returns how many.
 */
export async function addPackageCheckpoints(
  db: Kysely<Database>,
  zip: PackageZip,
  head: { seq: number } | null,
): Promise<number> {
  const rows = head ? await checkpointRows(db, PACKAGE_CHECKPOINTS, head.seq) : [];
  for (const cp of rows) {
    const { checkpoint, signature, publicKeyPem } = cp;
    zip.addBytes(
      packageCheckpointPath(cp, cp.id),
      `${JSON.stringify({ checkpoint, signature, publicKeyPem }, null, 2)}\n`,
    );
  }
  return rows.length;
}

/** Parses a checkpoint file of a package; a message when it is not one. */
export function parsePackageCheckpoint(bytes: Buffer): SignedCheckpoint | string {
  try {
    return signedCheckpointSchema.parse(JSON.parse(bytes.toString('utf8')));
  } catch (err) {
    return `is not a signed checkpoint: ${(err as Error).message.split('\n')[0]}`;
  }
}

/**
 * Checks one checkpoint a package carries: its signature (by the key it carries, or a trusted key),
 * that it is not beyond the package's chain head, that at the head it has the head's hash, and
 * that an event of the package at its sequence has its hash. Null when it holds.
 */
export function packageCheckpointProblem(
  sc: SignedCheckpoint,
  ctx: {
    chainHead: { seq: number; hash: string } | null;
    eventHash: (seq: number) => string | undefined;
    trusted: TrustedKeys | null;
  },
): string | null {
  const sig = checkpointSignatureProblem(sc, ctx.trusted);
  if (sig) return `checkpoint ${sc.checkpoint.sequence}: ${sig.message}`;
  const c = sc.checkpoint;
  const head = ctx.chainHead;
  if (!head || c.sequence > head.seq)
    return `checkpoint ${c.sequence} is beyond the package's chain head (${head?.seq ?? 'none'})`;
  if (c.sequence === head.seq && c.headHash !== head.hash)
    return `checkpoint ${c.sequence} says hash ${c.headHash}, the manifest's chain head has ${head.hash}`;
  const own = ctx.eventHash(c.sequence);
  if (own !== undefined && own !== c.headHash)
    return `checkpoint ${c.sequence} says hash ${c.headHash}, event ${c.sequence} in the package has ${own}`;
  return null;
}
