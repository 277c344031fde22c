import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockDataDir } from './data-dir-lock.ts';

describe('data directory lock', () => {
  it('refuses a second holder while the first runs, naming it, and frees on release', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-lock-'));
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      fs.writeFileSync(
        path.join(dir, 'server.lock'),
        JSON.stringify({ pid: child.pid, port: 7420, startedAt: 'then' }),
      );
      expect(() => lockDataDir(dir, 7421)).toThrow(
        new RegExp(`another Assay server \\(pid ${child.pid}, port 7420`),
      );
    } finally {
      child.kill();
    }
  });

  it('takes over a lock left by a process that has gone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-lock-'));
    fs.writeFileSync(
      path.join(dir, 'server.lock'),
      JSON.stringify({ pid: 2 ** 22 + 12345, port: 1, startedAt: 'x' }),
    );
    const release = lockDataDir(dir, 7420);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'server.lock'), 'utf8')).pid).toBe(process.pid);
    release();
    expect(fs.existsSync(path.join(dir, 'server.lock'))).toBe(false);
  });
});
