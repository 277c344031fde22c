import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/** A new API token: `assay_` and 43 URL-safe characters (256 random bits). */
export function generateToken(): string {
  return `assay_${randomBytes(32).toString('base64url')}`;
}

/** How a token is stored: its SHA-256. Tokens carry 256 bits of entropy, so no salt or stretching is needed. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The visible start of a token, for lists (`assay_AbC1…`). */
export function tokenPrefix(token: string): string {
  return token.slice(0, 12);
}

const SCRYPT_N = 16384;

/** Hashes a password with scrypt and a random salt: `scrypt$N$salt$hash`. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32, { N: SCRYPT_N });
  return `scrypt$${SCRYPT_N}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** Checks a password against a stored scrypt hash in constant time. */
export function verifyPassword(password: string, stored: string): boolean {
  const [kind, n, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !n || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = scryptSync(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n) });
  return timingSafeEqual(actual, expected);
}

let dummy: string | undefined;

/**
 * A real scrypt hash of a random password nobody knows: checked against when the username is
 * unknown, so that such an answer takes as long as a wrong password for a real user.
 */
export function dummyPasswordHash(): string {
  dummy ??= hashPassword(randomBytes(32).toString('base64url'));
  return dummy;
}
