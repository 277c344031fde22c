import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ENGINES, openTestDb, type TestDb } from '../../../test/support/engines.ts';
import { ManualClock } from '../../../test/support/manual-clock.ts';
import { SigningKeyRing } from './key-ring.ts';
import { KeyVault } from './key-vault.ts';
import { verifySignature } from './signing-key.ts';

const stores: TestDb[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.dispose();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function dir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-vault-'));
  dirs.push(d);
  return d;
}
const ctx = { actor: 'admin', requestId: null };

describe.each(ENGINES)('signing keys kept encrypted in the database (%s)', (engine) => {
  it('every server given the same KEK signs with one key; a rotation on one reaches the others; old keys stay listed', async () => {
    const store = await openTestDb(engine);
    stores.push(store);
    const clock = new ManualClock('2026-03-01T00:00:00.000Z');
    const kek = randomBytes(32).toString('base64');
    // Two servers with their own (empty) data directories on one store.
    const a = await SigningKeyRing.open(store.db, clock, { dataDir: dir(), kek });
    const b = await SigningKeyRing.open(store.db, clock, { dataDir: dir(), kek });
    expect(b.publicKey.id).toBe(a.publicKey.id);
    expect(a.shared).toBe(true);
    const data = Buffer.from('audit package manifest');
    const oldSig = b.sign(data);
    const oldKey = a.publicKey;

    clock.advance(86_400_000);
    const { previous, current } = await a.rotate(ctx);
    expect(previous.id).toBe(oldKey.id);
    expect(a.publicKey.id).toBe(current.id);
    // b still signs with the previous key until it refreshes (its signatures stay verifiable)…
    expect(b.publicKey.id).toBe(oldKey.id);
    await b.refresh();
    expect(b.publicKey.id).toBe(current.id);
    const keys = await b.list();
    expect(keys.map((k) => [k.id, k.active, k.createdAt, k.retiredAt])).toEqual([
      [current.id, true, '2026-03-02T00:00:00.000Z', null],
      [oldKey.id, false, '2026-03-01T00:00:00.000Z', '2026-03-02T00:00:00.000Z'],
    ]);
    // …and what the old key signed verifies with its listed public key.
    expect(verifySignature(keys[1]!.publicKeyPem, data, oldSig)).toBe(true);
    expect(verifySignature(keys[0]!.publicKeyPem, data, b.sign(data))).toBe(true);
    // A third server started after the rotation signs with the new key.
    const c = await SigningKeyRing.open(store.db, clock, { dataDir: dir(), kek });
    expect(c.publicKey.id).toBe(current.id);
    // The private keys are stored sealed, never in clear.
    const sealed = await store.db.kysely.selectFrom('signing_key_secrets').selectAll().execute();
    expect(sealed).toHaveLength(2);
    for (const r of sealed) {
      expect(r.encrypted_private_key).toMatch(/^aes-256-gcm:v1:[0-9a-f]{16}:/);
      expect(r.encrypted_private_key).not.toContain('PRIVATE KEY');
    }
    const events = await store.db.kysely
      .selectFrom('audit_events')
      .select(['action', 'entity_id'])
      .where('action', '=', 'signing_key.rotated')
      .execute();
    expect(events).toEqual([{ action: 'signing_key.rotated', entity_id: current.id }]);
  });

  it('refuses another KEK, an altered ciphertext, and a KEK together with a configured key', async () => {
    const store = await openTestDb(engine);
    stores.push(store);
    const clock = new ManualClock();
    const kek = randomBytes(32).toString('base64');
    const a = await SigningKeyRing.open(store.db, clock, { dataDir: dir(), kek });
    await expect(
      SigningKeyRing.open(store.db, clock, { dataDir: dir(), kek: randomBytes(32).toString('base64') }),
    ).rejects.toThrow(/sealed with another key-encryption key/);
    const row = await store.db.kysely.selectFrom('signing_key_secrets').selectAll().executeTakeFirstOrThrow();
    const parts = row.encrypted_private_key.split(':');
    const body = Buffer.from(parts[5]!, 'base64');
    body[3] = (body[3]! + 1) % 256;
    parts[5] = body.toString('base64');
    expect(() => new KeyVault(kek).open(a.publicKey.id, parts.join(':'))).toThrow(/altered/);
    // A ciphertext moved onto another key's row does not open (the key id is authenticated).
    expect(() =>
      new KeyVault(kek).open('ed25519:00000000000000000000000000000000', row.encrypted_private_key),
    ).toThrow(/altered/);
    expect(() => new KeyVault('c2hvcnQ=')).toThrow(/32 random bytes/);
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await expect(SigningKeyRing.open(store.db, clock, { dataDir: dir(), kek, keyPem: pem })).rejects.toThrow(
      /do not also set/,
    );
  });
});

describe('a signing key from ASSAY_SIGNING_KEY', () => {
  it('is used by every server given it, and is not rotated through the API', async () => {
    const store = await openTestDb('sqlite');
    stores.push(store);
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const clock = new ManualClock();
    // Environments often hold a PEM on one line with literal \n.
    const a = await SigningKeyRing.open(store.db, clock, {
      dataDir: dir(),
      keyPem: pem.replace(/\n/g, '\\n'),
    });
    const b = await SigningKeyRing.open(store.db, clock, { dataDir: dir(), keyPem: pem });
    expect(a.publicKey.id).toBe(b.publicKey.id);
    await expect(a.rotate(ctx)).rejects.toThrow(/ASSAY_SIGNING_KEY:/);
    expect((await a.list()).map((k) => k.active)).toEqual([true]);
  });
});
