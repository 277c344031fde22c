import { createCipheriv, createDecipheriv, createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { ValidationError } from '../errors.ts';
import { type SigningKey, signingKeyFromPem } from './signing-key.ts';

/**
 * Signing keys kept in the database, encrypted with a key-encryption key (KEK) from the
 * environment (ASSAY_SIGNING_KEK: base64 of 32 random bytes, e.g. `openssl rand -base64 32`).
 * Every server of a deployment given the same KEK signs with the same key, and a rotation on one
 * server reaches the others. AES-256-GCM with the key id as additional data, so a ciphertext
 * cannot be swapped onto another key's row.
 */
export class KeyVault {
  private readonly kek: Buffer;
  /** First 16 hex digits of SHA-256 of the KEK: names which KEK sealed a key (never the KEK). */
  readonly kekId: string;

  constructor(kekBase64: string) {
    const kek = Buffer.from(kekBase64, 'base64');
    if (
      kek.length !== 32 ||
      kek.toString('base64').replace(/=+$/, '') !== kekBase64.trim().replace(/=+$/, '')
    )
      throw new ValidationError(
        'ASSAY_SIGNING_KEK must be the base64 of exactly 32 random bytes (openssl rand -base64 32)',
        'ASSAY_SIGNING_KEK',
      );
    this.kek = kek;
    this.kekId = createHash('sha256').update(kek).digest('hex').slice(0, 16);
  }

  seal(keyId: string, pem: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.kek, iv);
    c.setAAD(Buffer.from(keyId));
    const body = Buffer.concat([c.update(pem, 'utf8'), c.final()]);
    return [
      'aes-256-gcm',
      'v1',
      this.kekId,
      iv.toString('base64'),
      c.getAuthTag().toString('base64'),
      body.toString('base64'),
    ].join(':');
  }

  open(keyId: string, sealed: string): SigningKey {
    const [alg, v, kekId, iv, tag, body] = sealed.split(':');
    if (alg !== 'aes-256-gcm' || v !== 'v1' || !iv || !tag || !body)
      throw new ValidationError(`the stored signing key ${keyId} is not in a format this version reads`);
    if (kekId !== this.kekId)
      throw new ValidationError(
        `the stored signing key ${keyId} was sealed with another key-encryption key (${kekId}); ASSAY_SIGNING_KEK is ${this.kekId}`,
        'ASSAY_SIGNING_KEK',
      );
    let pem: string;
    try {
      const d = createDecipheriv('aes-256-gcm', this.kek, Buffer.from(iv, 'base64'));
      d.setAAD(Buffer.from(keyId));
      d.setAuthTag(Buffer.from(tag, 'base64'));
      pem = Buffer.concat([d.update(Buffer.from(body, 'base64')), d.final()]).toString('utf8');
    } catch {
      throw new ValidationError(
        `the stored signing key ${keyId} does not decrypt: it was altered`,
        'ASSAY_SIGNING_KEK',
      );
    }
    const key = signingKeyFromPem(pem, `stored key ${keyId}`);
    if (key.publicKey.id !== keyId)
      throw new ValidationError(
        `the stored signing key ${keyId} decrypts to another key (${key.publicKey.id})`,
      );
    return key;
  }

  /** A new Ed25519 key and its sealed private half. */
  generate(): { key: SigningKey; sealed: string } {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const key = signingKeyFromPem(pem, 'a new key');
    return { key, sealed: this.seal(key.publicKey.id, pem) };
  }

  /** The key in use according to the store (the signing key not retired, with a sealed secret), if any. */
  async active(k: Kysely<Database>): Promise<SigningKey | null> {
    const row = await k
      .selectFrom('signing_keys')
      .innerJoin('signing_key_secrets', 'signing_key_secrets.id', 'signing_keys.id')
      .select(['signing_keys.id as id', 'signing_key_secrets.encrypted_private_key as sealed'])
      .where('signing_keys.retired_at', 'is', null)
      .executeTakeFirst();
    return row ? this.open(row.id, row.sealed) : null;
  }

  async store(tx: Kysely<Database>, key: SigningKey, sealed: string, now: string): Promise<void> {
    await tx
      .insertInto('signing_key_secrets')
      .values({ id: key.publicKey.id, encrypted_private_key: sealed, created_at: now })
      .execute();
  }
}
