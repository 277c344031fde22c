import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalBlobStore } from './blob-store.ts';
import { PayloadTooLargeError } from './errors.ts';

const dirs: string[] = [];
function store(): { root: string; blobs: LocalBlobStore } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-blobs-'));
  dirs.push(root);
  return { root, blobs: new LocalBlobStore(root) };
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function filesUnder(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) =>
    fs.statSync(path.join(root, f)).isFile(),
  );
}

describe('content-addressed blob store', () => {
  it('stores under ab/cd/<sha256>, reads back, and stores identical content once', async () => {
    const { root, blobs } = store();
    const content = Buffer.from('validation report\n'.repeat(1000));
    const sha = createHash('sha256').update(content).digest('hex');
    const a = await blobs.put(Readable.from([content.subarray(0, 100), content.subarray(100)]), 1e6);
    expect(a).toEqual({ sha256: sha, size: content.length });
    expect(blobs.pathOf(sha)).toBe(path.join(root, sha.slice(0, 2), sha.slice(2, 4), sha));
    const back = Buffer.concat(await blobs.open(sha).toArray());
    expect(back.equals(content)).toBe(true);
    await blobs.put(Readable.from([content]), 1e6);
    expect(filesUnder(root)).toEqual([path.join(sha.slice(0, 2), sha.slice(2, 4), sha)]);
  });

  it('refuses more than the limit and leaves nothing behind', async () => {
    const { root, blobs } = store();
    await expect(
      blobs.put(Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), 1000),
    ).rejects.toBeInstanceOf(PayloadTooLargeError);
    expect(filesUnder(root)).toEqual([]);
    const exact = await blobs.put(Readable.from([Buffer.alloc(1000)]), 1000);
    expect(exact.size).toBe(1000);
  });

  it('a transport-detected truncation is refused too; addresses must be SHA-256 hex', async () => {
    const { root, blobs } = store();
    await expect(blobs.put(Readable.from([Buffer.alloc(10)]), 1000, () => true)).rejects.toBeInstanceOf(
      PayloadTooLargeError,
    );
    expect(filesUnder(root)).toEqual([]);
    expect(() => blobs.pathOf('../../etc/passwd')).toThrow(/SHA-256/);
  });
});
