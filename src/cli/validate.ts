import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { VALIDATION_TASKS as TASKS, type ValidationEvidence } from '../contracts/validation-evidence.ts';
import type { Task } from '../engine/index.ts';
import { CliError, ExitCode } from './exit.ts';
import type { Judge, PushTarget } from './validate-push.ts';

interface ValidateCliOptions {
  data: string;
  reference?: string;
  label?: string;
  score?: string;
  prediction?: string;
  task?: string;
  threshold: string;
  positiveLabel?: string;
  weight?: string;
  group: string[];
  features?: string;
  categorical?: string;
  minGroupSize: string;
  confidence: string;
  out?: string;
  json?: boolean;
  model?: string;
  review?: string;
  push?: boolean;
  url?: string;
  token?: string;
  policy?: string;
  tier?: string;
  memoryLimit?: string;
  scorer?: string;
  scorerCommand?: string;
  featuresSpec?: string;
}

/** A size such as 512MB or 4GB (DuckDB's memory_limit syntax); exit 2 otherwise. */
function memoryLimitOption(value: string): string {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$/i.exec(value);
  if (!match) throw new CliError(`--memory-limit must be a size such as 512MB or 4GB, got '${value}'`);
  return `${match[1]}${match[2]}`;
}

/** `--task`: one of TASKS; exit 2 otherwise. */
function taskOption(value: string): Task {
  const task = TASKS.find((t) => t === value.trim().toLowerCase());
  if (!task) throw new CliError(`--task must be one of ${TASKS.join(', ')}, got '${value}'`);
  return task;
}

/** Policy thresholds from a local policy YAML (offline runs). */
export async function localJudge(file: string, tier: string | undefined): Promise<Judge> {
  const { readFile } = await import('node:fs/promises');
  const { parsePolicyYaml, policySha256 } = await import('../governance/policy/policy-document.ts');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new CliError(`--policy ${file}: no such file`);
  }
  let rules: Judge['rules'];
  try {
    rules = parsePolicyYaml(text).validationThresholds ?? [];
  } catch (err) {
    throw new CliError(`--policy ${file}: ${(err as Error).message}`);
  }
  return {
    rules,
    tier: tier === undefined ? null : numberOption(tier, '--tier', true),
    policyVersion: null,
    policySha256: policySha256(text),
    source: path.resolve(file),
  };
}

/** Parses `--model KEY@VERSION`; exit 2 when malformed. */
export function parsePushTarget(value: string): PushTarget {
  const match = /^([a-z0-9][a-z0-9._-]*)@([^@\s]+)$/i.exec(value.trim());
  if (!match?.[1] || !match[2]) {
    throw new CliError(`--model must be KEY@VERSION (e.g. credit-risk@1.2.0), got '${value}'`);
  }
  return { modelKey: match[1], versionLabel: match[2] };
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];
const list = (value: string | undefined): string[] | undefined =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');

function numberOption(value: string, flag: string, integer = false): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new CliError(`${flag} must be ${integer ? 'an integer' : 'a number'}, got '${value}'`);
  }
  return n;
}

function summary(evidence: ValidationEvidence): string {
  const lines = evidence.inputs.map(
    (i) => `${i.role}: ${i.path} (${i.rows} rows, sha256 ${i.sha256.slice(0, 12)}…)`,
  );
  const p = evidence.performance;
  if (p?.task === 'regression') {
    lines.push(
      `performance (regression): mean_absolute_error ${p.mean_absolute_error ?? 'n/a'}, root_mean_squared_error ${p.root_mean_squared_error ?? 'n/a'}, r2 ${p.r2 ?? 'n/a'}`,
    );
  } else if (p?.task === 'multiclass') {
    lines.push(
      `performance (multiclass, ${p.multiclass?.classes.length ?? 0} classes): accuracy ${p.accuracy ?? 'n/a'}, balanced_accuracy ${p.balanced_accuracy ?? 'n/a'}, f1_macro ${p.f1 ?? 'n/a'}`,
    );
  } else if (p) {
    lines.push(
      `performance: roc_auc ${p.roc_auc ?? 'n/a'}, accuracy ${p.accuracy ?? 'n/a'}, log_loss ${p.log_loss ?? 'n/a'}, ece ${p.ece ?? 'n/a'}`,
    );
  }
  for (const [column, f] of Object.entries(evidence.fairness ?? {})) {
    lines.push(
      `fairness by ${column}: demographic_parity_ratio ${f.demographic_parity_ratio ?? 'n/a'}${f.four_fifths_violation ? ' (below four-fifths)' : ''}, equalized_odds_difference ${f.equalized_odds_difference ?? 'n/a'}`,
    );
  }
  const d = evidence.drift;
  const m = evidence.model;
  if (m) {
    lines.push(
      `model: ${m.kind} ${m.source}${m.artifact_sha256 ? ` (sha256 ${m.artifact_sha256.slice(0, 12)}…)` : ''}, ${m.evaluations} evaluations${m.reproducibility ? `; against column ${m.reproducibility.compared_column}: max |difference| ${m.reproducibility.max_abs_difference} (line ${m.reproducibility.worst_line})` : ''}`,
    );
  }
  if (d) {
    const excluded = d.excluded_features ?? [];
    lines.push(
      `drift: ${d.drifted_count} of ${d.feature_count} features drifted${excluded.length > 0 ? ` (not counted, leakage suspects: ${excluded.join(', ')})` : ''}`,
    );
  }
  const q = evidence.data_quality;
  if (q)
    lines.push(
      `data quality: ${q.duplicates.count} duplicate rows, ${q.constant_columns.length} constant columns`,
    );
  return `${lines.join('\n')}\n`;
}

/**
 * The options that say what to compute (columns, task, threshold, groups, features, intervals), shared
 * by `assay validate` and `assay jobs validate`. With `withDefaults` the defaults are filled in here;
 * without, they are left to the server and only named in the help.
 */
export function addValidationOptions(cmd: Command, withDefaults: boolean): Command {
  const defaulted = (c: Command, flags: string, description: string, value: string) =>
    withDefaults ? c.option(flags, description, value) : c.option(flags, `${description} (default ${value})`);
  let c = cmd
    .option('--label <column>', 'the true label column')
    .option('--score <column>', 'the predicted probability of the positive class')
    .option(
      '--prediction <column>',
      'the predicted class (binary or multiclass) or value (regression), instead of --score',
    )
    .option(
      '--task <task>',
      `${TASKS.join(', ')} (default: inferred from the label; never multiclass when the predictions are not label values)`,
    );
  c = defaulted(c, '--threshold <t>', 'predicted class is score >= threshold', '0.5')
    .option('--positive-label <value>', 'the positive label value (default 1, or the greater value)')
    .option('--weight <column>', 'sample weights')
    .option('--group <column>', 'a group column for fairness (repeatable)', collect, [])
    .option('--features <cols>', 'comma-separated drift features (default: all but label, score, weight)')
    .option('--categorical <cols>', 'comma-separated columns to treat as categorical');
  c = defaulted(c, '--min-group-size <n>', 'groups smaller than this are flagged as too small', '30');
  return defaulted(
    c,
    '--confidence <level>',
    'confidence level of the intervals (Wilson, Newcombe, DeLong)',
    '0.95',
  );
}

/** `assay validate`: performance, fairness, data quality and drift evidence for a scored data file. */
export function registerValidateCommand(program: Command): void {
  addValidationOptions(
    program
      .command('validate')
      .description('Compute validation evidence (assay.validation/v1) for a scored data file')
      .requiredOption('--data <file>', 'the data to validate (CSV, Parquet, JSON lines; .gz allowed)')
      .option('--reference <file>', 'reference data for drift and schema comparison'),
    true,
  )
    .option('--out <dir>', 'write evidence.json and report.html to this directory')
    .option('--json', 'print only the evidence document on standard output')
    .option('--model <key@version>', 'the model version the evidence is for (with --push)')
    .option('--push', 'attach evidence.json and report.html to --model on the server')
    .option('--review <id>', 'with --push: the open review of the version the run is produced for')
    .option(
      '--memory-limit <size>',
      `memory the engine's database may use before spilling to a temporary directory (e.g. 2GB; default 4x the largest input file; at least 256MB, at most half the RAM)`,
    )
    .option('--policy <file>', 'judge the evidence by this policy YAML (with --push: the server policy)')
    .option('--tier <n>', "the model's tier for --policy rules that apply to some tiers only")
    .option('--url <url>', 'server URL for --push (default ASSAY_URL or http://localhost:7420)')
    .option('--token <token>', 'API token for --push (default ASSAY_TOKEN)')
    .option(
      '--scorer <file|url>',
      'score the data with this model (ONNX file or Open Inference Protocol v2 URL) instead of reading --score; with --score, compare them',
    )
    .option(
      '--scorer-command <command>',
      'score with a command (CSV rows on stdin, one score a line on stdout)',
    )
    .option(
      '--features-spec <file>',
      "the scorer's features as JSON [{name, categories?}] (default: the ONNX metadata)",
    )
    .action(async (opts: ValidateCliOptions) => {
      if (opts.push && opts.model === undefined) throw new CliError('--push needs --model KEY@VERSION');
      if (opts.review !== undefined && !opts.push) throw new CliError('--review needs --push');
      const pushTarget =
        opts.model !== undefined ? { ...parsePushTarget(opts.model), reviewId: opts.review } : undefined;
      if (opts.push && !(opts.token ?? process.env.ASSAY_TOKEN)) {
        // refuse before a long run rather than after it
        throw new CliError('--push needs an API token: pass --token or set ASSAY_TOKEN', ExitCode.refused);
      }
      const remote = {
        ...(opts.url !== undefined ? { url: opts.url } : {}),
        ...(opts.token !== undefined ? { token: opts.token } : {}),
      };
      let judge: Judge | undefined;
      let jsonEvidenceId: string | undefined;
      if (opts.push && pushTarget) {
        const { fetchJudge } = await import('./validate-push.ts');
        judge = await fetchJudge(remote, pushTarget);
      } else if (opts.policy !== undefined) {
        judge = await localJudge(opts.policy, opts.tier);
      }
      const features = list(opts.features);
      const categorical = list(opts.categorical);
      // The engine (DuckDB) is loaded here, not at registration: `assay --help` must not pay for it.
      const [{ validate, InputError, renderReport }, { StageBar }] = await Promise.all([
        import('../engine/index.ts'),
        import('./progress-bar.ts'),
      ]);
      let evidence: ValidationEvidence;
      const bar = new StageBar('assay validate');
      const scorer =
        opts.scorer !== undefined || opts.scorerCommand !== undefined
          ? {
              ...(opts.scorer !== undefined ? { model: opts.scorer } : {}),
              ...(opts.scorerCommand !== undefined ? { command: opts.scorerCommand } : {}),
              ...(opts.featuresSpec !== undefined ? { featuresSpec: opts.featuresSpec } : {}),
            }
          : undefined;
      const run = scorer
        ? async (o: Parameters<typeof validate>[0]) =>
            (await import('../engine/model/validate-with-model.ts')).validateWithModel({ ...o, scorer })
        : validate;
      try {
        evidence = await run({
          data: opts.data,
          ...(opts.reference !== undefined ? { reference: opts.reference } : {}),
          ...(opts.label !== undefined ? { label: opts.label } : {}),
          ...(opts.score !== undefined ? { score: opts.score } : {}),
          ...(opts.prediction !== undefined ? { prediction: opts.prediction } : {}),
          ...(opts.task !== undefined ? { task: taskOption(opts.task) } : {}),
          threshold: numberOption(opts.threshold, '--threshold'),
          ...(opts.positiveLabel !== undefined ? { positiveLabel: opts.positiveLabel } : {}),
          ...(opts.weight !== undefined ? { weight: opts.weight } : {}),
          groups: opts.group,
          ...(features ? { features } : {}),
          ...(categorical ? { categorical } : {}),
          minGroupSize: numberOption(opts.minGroupSize, '--min-group-size', true),
          confidence: numberOption(opts.confidence, '--confidence'),
          ...(judge ? { judge } : {}),
          ...(opts.memoryLimit !== undefined ? { memoryLimit: memoryLimitOption(opts.memoryLimit) } : {}),
          now: new Date(),
          progress: ({ stage, fraction }) => bar.update(stage, fraction),
        });
      } catch (err) {
        bar.abort();
        if (err instanceof InputError) throw new CliError(err.message);
        throw err;
      }
      bar.done('evidence computed');
      const document = `${JSON.stringify(evidence, null, 2)}\n`;
      if (opts.out) {
        const dir = path.resolve(opts.out);
        await mkdir(dir, { recursive: true });
        await writeFile(path.join(dir, 'evidence.json'), document);
        await writeFile(path.join(dir, 'report.html'), renderReport(evidence));
        process.stderr.write(`assay validate: wrote ${path.join(dir, 'evidence.json')} and report.html\n`);
      }
      if (opts.push && pushTarget) {
        const { pushEvidence } = await import('./validate-push.ts');
        const attached = await pushEvidence(remote, pushTarget, evidence, document, renderReport(evidence));
        jsonEvidenceId = attached[0]?.id;
        for (const e of attached) {
          process.stderr.write(
            `assay validate: attached ${e.type} ${e.file?.filename ?? ''} (sha256 ${e.file?.sha256.slice(0, 12)}…) to ${pushTarget.modelKey}@${pushTarget.versionLabel} as evidence ${e.id}\n`,
          );
        }
      }
      const suggestions = evidence.suggested_findings ?? [];
      if (suggestions.length > 0) {
        process.stderr.write(
          `assay validate: ${suggestions.length} suggested finding(s) from the policy thresholds:\n`,
        );
        for (const s of suggestions) {
          process.stderr.write(`  [${s.severity}] ${s.title}\n`);
          if (jsonEvidenceId !== undefined) {
            process.stderr.write(
              `    adopt: assay findings adopt ${jsonEvidenceId} ${s.id} --owner <username>\n`,
            );
          }
        }
      }
      process.stdout.write(opts.json ? document : summary(evidence));
    });
}
