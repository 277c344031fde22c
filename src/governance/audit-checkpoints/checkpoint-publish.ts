import fs from 'node:fs';
import path from 'node:path';
import type { SignedCheckpoint } from '../../contracts/audit.ts';
import { ValidationError } from '../../platform/errors.ts';

function inside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function real(p: string): string {
  // The nearest existing ancestor's real path, so a symlink into the data directory is caught too.
  let cur = path.resolve(p);
  const rest: string[] = [];
  while (!fs.existsSync(cur)) {
    rest.unshift(path.basename(cur));
    const up = path.dirname(cur);
    if (up === cur) break;
    cur = up;
  }
  return path.join(fs.realpathSync(cur), ...rest);
}

/**
 * Checks and creates the checkpoint directory. Refused inside the data directory: whoever can
 * rewrite the store there could rewrite the checkpoints with it.
 */
export function prepareCheckpointDir(dir: string, dataDir: string): string {
  const abs = path.resolve(dir);
  if (inside(real(abs), real(dataDir)) || inside(abs, path.resolve(dataDir)))
    throw new ValidationError(
      `ASSAY_CHECKPOINT_DIR (${abs}) is inside the data directory (${path.resolve(dataDir)}): checkpoints must be published where the store's owner cannot rewrite them with the store`,
      'ASSAY_CHECKPOINT_DIR',
    );
  fs.mkdirSync(abs, { recursive: true });
  return abs;
}

/** The file name of a checkpoint: sorted by sequence, then time. */
export function checkpointFileName(sc: SignedCheckpoint, id: string): string {
  const time = sc.checkpoint.time.replace(/[-:.]/g, '');
  return `checkpoint-${String(sc.checkpoint.sequence).padStart(12, '0')}-${time}-${id.slice(-8)}.json`;
}

/**
 * Writes one checkpoint file atomically: a temporary file, flushed, then hard-linked to its name (which
 * fails rather than replace an existing file) and the directory flushed. Returns the path.
 */
export function publishCheckpointFile(dir: string, sc: SignedCheckpoint, id: string): string {
  const target = path.join(dir, checkpointFileName(sc, id));
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.tmp`);
  const fd = fs.openSync(tmp, 'wx', 0o644);
  try {
    fs.writeSync(fd, `${JSON.stringify(sc, null, 2)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.linkSync(tmp, target);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  const dfd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(dfd);
  } finally {
    fs.closeSync(dfd);
  }
  return target;
}
