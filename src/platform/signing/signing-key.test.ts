import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_KEY_FILE, describePublicKey, loadSigningKey, verifySignature } from './signing-key.ts';

const dirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-key-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('the server signing key', () => {
  it('is generated on first start with mode 0600 and read back on the next', () => {
    const dataDir = tmp();
    const first = loadSigningKey({ dataDir });
    const file = path.join(dataDir, DEFAULT_KEY_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const again = loadSigningKey({ dataDir });
    expect(again.publicKey).toEqual(first.publicKey);
    expect(first.publicKey.id).toMatch(/^ed25519:[0-9a-f]{32}$/);
    expect(first.publicKey.jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: first.publicKey.id });
  });

  it('signs so that only the exact bytes verify, with the public key only', () => {
    const key = loadSigningKey({ dataDir: tmp() });
    const data = Buffer.from('{"files":[]}\n');
    const sig = key.sign(data);
    expect(sig).toHaveLength(64);
    expect(verifySignature(key.publicKey.publicKeyPem, data, sig)).toBe(true);
    expect(verifySignature(key.publicKey.publicKeyPem, Buffer.from('{"files":[]} \n'), sig)).toBe(false);
    const other = loadSigningKey({ dataDir: tmp() });
    expect(verifySignature(other.publicKey.publicKeyPem, data, sig)).toBe(false);
    expect(verifySignature('not a key', data, sig)).toBe(false);
  });

  it('uses a configured key file, and refuses a missing or non-Ed25519 one', () => {
    const dir = tmp();
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const file = path.join(dir, 'k.pem');
    fs.writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const key = loadSigningKey({ dataDir: dir, keyFile: file });
    expect(key.publicKey.id).toBe(describePublicKey(publicKey).id);
    expect(fs.existsSync(path.join(dir, DEFAULT_KEY_FILE))).toBe(false);
    expect(() => loadSigningKey({ dataDir: dir, keyFile: path.join(dir, 'nope.pem') })).toThrow(
      /cannot read/,
    );
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    fs.writeFileSync(file, rsa.export({ type: 'pkcs8', format: 'pem' }));
    expect(() => loadSigningKey({ dataDir: dir, keyFile: file })).toThrow(/Ed25519/);
  });
});
