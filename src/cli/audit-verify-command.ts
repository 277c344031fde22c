import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { type SignedCheckpoint, signedCheckpointSchema } from '../contracts/audit.ts';
import type { AuditVerifyResult } from '../platform/audit/audit-verify.ts';
import type { verifyTrail } from '../platform/audit/trail-verify.ts';
import { loadConfig } from '../platform/config.ts';
import { parseTrustedKeys } from '../platform/signing/trusted-keys.ts';
import { CliError, ExitCode } from './exit.ts';
import { printJson } from './remote.ts';

const PROGRESS_EVERY = 100_000;

/** Where the store is: --database-url / ASSAY_DATABASE_URL, else the SQLite file in --data-dir / ASSAY_DATA_DIR. */
function locateStore(opts: { dataDir?: string; databaseUrl?: string }): {
  databaseUrl?: string;
  file?: string;
} {
  const env = { ...process.env };
  if (opts.dataDir) env.ASSAY_DATA_DIR = opts.dataDir;
  if (opts.databaseUrl) env.ASSAY_DATABASE_URL = opts.databaseUrl;
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(env);
  } catch (err) {
    throw new CliError((err as Error).message, ExitCode.badInput);
  }
  if (config.databaseUrl) return { databaseUrl: config.databaseUrl };
  const file = path.join(config.dataDir, 'assay.db');
  if (!fs.existsSync(file))
    throw new CliError(`no Assay store at ${file} (use --data-dir or ASSAY_DATA_DIR)`);
  return { file };
}

/** Reports progress on stderr once a run gets long. */
function progressReporter(): { report: (n: number) => void; done: () => void } {
  const started = Date.now();
  let shownAt = 0;
  return {
    report: (n) => {
      if (Date.now() - started < 1000 || n - shownAt < PROGRESS_EVERY) return;
      shownAt = n;
      process.stderr.write(process.stderr.isTTY ? `\rverified ${n} events…` : `verified ${n} events…\n`);
    },
    done: () => {
      if (shownAt && process.stderr.isTTY) process.stderr.write('\n');
    },
  };
}

/** Verifies the chain directly on the store: worker threads on SQLite, keyset pages on PostgreSQL. */
async function verifyOffline(store: { databaseUrl?: string; file?: string }): Promise<AuditVerifyResult> {
  const { verifyPostgresChain, verifySqliteChain } = await import(
    '../platform/audit/audit-verify-parallel.ts'
  );
  const progress = progressReporter();
  try {
    if (store.file) return await verifySqliteChain(store.file, { onProgress: progress.report });
    return await verifyPostgresChain(store.databaseUrl!, { onProgress: progress.report });
  } finally {
    progress.done();
  }
}

/** Reads checkpoint files: each argument a file, or a directory whose *.json files are read. */
export function loadCheckpointFiles(paths: readonly string[]): SignedCheckpoint[] {
  const files: string[] = [];
  for (const p of paths) {
    if (!fs.existsSync(p)) throw new CliError(`--checkpoint ${p}: no such file or directory`);
    if (fs.statSync(p).isDirectory())
      files.push(
        ...fs
          .readdirSync(p)
          .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
          .sort()
          .map((f) => path.join(p, f)),
      );
    else files.push(p);
  }
  if (files.length === 0)
    throw new CliError(`--checkpoint ${paths.join(' ')}: no checkpoint files (*.json) there`);
  return files.map((f) => {
    try {
      return signedCheckpointSchema.parse(JSON.parse(fs.readFileSync(f, 'utf8')));
    } catch (err) {
      throw new CliError(`${f} is not a signed audit checkpoint: ${(err as Error).message.split('\n')[0]}`);
    }
  });
}

/** Reads --trusted-keys. */
export function loadTrustedKeys(file: string): Map<string, string> {
  try {
    return parseTrustedKeys(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CliError(`--trusted-keys ${file}: ${(err as Error).message}`);
  }
}

function describeChain(result: AuditVerifyResult): string {
  if (result.ok) return `ok: ${result.checked} events, chain head ${result.lastHash}`;
  const b = result.firstBreak!;
  return `BROKEN at event seq ${b.seq} (id ${b.id}): ${b.reason}: ${b.message}\n${result.checked} events before it verified`;
}

interface VerifyOptions {
  dataDir?: string;
  databaseUrl?: string;
  json?: boolean;
  checkpoint?: string[];
  state?: boolean;
  trustedKeys?: string;
}

/** `assay audit verify`: the chain, and with options the checkpoints and the state tables. */
export function registerAuditVerifyCommand(audit: Command): void {
  audit
    .command('verify')
    .description(
      'Verify the audit trail directly on the store (offline): the hash chain; with --checkpoint that it still extends each signed checkpoint; with --state that the state tables match the trail',
    )
    .option('--data-dir <dir>', 'SQLite data directory (default ASSAY_DATA_DIR or ./.assay)')
    .option('--database-url <url>', 'PostgreSQL URL (default ASSAY_DATABASE_URL)')
    .option(
      '--checkpoint <path...>',
      'signed checkpoint files, or directories of them (e.g. ASSAY_CHECKPOINT_DIR)',
    )
    .option(
      '--trusted-keys <file>',
      "public keys the checkpoints must be signed by (GET /api/v1/keys JSON or PEM); default: the store's own key list",
    )
    .option('--state', "replay every entity's latest snapshot and compare it with the state tables")
    .option('--json', 'print the result as JSON')
    .action(async (opts: VerifyOptions) => {
      const store = locateStore(opts);
      const checkpoints = opts.checkpoint ? loadCheckpointFiles(opts.checkpoint) : [];
      const trusted = opts.trustedKeys ? loadTrustedKeys(opts.trustedKeys) : null;
      const started = performance.now();
      let result: Awaited<ReturnType<typeof verifyTrail>>;
      // The store and the verifiers are loaded here: registering the command costs nothing.
      const [{ openDatabase }, { verifyTrail }, { localiseRewrite }] = await Promise.all([
        import('../platform/db/database.ts'),
        import('../platform/audit/trail-verify.ts'),
        import('../platform/audit/checkpoint.ts'),
      ]);
      try {
        const db = openDatabase({ databaseUrl: store.databaseUrl, sqlitePath: store.file, poolSize: 2 });
        try {
          // Events a server left in the outbox (it died between its commit and the linker pass)
          // are linked first, so the chain read covers every event committed before now. A store
          // this user may only read is still verified: what stays unlinked is reported as pending.
          await db.linkAudit().catch((err: Error) => {
            process.stderr.write(`assay: could not link pending audit events: ${err.message}\n`);
          });
          const chain = await verifyOffline(store);
          result = await verifyTrail(db, chain, { checkpoints, state: Boolean(opts.state), trusted });
        } finally {
          await db.close();
        }
      } catch (err) {
        throw new CliError(`cannot read the audit trail: ${(err as Error).message}`, ExitCode.unavailable);
      }
      const elapsedMs = Math.round(performance.now() - started);
      // The chain result keeps its place at the top level (ok, checked, firstBreak…) for scripts.
      if (opts.json) printJson({ ...result.chain, ...result, elapsedMs });
      else process.stdout.write(describeAll(result, localiseRewrite(result.checkpoints)));
      if (!result.ok) process.exitCode = ExitCode.failed;
    });
}

function describeAll(result: Awaited<ReturnType<typeof verifyTrail>>, where: string | null): string {
  const lines = [describeChain(result.chain)];
  const p = result.pending;
  if (p.count > 0)
    lines.push(
      `pending: ${p.count} committed event(s) not yet linked into the chain (oldest ${p.oldestAt}, ${Math.round((p.oldestAgeMs ?? 0) / 1000)} s old): not yet protected by the chain; a server links them within seconds`,
    );
  for (const c of result.checkpoints)
    lines.push(
      `checkpoint seq ${c.sequence} of ${c.time} (key ${c.keyId}): ${c.ok ? 'ok' : `FAILED ${c.reason}`}: ${c.message}`,
    );
  if (where) lines.push(`=> ${where}`);
  if (result.state) {
    const s = result.state;
    const compared = s.types.reduce((n, t) => n + t.compared, 0);
    lines.push(
      s.ok
        ? `state: ok: ${compared} entities match their last audit snapshot`
        : `state: ${s.mismatches.length + s.more} MISMATCH(ES) between the trail and the state tables`,
    );
    for (const m of s.mismatches) lines.push(`MISMATCH ${m.kind} ${m.message}`);
    if (s.more) lines.push(`… and ${s.more} more`);
    for (const t of s.types) if (t.note) lines.push(`${t.entityType}: ${t.note}`);
  }
  for (const l of result.limits) lines.push(`NOT CHECKED: ${l}`);
  lines.push(result.ok ? 'ok' : 'FAILED');
  return `${lines.join('\n')}\n`;
}
