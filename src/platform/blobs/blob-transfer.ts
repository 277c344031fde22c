import { BlobIntegrityError, type BlobStore, type StoredBlob } from '../blob-store.ts';

/** Progress of a copy or a check: blobs and bytes done so far, of the totals. */
export interface BlobProgress {
  blobs: number;
  totalBlobs: number;
  bytes: number;
  totalBytes: number;
}

export interface BlobCopyResult {
  copied: number;
  /** Already in the target (a resumed run skips what an earlier run copied). */
  skipped: number;
  bytes: number;
}

async function inventory(store: BlobStore): Promise<StoredBlob[]> {
  const all: StoredBlob[] = [];
  for await (const b of store.list()) all.push(b);
  return all.sort((a, b) => a.sha256.localeCompare(b.sha256));
}

/**
 * Copies every blob of `from` into `to`, streaming. Resumable: blobs the target already holds are
 * skipped (a content address cannot hold other content). Each copy is verified twice: the source
 * stream fails on a damaged blob (hash checked on read) and the target's computed address must
 * equal the source's; a mismatch stops the run naming the blob.
 */
export async function copyBlobs(
  from: BlobStore,
  to: BlobStore,
  onProgress: (p: BlobProgress) => void = () => {},
): Promise<BlobCopyResult> {
  const all = await inventory(from);
  const totalBytes = all.reduce((s, b) => s + b.size, 0);
  const result: BlobCopyResult = { copied: 0, skipped: 0, bytes: 0 };
  let done = 0;
  let doneBytes = 0;
  for (const b of all) {
    if (await to.has(b.sha256)) result.skipped++;
    else {
      const stored = await to.put(from.open(b.sha256), Number.MAX_SAFE_INTEGER);
      if (stored.sha256 !== b.sha256)
        throw new Error(`blob ${b.sha256} was stored in the target as ${stored.sha256}: stopped`);
      result.copied++;
      result.bytes += stored.size;
    }
    done++;
    doneBytes += b.size;
    onProgress({ blobs: done, totalBlobs: all.length, bytes: doneBytes, totalBytes });
  }
  return result;
}

export interface BlobCheckResult {
  checked: number;
  bytes: number;
  /** Blobs whose content does not hash to their address, or that cannot be read. */
  damaged: { sha256: string; problem: string }[];
}

/** Reads every blob of `store` and checks its hash (what a restore is verified with). */
export async function checkBlobs(
  store: BlobStore,
  onProgress: (p: BlobProgress) => void = () => {},
): Promise<BlobCheckResult> {
  const all = await inventory(store);
  const totalBytes = all.reduce((s, b) => s + b.size, 0);
  const result: BlobCheckResult = { checked: 0, bytes: 0, damaged: [] };
  for (const b of all) {
    try {
      for await (const chunk of store.open(b.sha256)) result.bytes += (chunk as Buffer).length;
    } catch (err) {
      result.damaged.push({
        sha256: b.sha256,
        problem:
          err instanceof BlobIntegrityError ? `content hashes to ${err.actual}` : (err as Error).message,
      });
    }
    result.checked++;
    onProgress({ blobs: result.checked, totalBlobs: all.length, bytes: result.bytes, totalBytes });
  }
  return result;
}

/** Addresses the store must hold (e.g. every evidence row's) that it does not. */
export async function missingBlobs(store: BlobStore, required: Iterable<string>): Promise<string[]> {
  const missing: string[] = [];
  for (const sha of new Set(required)) if (!(await store.has(sha))) missing.push(sha);
  return missing.sort();
}
