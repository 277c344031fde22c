import type { Command } from 'commander';
import {
  type ExceptionAllowance,
  type ExceptionReport,
  exceptionAllowanceSchema,
} from '../contracts/exceptions.ts';
import { exceptionsApi } from '../sdk/exceptions.ts';
import { CliError, ExitCode } from './exit.ts';
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
  <T>(fn: (w: ReturnType<typeof exceptionsApi>) => Promise<T>) =>
    withClient(opts, (c) => fn(exceptionsApi(c.transport)));

const FIELDS = [
  'id',
  'modelKey',
  'versionLabel',
  'allows',
  'state',
  'until',
  'requestedBy',
  'decidedBy',
  'reason',
];

function show(opts: Opts, value: Record<string, unknown>): void {
  if (opts.json) printJson(value);
  else printRecord(Object.fromEntries(FIELDS.map((f) => [f, value[f]])));
}

/** The sections of the exception report, in the order an auditor reads them, with their columns. */
const SECTIONS: readonly {
  key: Exclude<keyof ExceptionReport, 'asOf' | 'counts'>;
  title: string;
  columns: string[];
}[] = [
  {
    key: 'productionWithoutApproval',
    title: 'Models in production without a valid approval',
    columns: ['modelKey', 'versionLabel', 'problem', 'exception'],
  },
  {
    key: 'deploymentsGateDenied',
    title: 'Production deployments the gate denies now',
    columns: ['modelKey', 'versionLabel', 'deploymentId', 'reasons', 'exception'],
  },
  {
    key: 'retiredStillDeployed',
    title: 'Retired models still deployed',
    columns: ['modelKey', 'versionLabel', 'environment', 'deploymentId'],
  },
  {
    key: 'approvalsOnSupersededTier',
    title: 'Approvals bound to a tier the model no longer has',
    columns: ['modelKey', 'versionLabel', 'decisionId', 'decisionTier', 'currentTier', 'changed'],
  },
  {
    key: 'overdueConditions',
    title: 'Overdue decision conditions',
    columns: ['modelKey', 'versionLabel', 'owner', 'dueAt', 'text'],
  },
  {
    key: 'expiredAcceptances',
    title: 'Risk acceptances past expiry',
    columns: ['modelKey', 'acceptanceId', 'state', 'expiresAt'],
  },
  {
    key: 'exceptionsInForce',
    title: 'Lifecycle exceptions in force',
    columns: ['modelKey', 'exceptionId', 'allows', 'until', 'requestedBy', 'decidedBy'],
  },
];

/** `assay report exceptions` and `assay exceptions request|list|show|approve|reject|revoke`. */
export function registerExceptionCommands(program: Command): void {
  const report = program.command('report').description('Reports for auditors');
  addRemoteOptions(
    report
      .command('exceptions')
      .description('What an auditor looks for first (exit 1 when anything but exceptions in force is listed)')
      .option('--json', 'print the report as the API answers it'),
  ).action(async (o: Opts) => {
    const r = await api(o)((x) => x.report());
    if (o.json) printJson(r);
    else {
      process.stdout.write(`Exception report as of ${r.asOf}\n`);
      for (const s of SECTIONS) {
        const rows = r[s.key] as unknown as Record<string, unknown>[];
        process.stdout.write(`\n${s.title}: ${rows.length}\n`);
        printTable(
          rows.map((row) => ({
            ...row,
            exception:
              'exception' in row ? ((row.exception as { id: string } | null)?.id ?? 'none') : undefined,
          })),
          s.columns,
        );
      }
    }
    const { exceptionsInForce: _inForce, ...problems } = r.counts;
    if (Object.values(problems).some((n) => n > 0)) process.exitCode = ExitCode.failed;
  });

  const exceptions = program
    .command('exceptions')
    .description('Lifecycle exceptions: a recorded, time-bounded allowance approved by a second person');
  addRemoteOptions(
    exceptions
      .command('request <model>')
      .description('Ask for an exception (a governance user other than you approves it)')
      .requiredOption('--allow <what...>', 'status_approved | status_production | production_deployment')
      .requiredOption('--reason <text>', 'why (at least 20 characters)')
      .requiredOption('--until <time>', 'when it ends (ISO 8601; at most a year ahead)')
      .option('--version <label>', 'the version that may run (needed for production_deployment)')
      .option('--deployment <id>', 'an existing deployment it covers')
      .option('--json'),
  ).action(
    async (
      model: string,
      o: Opts & { allow: string[]; reason: string; until: string; version?: string; deployment?: string },
    ) => {
      const allows = o.allow.map((a) => {
        const parsed = exceptionAllowanceSchema.safeParse(a);
        if (!parsed.success)
          throw new CliError(`--allow: '${a}' is not one of ${exceptionAllowanceSchema.options.join(', ')}`);
        return parsed.data as ExceptionAllowance;
      });
      const until = new Date(o.until);
      if (Number.isNaN(until.getTime())) throw new CliError(`--until: '${o.until}' is not a date`);
      const e = await api(o)((x) =>
        x.request({
          modelKey: model,
          allows,
          reason: o.reason,
          until: until.toISOString(),
          ...(o.version ? { versionLabel: o.version } : {}),
          ...(o.deployment ? { deploymentId: o.deployment } : {}),
        }),
      );
      show(o, e);
    },
  );
  addRemoteOptions(
    exceptions.command('list').option('--model <key>').option('--state <state>').option('--json'),
  ).action(async (o: Opts & { model?: string; state?: string }) => {
    const page = await api(o)((x) =>
      x.list({
        ...(o.model ? { modelKey: o.model } : {}),
        ...(o.state ? { state: o.state } : {}),
        limit: 500,
      }),
    );
    if (o.json) printJson(page.items);
    else printTable(page.items, ['id', 'modelKey', 'state', 'until', 'requestedBy', 'decidedBy']);
  });
  addRemoteOptions(exceptions.command('show <id>').option('--json')).action(async (id: string, o: Opts) => {
    show(o, await api(o)((x) => x.get(id)));
  });
  for (const verb of ['approve', 'reject'] as const)
    addRemoteOptions(exceptions.command(`${verb} <id>`).option('--note <text>').option('--json')).action(
      async (id: string, o: Opts & { note?: string }) => {
        show(o, await api(o)((x) => x[verb](id, o.note)));
      },
    );
  addRemoteOptions(
    exceptions.command('revoke <id>').requiredOption('--reason <text>').option('--json'),
  ).action(async (id: string, o: Opts & { reason: string }) => {
    show(o, await api(o)((x) => x.revoke(id, o.reason)));
  });
}
