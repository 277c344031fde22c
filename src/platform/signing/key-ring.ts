import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { PublicKey } from '../../contracts/audit-package.ts';
import { type AuditContext, appendAuditEvent } from '../audit/audit-trail.ts';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import type { SigningKeysTable } from '../db/tables/audit-checkpoints.ts';
import { ConflictError } from '../errors.ts';
import {
  DEFAULT_KEY_FILE,
  describePublicKey,
  loadSigningKey,
  type PublicKeyInfo,
  type SigningKey,
  type SigningKeySource,
  signingKeyFromPem,
} from './signing-key.ts';

/** Where retired private keys are moved on rotation (kept, not deleted; they are not needed to verify). */
export const RETIRED_KEY_DIR = path.join('keys', 'retired');

function keyView(row: SigningKeysTable, activeId: string): PublicKey {
  const info = describePublicKey(row.public_key_pem);
  return { ...info, active: row.id === activeId, createdAt: row.created_at, retiredAt: row.retired_at };
}

/**
 * The server's signing keys: the one it signs with now, and the public halves of every key it
 * signed with before (table `signing_keys`), so that packages and checkpoints signed before a
 * rotation stay verifiable. Implements SigningKey by delegating to the current key, so a rotation
 * takes effect for every signer at once.
 */
export class SigningKeyRing implements SigningKey {
  private current: SigningKey;

  private constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly source: SigningKeySource,
    key: SigningKey,
  ) {
    this.current = key;
  }

  /** Loads the key (ASSAY_SIGNING_KEY_FILE or the data directory's) and records it as the current key. */
  static async open(db: Db, clock: Clock, source: SigningKeySource): Promise<SigningKeyRing> {
    const ring = new SigningKeyRing(db, clock, source, loadSigningKey(source));
    await db.write((tx) => ring.record(tx, null));
    return ring;
  }

  get publicKey(): PublicKeyInfo {
    return this.current.publicKey;
  }

  /** Signs with the current key. */
  sign(data: Uint8Array): Buffer {
    return this.current.sign(data);
  }

  /** Every key this store has signed with, newest first; `active` marks the current one. */
  async list(): Promise<PublicKey[]> {
    const rows = await this.db.kysely
      .selectFrom('signing_keys')
      .selectAll()
      .orderBy('created_at', 'desc')
      .execute();
    const id = this.current.publicKey.id;
    // The key in use first, then the others newest first.
    return rows.map((r) => keyView(r, id)).sort((a, b) => Number(b.active) - Number(a.active));
  }

  /**
   * Replaces the key in the data directory with a new one: the old private key moves to
   * keys/retired/, its public half stays listed (retired). Refused when the key comes from
   * ASSAY_SIGNING_KEY_FILE: the operator rotates that by pointing it at a new key and restarting.
   */
  async rotate(ctx: AuditContext): Promise<{ previous: PublicKey; current: PublicKey }> {
    if (this.source.keyFile)
      throw new ConflictError(
        'the signing key comes from ASSAY_SIGNING_KEY_FILE: rotate it by pointing the variable at a new Ed25519 key and restarting (the old public key stays listed)',
        { rule: 'configured_signing_key' },
      );
    const file = path.join(this.source.dataDir, DEFAULT_KEY_FILE);
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const next = signingKeyFromPem(pem, 'a new key');
    const previous = this.current;
    const pending = `${file}.next`;
    fs.writeFileSync(pending, pem, { mode: 0o600, flag: 'w' });
    try {
      await this.db.write(async (tx) => {
        await this.record(tx, next);
        await appendAuditEvent(tx, this.clock, ctx, {
          action: 'signing_key.rotated',
          entityType: 'signing_key',
          entityId: next.publicKey.id,
          before: { id: previous.publicKey.id },
          after: { id: next.publicKey.id, previous: previous.publicKey.id },
        });
      });
    } catch (err) {
      fs.rmSync(pending, { force: true });
      throw err;
    }
    const retiredDir = path.join(this.source.dataDir, RETIRED_KEY_DIR);
    fs.mkdirSync(retiredDir, { recursive: true, mode: 0o700 });
    const retiredName = `${previous.publicKey.id.replace(/[^A-Za-z0-9]+/g, '-')}.pem`;
    fs.renameSync(file, path.join(retiredDir, retiredName));
    fs.renameSync(pending, file);
    this.current = next;
    const keys = await this.list();
    return {
      previous: keys.find((k) => k.id === previous.publicKey.id)!,
      current: keys.find((k) => k.id === next.publicKey.id)!,
    };
  }

  /** Records `key` (default: the current one) as the key in use and retires every other. */
  private async record(tx: Kysely<Database>, key: SigningKey | null): Promise<void> {
    const k = key ?? this.current;
    const now = this.clock.now().toISOString();
    const known = await tx
      .selectFrom('signing_keys')
      .select(['id'])
      .where('id', '=', k.publicKey.id)
      .executeTakeFirst();
    if (!known)
      await tx
        .insertInto('signing_keys')
        .values({
          id: k.publicKey.id,
          algorithm: 'Ed25519',
          public_key_pem: k.publicKey.publicKeyPem,
          created_at: now,
          retired_at: null,
        })
        .execute();
    else
      await tx
        .updateTable('signing_keys')
        .set({ retired_at: null })
        .where('id', '=', k.publicKey.id)
        .execute();
    await tx
      .updateTable('signing_keys')
      .set({ retired_at: now })
      .where('id', '!=', k.publicKey.id)
      .where('retired_at', 'is', null)
      .execute();
  }
}
