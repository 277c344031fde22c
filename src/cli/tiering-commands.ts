import type { Command } from 'commander';
import type { AcceptanceState } from '../contracts/findings.ts';
import { ACCEPTANCE_STATES } from '../contracts/vocabulary.ts';
import { CliError } from './exit.ts';
import { parseModelAtVersion } from './gate-commands.ts';
import {
  addRemoteOptions,
  printJson,
  printRecord,
  printTable,
  type RemoteOptions,
  withClient,
} from './remote.ts';

type Opts = RemoteOptions & { json?: boolean };

const TIERING_COLUMNS = [
  'id',
  'versionLabel',
  'computedTier',
  'status',
  'policyVersion',
  'createdBy',
  'createdAt',
];
const OVERRIDE_COLUMNS = ['id', 'fromTier', 'toTier', 'status', 'requestedBy', 'requestedAt', 'decidedBy'];
const ACCEPTANCE_COLUMNS = [
  'id',
  'modelKey',
  'state',
  'requestedBy',
  'approvedBy',
  'expiresAt',
  'findingIds',
];

function pick(value: object, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((f) => [f, (value as Record<string, unknown>)[f]]));
}

function find(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}

/**
 * `assay tierings list|show`, `assay tier-overrides request|list|approve|reject` and
 * `assay acceptances list|show|reject` (the commands that write them are in review-commands.ts and
 * decision-commands.ts).
 */
export function registerTieringCommands(program: Command): void {
  const tierings = find(program, 'tierings', 'Tierings of model versions');
  addRemoteOptions(
    tierings.command('list <model>').description('Every tiering of a model, newest first').option('--json'),
  ).action(async (model: string, o: Opts) => {
    const items = await withClient(o, (c) => c.tiering.history(model));
    if (o.json) printJson({ items });
    else printTable(items, TIERING_COLUMNS);
  });
  addRemoteOptions(
    tierings
      .command('show <model@version>')
      .description('The latest tiering of a version: tier, score, EU AI Act class, rationale')
      .option('--json'),
  ).action(async (ref: string, o: Opts) => {
    const { model, version } = parseModelAtVersion(ref);
    const t = await withClient(o, (c) => c.tiering.latest(model, version));
    if (o.json) printJson(t);
    else
      printRecord({
        id: t.id,
        model: `${t.modelKey}@${t.versionLabel}`,
        tier: t.computedTier,
        score: `${t.score} of ${t.maxScore}`,
        summary: t.summary,
        euAiAct: t.euAiAct.class,
        status: t.status,
        policyVersion: t.policyVersion,
      });
  });

  const overrides = program
    .command('tier-overrides')
    .description('Requests for another tier than the computed one: a second governance person decides');
  addRemoteOptions(
    overrides
      .command('request <model>')
      .description("Ask for another tier than the model's computed one")
      .requiredOption('--tier <n>', 'the tier asked for')
      .requiredOption('--justification <text>', 'why (20 characters or more)')
      .option('--json'),
  ).action(async (model: string, o: Opts & { tier: string; justification: string }) => {
    const tier = Number(o.tier);
    if (!Number.isInteger(tier) || tier < 1)
      throw new CliError(`--tier must be a tier number, got '${o.tier}'`);
    const r = await withClient(o, (c) =>
      c.tiering.overrides.request(model, { tier, justification: o.justification }),
    );
    if (o.json) printJson(r);
    else printRecord(pick(r, ['id', 'modelKey', ...OVERRIDE_COLUMNS.slice(1)]));
  });
  addRemoteOptions(
    overrides
      .command('list <model>')
      .description('The tier overrides of a model, newest first')
      .option('--json'),
  ).action(async (model: string, o: Opts) => {
    const items = await withClient(o, (c) => c.tiering.overrides.list(model));
    if (o.json) printJson({ items });
    else printTable(items, OVERRIDE_COLUMNS);
  });
  for (const outcome of ['approve', 'reject'] as const)
    addRemoteOptions(
      overrides
        .command(`${outcome} <id>`)
        .description(
          `${outcome === 'approve' ? 'Approve' : 'Reject'} a pending tier override (not its requester)`,
        )
        .option('--note <text>', 'why')
        .option('--json'),
    ).action(async (id: string, o: Opts & { note?: string }) => {
      const r = await withClient(o, (c) => c.tiering.overrides[outcome](id, o.note));
      if (o.json) printJson(r);
      else printRecord(pick(r, ['id', 'modelKey', ...OVERRIDE_COLUMNS.slice(1), 'decisionNote']));
    });

  const acceptances = find(program, 'acceptances', 'Risk acceptances of findings');
  addRemoteOptions(
    acceptances
      .command('list')
      .description('Risk acceptances, newest first')
      .option('--model <key>')
      .option('--state <state>', ACCEPTANCE_STATES.join(', '))
      .option('--limit <n>', 'at most this many')
      .option('--json'),
  ).action(async (o: Opts & { model?: string; state?: string; limit?: string }) => {
    if (o.state !== undefined && !(ACCEPTANCE_STATES as readonly string[]).includes(o.state))
      throw new CliError(`--state must be one of ${ACCEPTANCE_STATES.join(', ')}, got '${o.state}'`);
    const page = await withClient(o, (c) =>
      c.acceptances.list({
        ...(o.model ? { modelKey: o.model } : {}),
        ...(o.state ? { state: o.state as AcceptanceState } : {}),
        ...(o.limit ? { limit: Number(o.limit) } : {}),
      }),
    );
    if (o.json) printJson(page);
    else printTable(page.items, ACCEPTANCE_COLUMNS);
  });
  addRemoteOptions(
    acceptances.command('show <id>').description('One risk acceptance').option('--json'),
  ).action(async (id: string, o: Opts) => {
    const a = await withClient(o, (c) => c.acceptances.get(id));
    if (o.json) printJson(a);
    else printRecord(pick(a, [...ACCEPTANCE_COLUMNS, 'rationale', 'decidedAt']));
  });
  addRemoteOptions(
    acceptances
      .command('reject <id>')
      .description('Reject a requested risk acceptance (not its requester)')
      .option('--note <text>', 'why')
      .option('--json'),
  ).action(async (id: string, o: Opts & { note?: string }) => {
    const a = await withClient(o, (c) => c.acceptances.reject(id, o.note));
    if (o.json) printJson(a);
    else printRecord(pick(a, ['id', 'state', 'approvedBy', 'decidedAt']));
  });
}
