import fs from 'node:fs';
import path from 'node:path';
import { DomainError } from '../errors.ts';

/** What the lock file records about the server holding it. */
interface LockInfo {
  pid: number;
  port: number;
  startedAt: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the data directory for this process: a second server on the same SQLite store would
 * fight over it, so it is refused with a message naming the holder. A lock left by a process that
 * no longer runs is taken over. Returns the release function.
 */
export function lockDataDir(dataDir: string, port: number): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'server.lock');
  const info: LockInfo = { pid: process.pid, port, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(info), { flag: 'wx' });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        fs.rmSync(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder: LockInfo | null = null;
      try {
        holder = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
      } catch {
        holder = null;
      }
      if (holder && holder.pid !== process.pid && alive(holder.pid)) {
        throw new DomainError(
          'conflict',
          `another Assay server (pid ${holder.pid}, port ${holder.port}, started ${holder.startedAt}) is using the data directory ${dataDir}; stop it first, or point ASSAY_DATA_DIR elsewhere`,
          { holder },
        );
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new DomainError('conflict', `could not lock the data directory ${dataDir}`);
}
