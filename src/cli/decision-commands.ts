import type { Command } from 'commander';
import type { FindingState } from '../contracts/findings.ts';
import type { Severity } from '../contracts/policy.ts';
import { workflowDecisionsApi } from '../sdk/workflow-decisions.ts';
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

function show(opts: Opts, value: Record<string, unknown>, fields: readonly string[]): void {
  if (opts.json) printJson(value);
  else printRecord(Object.fromEntries(fields.map((f) => [f, value[f]])));
}

const api =
  (opts: RemoteOptions) =>
  <T>(fn: (w: ReturnType<typeof workflowDecisionsApi>) => Promise<T>) =>
    withClient(opts, (c) => fn(workflowDecisionsApi(c.transport)));

const FINDING_FIELDS = [
  'id',
  'modelKey',
  'versionLabel',
  'title',
  'severity',
  'state',
  'owner',
  'dueAt',
  'overdue',
  'repeatOf',
];
const DECISION_FIELDS = ['id', 'modelKey', 'versionLabel', 'outcome', 'state', 'expiresAt', 'signOff'];

/** `assay findings …`, `assay decisions …`, `assay acceptances …`, `assay scheduler run`. */
export function registerDecisionCommands(program: Command): void {
  const findings = program.command('findings').description('Findings: raise, list, move');
  addRemoteOptions(
    findings
      .command('raise <model@version>')
      .requiredOption('--title <text>')
      .requiredOption('--description <text>')
      .requiredOption('--category <category>', "from the policy's taxonomy")
      .requiredOption('--severity <severity>', 'critical | high | medium | low')
      .requiredOption('--owner <username>')
      .option('--review <id>')
      .option('--repeat-of <id>')
      .option('--json'),
  ).action(
    async (
      ref: string,
      o: Opts & {
        title: string;
        description: string;
        category: string;
        severity: string;
        owner: string;
        review?: string;
        repeatOf?: string;
      },
    ) => {
      const { model, version } = parseModelAtVersion(ref);
      const f = await api(o)((w) =>
        w.findings.raise(model, version, {
          title: o.title,
          description: o.description,
          category: o.category,
          severity: o.severity as Severity,
          owner: o.owner,
          ...(o.review ? { reviewId: o.review } : {}),
          ...(o.repeatOf ? { repeatOf: o.repeatOf } : {}),
        }),
      );
      show(o, f, FINDING_FIELDS);
    },
  );
  addRemoteOptions(
    findings
      .command('list')
      .option('--model <key>')
      .option('--state <state>')
      .option('--overdue')
      .option('--json'),
  ).action(async (o: Opts & { model?: string; state?: string; overdue?: boolean }) => {
    const page = await api(o)((w) =>
      w.findings.list({
        ...(o.model ? { modelKey: o.model } : {}),
        ...(o.state ? { state: o.state as FindingState } : {}),
        ...(o.overdue ? { overdue: true } : {}),
      }),
    );
    if (o.json) printJson(page);
    else printTable(page.items, FINDING_FIELDS);
  });
  addRemoteOptions(
    findings
      .command('move <id> <event>')
      .description('start_remediation | submit_for_verification | verify | reject_verification')
      .option('--plan <text>', 'remediation plan')
      .option('--evidence <id>', 'closure evidence id')
      .option('--note <text>')
      .option('--json'),
  ).action(
    async (id: string, event: string, o: Opts & { plan?: string; evidence?: string; note?: string }) => {
      const f = await api(o)((w) =>
        w.findings.transition(id, {
          event: event as 'verify',
          ...(o.plan ? { remediationPlan: o.plan } : {}),
          ...(o.evidence ? { closureEvidenceId: o.evidence } : {}),
          ...(o.note ? { note: o.note } : {}),
        }),
      );
      show(o, f, FINDING_FIELDS);
    },
  );

  const decisions = program
    .command('decisions')
    .description('Decisions: propose on a review, sign, show, withdraw (pending) or void (final)');
  addRemoteOptions(
    decisions
      .command('propose <reviewId>')
      .requiredOption('--outcome <outcome>', 'approve | approve_with_conditions | hold | reject')
      .requiredOption('--rationale <text>')
      .option('--json'),
  ).action(async (reviewId: string, o: Opts & { outcome: string; rationale: string }) => {
    const d = await api(o)((w) =>
      w.decisions.propose(reviewId, { outcome: o.outcome as 'approve', rationale: o.rationale }),
    );
    show(o, d, DECISION_FIELDS);
  });
  addRemoteOptions(decisions.command('sign <id>').option('--note <text>').option('--json')).action(
    async (id: string, o: Opts & { note?: string }) => {
      show(o, await api(o)((w) => w.decisions.sign(id, o.note)), DECISION_FIELDS);
    },
  );
  for (const [name, what] of [
    ['withdraw', 'Withdraw a pending decision (governance or its proposer)'],
    ['void', 'Void a final decision (governance); its review takes a new decision'],
  ] as const)
    addRemoteOptions(
      decisions
        .command(`${name} <id>`)
        .description(what)
        .requiredOption('--reason <text>', 'why (at least 20 characters; recorded in the audit trail)')
        .option('--json'),
    ).action(async (id: string, o: Opts & { reason: string }) => {
      const d = await api(o)((w) =>
        name === 'withdraw' ? w.decisions.withdraw(id, o.reason) : w.decisions.void(id, o.reason),
      );
      show(o, d, [...DECISION_FIELDS, 'voidedBy', 'voidReason']);
    });
  addRemoteOptions(decisions.command('show <id>').option('--json')).action(async (id: string, o: Opts) => {
    show(o, await api(o)((w) => w.decisions.get(id)), DECISION_FIELDS);
  });

  const acceptances = program.command('acceptances').description('Risk acceptances: request, approve');
  addRemoteOptions(
    acceptances
      .command('request <findingIds...>')
      .requiredOption('--rationale <text>')
      .requiredOption('--expires <iso>', 'expiry (no later than the policy allows)')
      .option('--json'),
  ).action(async (findingIds: string[], o: Opts & { rationale: string; expires: string }) => {
    const a = await api(o)((w) =>
      w.acceptances.request({ findingIds, rationale: o.rationale, expiresAt: o.expires }),
    );
    show(o, a, ['id', 'modelKey', 'state', 'expiresAt', 'findingIds']);
  });
  addRemoteOptions(acceptances.command('approve <id>').option('--note <text>').option('--json')).action(
    async (id: string, o: Opts & { note?: string }) => {
      show(o, await api(o)((w) => w.acceptances.approve(id, o.note)), [
        'id',
        'state',
        'approvedBy',
        'expiresAt',
      ]);
    },
  );

  addRemoteOptions(
    program
      .command('scheduler')
      .description('The workflow scheduler')
      .command('run')
      .description('Fire the due jobs now (admin)')
      .option('--json'),
  ).action(async (o: Opts) => {
    const r = await api(o)((w) => w.runScheduler());
    if (o.json) printJson(r);
    else printTable(r.fired, ['kind', 'entityId', 'key']);
  });
}
