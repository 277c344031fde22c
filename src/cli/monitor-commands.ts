import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { IngestKind } from '../contracts/monitoring.ts';
import { formatOf } from '../engine/load/load-table.ts';
import { type MonitoringBatchFormat, monitoringApi } from '../sdk/monitoring.ts';
import { CliError } from './exit.ts';
import { StageBar } from './progress-bar.ts';
import {
  addRemoteOptions,
  printJson,
  printRecord,
  printTable,
  type RemoteOptions,
  withClient,
} from './remote.ts';

type Opts = RemoteOptions & { json?: boolean };

const api =
  (opts: RemoteOptions) =>
  <T>(fn: (m: ReturnType<typeof monitoringApi>) => Promise<T>) =>
    withClient(opts, (c) => fn(monitoringApi(c.transport)));

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
  }
}

const DAY = 86_400_000;

/** `assay monitor …`: plans, ingestion, runs and backfills of a deployment's monitoring. */
export function registerMonitorCommands(program: Command): void {
  const monitor = program
    .command('monitor')
    .description('production monitoring of deployments (docs/monitoring.md)');
  const plan = monitor.command('plan').description('monitoring plans as code');
  addRemoteOptions(
    plan
      .command('apply <deployment> <file>')
      .description('apply a plan (YAML or JSON); a changed text becomes the next active version')
      .option('--json', 'print JSON'),
  ).action(async (deployment: string, file: string, opts: Opts) => {
    const text = await readText(file);
    const r = await api(opts)((m) => m.applyPlan(deployment, text));
    if (opts.json) printJson(r);
    else
      printRecord({
        deployment,
        version: r.plan.version,
        changed: r.changed,
        checks: r.plan.document.checks.length,
        sha256: r.plan.sha256,
      });
  });
  addRemoteOptions(
    plan
      .command('show <deployment>')
      .description('show the active plan (or --version N)')
      .option('--version <n>', 'a plan version', (v) => Number.parseInt(v, 10))
      .option('--json', 'print JSON'),
  ).action(async (deployment: string, opts: Opts & { version?: number }) => {
    const p = await api(opts)((m) => m.plan(deployment, opts.version));
    if (opts.json) printJson(p);
    else process.stdout.write(p.text.endsWith('\n') ? p.text : `${p.text}\n`);
  });
  addRemoteOptions(
    monitor
      .command('ingest <deployment> <file>')
      .description('ingest a batch (CSV, Parquet or JSON lines): predictions, or --outcomes / --reference')
      .option('--outcomes', 'the file holds outcomes (prediction id and label)')
      .option('--reference', 'the file is the reference dataset (the baseline)')
      .option('--json', 'print JSON'),
  ).action(
    async (deployment: string, file: string, opts: Opts & { outcomes?: boolean; reference?: boolean }) => {
      if (opts.outcomes && opts.reference) throw new CliError('give --outcomes or --reference, not both');
      const kind: IngestKind = opts.outcomes ? 'outcomes' : opts.reference ? 'reference' : 'predictions';
      let format: MonitoringBatchFormat;
      try {
        format = formatOf(file);
      } catch (err) {
        throw new CliError((err as Error).message);
      }
      if (file.endsWith('.gz')) throw new CliError(`${file}: send the batch uncompressed`);
      const bar = new StageBar('assay monitor ingest');
      bar.update(`reading ${file}`, 0);
      let body: Buffer;
      try {
        body = await readFile(file);
      } catch (err) {
        bar.abort();
        throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
      }
      bar.update(`sending ${body.length} bytes`, 0.2);
      try {
        const r = await api(opts)((m) => m.ingest(deployment, new Uint8Array(body), format, kind));
        const rows = r.batches.reduce((a, b) => a + b.rows, 0);
        bar.done(r.duplicate ? 'already ingested (same bytes)' : `${rows} row(s) stored`);
        if (opts.json) printJson(r);
        else printTable(r.batches, ['id', 'kind', 'seq', 'rows', 'from', 'to', 'sha256']);
      } catch (err) {
        bar.abort();
        throw err;
      }
    },
  );
  const runCommand = (name: string, description: string, backfill: boolean) =>
    addRemoteOptions(
      monitor
        .command(`${name} <deployment>`)
        .description(description)
        .option('--from <time>', 'first window (ISO date or time)')
        .option('--to <time>', 'end of the period (exclusive)')
        .option('--recompute', 'recompute windows already computed')
        .option('--json', 'print JSON'),
    ).action(async (deployment: string, opts: Opts & { from?: string; to?: string; recompute?: boolean }) => {
      const iso = (v: string | undefined, flag: string) => {
        if (v === undefined) return undefined;
        const t = Date.parse(v);
        if (Number.isNaN(t)) throw new CliError(`${flag}: '${v}' is not a date or time`);
        return new Date(t).toISOString();
      };
      const from = iso(opts.from, '--from');
      const to = iso(opts.to, '--to');
      if (backfill && (!from || !to)) throw new CliError('backfill needs --from and --to');
      const bar = new StageBar(`assay monitor ${name}`);
      const windows: { id: string; start: string; end: string; rows: number }[] = [];
      try {
        if (from && to) {
          // a week per request, so the bar moves as the period fills
          const start = Date.parse(from);
          const end = Date.parse(to);
          for (let t = start; t < end; t += 7 * DAY) {
            bar.update(`windows from ${new Date(t).toISOString().slice(0, 10)}`, (t - start) / (end - start));
            const chunk = {
              from: new Date(t).toISOString(),
              to: new Date(Math.min(end, t + 7 * DAY)).toISOString(),
            };
            const r = await api(opts)((m) =>
              m.run(deployment, { ...chunk, ...(opts.recompute ? { recompute: true } : {}) }),
            );
            windows.push(...r.windows);
          }
        } else {
          bar.update('computing due windows', 0);
          const r = await api(opts)((m) =>
            m.run(deployment, { ...(from ? { from } : {}), ...(opts.recompute ? { recompute: true } : {}) }),
          );
          windows.push(...r.windows);
        }
        bar.done(`${windows.length} window(s) computed`);
      } catch (err) {
        bar.abort();
        throw err;
      }
      if (opts.json) printJson({ windows });
      else printTable(windows, ['id', 'start', 'end', 'rows']);
    });
  runCommand('run', "compute the deployment's due windows now", false);
  runCommand('backfill', 'compute (or with --recompute, recompute) the windows of a past period', true);
}
