import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ValidationError } from '../errors.ts';

/** A public key as `GET /api/v1/keys` and audit packages show it. */
export interface PublicKeyInfo {
  /** `ed25519:` + the first 32 hex digits of SHA-256 over the raw 32-byte public key. */
  id: string;
  algorithm: 'Ed25519';
  /** SPKI PEM. */
  publicKeyPem: string;
  /** RFC 8037 OKP JWK (`kty`, `crv`, `x`, `kid`). */
  jwk: { kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string };
}

/** The server's signing key: signs bytes, and tells its public half. */
export interface SigningKey {
  readonly publicKey: PublicKeyInfo;
  /** Ed25519 signature (64 bytes) over exactly `data`. */
  sign(data: Uint8Array): Buffer;
}

/** The file a key is generated into under the data directory. */
export const DEFAULT_KEY_FILE = path.join('keys', 'signing-ed25519.pem');

function rawPublicKey(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' }) as { x?: string; crv?: string };
  if (jwk.crv !== 'Ed25519' || !jwk.x) throw new ValidationError('the signing key is not an Ed25519 key');
  return Buffer.from(jwk.x, 'base64url');
}

/** Describes a public key (also any public or private Ed25519 key PEM). */
export function describePublicKey(pem: string | KeyObject): PublicKeyInfo {
  const pub = typeof pem === 'string' ? createPublicKey(pem) : pem;
  if (pub.asymmetricKeyType !== 'ed25519') throw new ValidationError('not an Ed25519 public key');
  const raw = rawPublicKey(pub);
  const id = `ed25519:${createHash('sha256').update(raw).digest('hex').slice(0, 32)}`;
  return {
    id,
    algorithm: 'Ed25519',
    publicKeyPem: pub.export({ type: 'spki', format: 'pem' }).toString(),
    jwk: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url'), kid: id },
  };
}

/** Whether `signature` is an Ed25519 signature of `data` by `publicKeyPem`. False on malformed input. */
export function verifySignature(publicKeyPem: string, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    const pub = createPublicKey(publicKeyPem);
    if (pub.asymmetricKeyType !== 'ed25519') return false;
    return verify(null, data, pub, signature);
  } catch {
    return false;
  }
}

function fromPrivateKey(privateKey: KeyObject): SigningKey {
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new ValidationError('the signing key must be an Ed25519 private key (PKCS#8 PEM)');
  const publicKey = describePublicKey(createPublicKey(privateKey));
  return { publicKey, sign: (data) => sign(null, data, privateKey) };
}

/**
 * Where the key comes from, first match wins: `ASSAY_SIGNING_KEK` (keys stored encrypted in the
 * database, see key-vault.ts), `ASSAY_SIGNING_KEY` (the PEM itself), `ASSAY_SIGNING_KEY_FILE`,
 * else `<dataDir>/keys/signing-ed25519.pem`.
 */
export interface SigningKeySource {
  dataDir: string;
  keyFile?: string | undefined;
  keyPem?: string | undefined;
  kek?: string | undefined;
}

/**
 * Loads the server's Ed25519 signing key. A configured file must exist; the default file under the
 * data directory is generated on first start (mode 0600, created exclusively so two starting
 * servers cannot write different keys) and read on every later start.
 */
export function loadSigningKey(source: SigningKeySource): SigningKey {
  if (source.keyPem) return signingKeyFromPem(source.keyPem.replace(/\\n/g, '\n'), 'ASSAY_SIGNING_KEY');
  if (source.keyFile) {
    let pem: string;
    try {
      pem = fs.readFileSync(source.keyFile, 'utf8');
    } catch (err) {
      throw new ValidationError(
        `cannot read the signing key ${source.keyFile}: ${(err as Error).message}`,
        'ASSAY_SIGNING_KEY_FILE',
      );
    }
    return signingKeyFromPem(pem, source.keyFile);
  }
  const file = path.join(source.dataDir, DEFAULT_KEY_FILE);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    try {
      fs.writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      // Another process created it first: use theirs.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return signingKeyFromPem(fs.readFileSync(file, 'utf8'), file);
}

/** A signing key from a PKCS#8 private key PEM (`where` names it in errors). */
export function signingKeyFromPem(pem: string, where: string): SigningKey {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    throw new ValidationError(`the signing key ${where} is not a private key PEM: ${(err as Error).message}`);
  }
  return fromPrivateKey(key);
}
