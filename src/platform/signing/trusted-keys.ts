import { describePublicKey } from './signing-key.ts';

const PEM_BLOCK = /-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g;

/**
 * Trusted public keys from a file's text, by key id (computed from each key, never taken from the
 * file): the JSON of `GET /api/v1/keys` (`{ items: [{ publicKeyPem }] }`), a JSON array of such
 * items, or one or more SPKI PEM blocks. Throws when the text holds no Ed25519 public key.
 */
export function parseTrustedKeys(text: string): Map<string, string> {
  const pems: string[] = [];
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const doc = JSON.parse(trimmed) as unknown;
    const items = Array.isArray(doc) ? doc : (doc as { items?: unknown }).items;
    if (!Array.isArray(items)) throw new Error('expected the JSON of GET /api/v1/keys ({ "items": [...] })');
    for (const it of items)
      if (it && typeof (it as { publicKeyPem?: unknown }).publicKeyPem === 'string')
        pems.push((it as { publicKeyPem: string }).publicKeyPem);
  } else pems.push(...(trimmed.match(PEM_BLOCK) ?? []));
  const keys = new Map<string, string>();
  for (const pem of pems) {
    const info = describePublicKey(pem);
    keys.set(info.id, info.publicKeyPem);
  }
  if (keys.size === 0) throw new Error('no Ed25519 public key in it');
  return keys;
}
