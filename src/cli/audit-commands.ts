import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { AuditVerifyResult } from '../platform/audit/audit-verify.ts';
import { verifyPostgresChain, verifySqliteChain } from '../platform/audit/audit-verify-parallel.ts';
import { loadConfig } from '../platform/config.ts';
import { CliError, ExitCode } from './exit.ts';
import { addRemoteOptions, printJson, printTable, type RemoteOptions, withClient } from './remote.ts';

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
  const progress = progressReporter();
  try {
    if (store.file) return await verifySqliteChain(store.file, { onProgress: progress.report });
    return await verifyPostgresChain(store.databaseUrl!, { onProgress: progress.report });
  } finally {
    progress.done();
  }
}

/** Formats a verify result for people. */
function describe(result: AuditVerifyResult): string {
  if (result.ok) return `ok: ${result.checked} events, chain head ${result.lastHash}`;
  const b = result.firstBreak!;
  return `BROKEN at event seq ${b.seq} (id ${b.id}): ${b.reason}: ${b.message}\n${result.checked} events before it verified`;
}

/** `assay audit verify` (offline, on the store) and `assay audit events` (through the API). */
export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('The hash-chained audit trail');

  audit
    .command('verify')
    .description(
      'Re-compute the audit chain directly on the store (offline) and report the first broken event',
    )
    .option('--data-dir <dir>', 'SQLite data directory (default ASSAY_DATA_DIR or ./.assay)')
    .option('--database-url <url>', 'PostgreSQL URL (default ASSAY_DATABASE_URL)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { dataDir?: string; databaseUrl?: string; json?: boolean }) => {
      const store = locateStore(opts);
      const started = performance.now();
      let result: AuditVerifyResult;
      try {
        result = await verifyOffline(store);
      } catch (err) {
        throw new CliError(`cannot read the audit trail: ${(err as Error).message}`, ExitCode.unavailable);
      }
      const elapsedMs = Math.round(performance.now() - started);
      if (opts.json) printJson({ ...result, elapsedMs });
      else process.stdout.write(`${describe(result)}\n`);
      if (!result.ok) process.exitCode = ExitCode.failed;
    });

  const events = audit
    .command('events')
    .description('Page through audit events (through the API)')
    .option('--entity-type <t>')
    .option('--entity-id <id>')
    .option('--model-id <id>')
    .option('--actor <username>')
    .option('--action <action>', 'an action, or a prefix ending in * (model.*)')
    .option('--from <iso>')
    .option('--to <iso>')
    .option('--limit <n>', 'events per page (max 500)', '50')
    .option('--cursor <c>')
    .option('--json', 'print JSON');
  addRemoteOptions(events).action(
    async (
      opts: RemoteOptions & {
        entityType?: string;
        entityId?: string;
        modelId?: string;
        actor?: string;
        action?: string;
        from?: string;
        to?: string;
        limit: string;
        cursor?: string;
        json?: boolean;
      },
    ) => {
      await withClient(opts, async (client) => {
        const page = await client.audit.events({
          entityType: opts.entityType,
          entityId: opts.entityId,
          modelId: opts.modelId,
          actor: opts.actor,
          action: opts.action,
          from: opts.from,
          to: opts.to,
          limit: Number(opts.limit),
          cursor: opts.cursor,
        });
        if (opts.json) return printJson(page);
        printTable(
          page.items.map((e) => ({
            seq: e.seq,
            at: e.at,
            actor: e.actor,
            action: e.action,
            entity: `${e.entityType}:${e.entityId}`,
          })),
          ['seq', 'at', 'actor', 'action', 'entity'],
        );
        if (page.nextCursor) process.stdout.write(`more: --cursor ${page.nextCursor}\n`);
      });
    },
  );
}
