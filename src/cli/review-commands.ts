import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { ReviewState, ReviewType } from '../contracts/reviews.ts';
import {
  EVIDENCE_TYPES,
  GATES,
  MODEL_STATUSES,
  REVIEW_API_EVENTS,
  REVIEW_TYPES,
} from '../contracts/vocabulary.ts';
import type { WorkflowReviewsApi } from '../sdk/workflow-reviews.ts';
import { CliError } from './exit.ts';
import { parseModelAtVersion } from './gate-commands.ts';
import {
  addRemoteOptions,
  printJson,
  printRecord,
  printTable,
  type RemoteOptions,
  withApi,
  withClient,
} from './remote.ts';

type Opts = RemoteOptions & { json?: boolean };

/** Runs `fn` with the SDK's reviews module, loaded when the command runs. */
const withReviews = <T>(opts: RemoteOptions, fn: (w: WorkflowReviewsApi) => Promise<T>): Promise<T> =>
  withApi(opts, async () => (await import('../sdk/workflow-reviews.ts')).workflowReviewsApi, fn);

const REVIEW_FIELDS = ['id', 'modelKey', 'versionLabel', 'type', 'gate', 'state', 'validatorId', 'openedBy'];

function show(opts: Opts, value: Record<string, unknown>, fields: readonly string[]): void {
  if (opts.json) printJson(value);
  else printRecord(Object.fromEntries(fields.map((f) => [f, value[f]])));
}

/** Checks a flag's value against a zod enum and names the flag when it is not one of them. */
function oneOf<T extends string>(options: readonly T[], value: string, flag: string): T {
  if (!(options as readonly string[]).includes(value))
    throw new CliError(`${flag} must be one of ${options.join(', ')}; got '${value}'`);
  return value as T;
}

/** `--answer question=answer` pairs (repeatable) into a record. */
function answersOf(pairs: readonly string[], file?: string): Record<string, string> {
  const answers: Record<string, string> = {};
  if (file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new CliError(`cannot read ${file} as JSON: ${(err as Error).message}`);
    }
    const obj = (parsed as { answers?: unknown }).answers ?? parsed;
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj))
      throw new CliError(`${file} must hold an object of question → answer`);
    for (const [k, v] of Object.entries(obj)) answers[k] = String(v);
  }
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CliError(`--answer takes question=answer, got '${pair}'`);
    answers[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return answers;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** EU AI Act answers that are yes/no rather than lists of provision ids. */
const EU_FLAGS = new Set([
  'art6_3Derogation',
  'profilesNaturalPersons',
  'publicServiceDeployer',
  'creditOrInsuranceAssessment',
]);

/**
 * `assay tier`, `assay reviews open|submit|assign|move|show|list`, `assay evidence add|list` and
 * `assay models transition`: the steps of the governance loop before findings and decisions.
 */
export function registerReviewCommands(program: Command): void {
  addRemoteOptions(
    program
      .command('tier <model@version>')
      .description("Answer the policy's tiering questionnaire for a version; prints the tier and why")
      .option('--answer <question=answer>', 'one answer (repeat for each question)', collect, [])
      .option('--answers-file <file>', 'a JSON object of question → answer (or { "answers": … })')
      .option(
        '--eu <field=a,b>',
        'EU AI Act answers, e.g. annexIIIAreas=essential_services (repeatable)',
        collect,
        [],
      )
      .option('--json'),
  ).action(async (ref: string, o: Opts & { answer: string[]; answersFile?: string; eu: string[] }) => {
    const { model, version } = parseModelAtVersion(ref);
    const euAiAct: Record<string, unknown> = {};
    for (const pair of o.eu) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new CliError(`--eu takes field=value, got '${pair}'`);
      const field = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      euAiAct[field] = EU_FLAGS.has(field) ? value === 'true' : value.split(',').filter(Boolean);
    }
    const tiering = await withReviews(o, (w) =>
      w.tiering.assess(model, version, {
        answers: answersOf(o.answer, o.answersFile),
        ...(o.eu.length ? { euAiAct: euAiAct as never } : {}),
      }),
    );
    if (o.json) printJson(tiering);
    else
      printRecord({
        model: `${tiering.modelKey}@${tiering.versionLabel}`,
        tier: tiering.computedTier,
        score: `${tiering.score} of ${tiering.maxScore}`,
        summary: tiering.summary,
        euAiAct: tiering.euAiAct.class,
        policyVersion: tiering.policyVersion,
        status: tiering.status,
      });
  });

  const tierings = program
    .command('tierings')
    .description('Pending re-tierings: approve or reject (a second governance person)');
  for (const outcome of ['approve', 'reject'] as const)
    addRemoteOptions(
      tierings
        .command(`${outcome} <id>`)
        .description(`${outcome === 'approve' ? 'Approve' : 'Reject'} a pending re-tiering`)
        .option('--note <text>')
        .option('--json'),
    ).action(async (id: string, o: Opts & { note?: string }) => {
      const t = await withReviews(o, (w) => w.tiering.decide(id, outcome, o.note));
      if (o.json) printJson(t);
      else
        printRecord({
          id: t.id,
          model: `${t.modelKey}@${t.versionLabel}`,
          tier: t.computedTier,
          status: t.status,
        });
    });

  const models =
    program.commands.find((c) => c.name() === 'models') ??
    program.command('models').description('The model inventory');
  addRemoteOptions(
    models
      .command('transition <key> <status>')
      .description(
        'Move a model along its lifecycle (approved and production need governance and a final approval, the production gate, or a valid exception)',
      )
      .option('--reason <text>')
      .option('--version <label>', 'for production: the approved version that goes')
      .option('--json'),
  ).action(async (key: string, status: string, o: Opts & { reason?: string; version?: string }) => {
    const to = oneOf(MODEL_STATUSES, status, 'status');
    const m = await withClient(o, (c) => c.models.transition(key, to, o.reason, undefined, o.version));
    show(o, m, ['key', 'status', 'tier', 'rowVersion']);
  });

  const reviews = program
    .command('reviews')
    .description('Reviews: open, submit, assign a validator, move, show');
  const api =
    (opts: RemoteOptions) =>
    <T>(fn: (w: WorkflowReviewsApi) => Promise<T>) =>
      withReviews(opts, fn);
  addRemoteOptions(
    reviews
      .command('open <model@version>')
      .description('Open a review; its checklist comes from the policy for the tier and gate')
      .requiredOption('--type <type>', 'initial | change | periodic | incident')
      .requiredOption('--gate <gate>', 'validation | production')
      .option('--reason <text>')
      .option('--json'),
  ).action(async (ref: string, o: Opts & { type: string; gate: string; reason?: string }) => {
    const { model, version } = parseModelAtVersion(ref);
    const type = oneOf(REVIEW_TYPES, o.type, '--type');
    const gate = oneOf(GATES, o.gate, '--gate');
    const r = await api(o)((w) =>
      w.reviews.open(model, version, { type, gate, ...(o.reason ? { reason: o.reason } : {}) }),
    );
    show(o, r, REVIEW_FIELDS);
  });
  addRemoteOptions(
    reviews.command('submit <id>').description('Submit a draft review').option('--json'),
  ).action(async (id: string, o: Opts) => show(o, await api(o)((w) => w.reviews.submit(id)), REVIEW_FIELDS));
  addRemoteOptions(
    reviews
      .command('assign <id> <validator>')
      .description('Assign an independent validator (governance)')
      .option('--json'),
  ).action(async (id: string, validator: string, o: Opts) =>
    show(o, await api(o)((w) => w.reviews.assignValidator(id, validator)), REVIEW_FIELDS),
  );
  addRemoteOptions(
    reviews
      .command('move <id> <event>')
      .description('start_validation | request_decision | return_to_validation | withdraw')
      .option('--note <text>')
      .option('--json'),
  ).action(async (id: string, event: string, o: Opts & { note?: string }) => {
    const e = oneOf(REVIEW_API_EVENTS, event, 'event');
    show(o, await api(o)((w) => w.reviews.transition(id, e, o.note)), REVIEW_FIELDS);
  });
  addRemoteOptions(
    reviews
      .command('carry-forward <id> <evidenceId>')
      .description("Count earlier evidence for this review's cycle (the assigned validator or governance)")
      .requiredOption('--reason <text>', 'why it still holds (at least 20 characters)')
      .option('--json'),
  ).action(async (id: string, evidenceId: string, o: Opts & { reason: string }) =>
    show(o, await api(o)((w) => w.reviews.carryForward(id, { evidenceId, reason: o.reason })), [
      'id',
      'reviewId',
      'evidenceId',
      'evidenceType',
      'carriedBy',
      'reason',
      'createdAt',
    ]),
  );
  addRemoteOptions(
    reviews.command('show <id>').description('A review with its checklist').option('--json'),
  ).action(async (id: string, o: Opts) => {
    const r = await api(o)((w) => w.reviews.get(id));
    if (o.json) return printJson(r);
    printRecord(Object.fromEntries(REVIEW_FIELDS.map((f) => [f, (r as Record<string, unknown>)[f]])));
    const cycle = r.checklist.cycleStartsAt ? `; evidence from ${r.checklist.cycleStartsAt} counts` : '';
    process.stdout.write(`\nchecklist (${r.checklist.complete ? 'complete' : 'incomplete'}${cycle}):\n`);
    printTable(
      r.checklist.items.map((i) => ({
        ...i,
        carriedForward: (i.carriedForward ?? []).map((c) => `${c.evidenceId} by ${c.carriedBy}: ${c.reason}`),
      })),
      ['evidenceType', 'status', 'satisfiedBy', 'carriedForward', 'earlierCycleEvidence'],
    );
  });
  addRemoteOptions(
    reviews
      .command('list')
      .option('--model <key>')
      .option('--state <state>')
      .option('--type <type>')
      .option('--validator <username>')
      .option('--json'),
  ).action(async (o: Opts & { model?: string; state?: string; type?: string; validator?: string }) => {
    const page = await api(o)((w) =>
      w.reviews.list({
        ...(o.model ? { modelKey: o.model } : {}),
        ...(o.state ? { state: o.state as ReviewState } : {}),
        ...(o.type ? { type: o.type as ReviewType } : {}),
        ...(o.validator ? { validator: o.validator } : {}),
        limit: 200,
      }),
    );
    if (o.json) printJson(page);
    else printTable(page.items, REVIEW_FIELDS);
  });

  const evidence = program.command('evidence').description('Evidence attached to model versions');
  addRemoteOptions(
    evidence
      .command('add <model@version>')
      .description('Attach evidence: a file (uploaded, stored by SHA-256) or an external link')
      .requiredOption('--type <type>', EVIDENCE_TYPES.join(' | '))
      .option('--title <text>', 'defaults to the file name or the type')
      .option('--file <path>')
      .option('--link <url>', 'an http(s) link instead of a file (--url is the server)')
      .option('--media-type <type>', 'of the file', 'application/octet-stream')
      .option('--valid-until <iso>')
      .option('--supersedes <id>')
      .option('--review <id>', 'the open review of this version the evidence is produced for')
      .option('--json'),
  ).action(
    async (
      ref: string,
      o: Opts & {
        type: string;
        title?: string;
        file?: string;
        link?: string;
        mediaType: string;
        validUntil?: string;
        supersedes?: string;
        review?: string;
      },
    ) => {
      const { model, version } = parseModelAtVersion(ref);
      if (Boolean(o.file) === Boolean(o.link)) throw new CliError('give exactly one of --file and --link');
      const type = oneOf(EVIDENCE_TYPES, o.type, '--type');
      const meta = {
        type,
        title: o.title ?? (o.file ? path.basename(o.file) : type.replace(/_/g, ' ')),
        ...(o.validUntil ? { validUntil: o.validUntil } : {}),
        ...(o.supersedes ? { supersedes: o.supersedes } : {}),
        ...(o.review ? { reviewId: o.review } : {}),
      };
      const e = await withClient(o, (c) => {
        if (o.link) return c.evidence.link(model, version, { ...meta, externalUrl: o.link });
        let content: Buffer;
        try {
          content = readFileSync(o.file!);
        } catch (err) {
          throw new CliError(`cannot read ${o.file}: ${(err as Error).message}`);
        }
        return c.evidence.upload(model, version, meta, {
          filename: path.basename(o.file!),
          mediaType: o.mediaType,
          content: new Uint8Array(content),
        });
      });
      show(o, e, ['id', 'type', 'title', 'externalUrl', 'file', 'validUntil']);
    },
  );
  addRemoteOptions(
    evidence.command('list <model@version>').description("A version's current evidence").option('--json'),
  ).action(async (ref: string, o: Opts) => {
    const { model, version } = parseModelAtVersion(ref);
    const items = await withClient(o, (c) => c.evidence.list(model, version));
    if (o.json) printJson(items);
    else printTable(items, ['id', 'type', 'title', 'expired', 'createdAt']);
  });
}
