import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { ExplainEvidence } from '../contracts/explain.ts';
import { CliError, ExitCode } from './exit.ts';
import { parsePushTarget } from './validate.ts';

const list = (value: string | undefined): string[] | undefined =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');

function int(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0) {
    throw new CliError(`${flag} must be a non-negative integer, got '${value}'`);
  }
  return n;
}

/** Options every command that runs a model shares. */
export interface ModelCliOptions {
  data: string;
  scorer?: string;
  scorerCommand?: string;
  featuresSpec?: string;
  features?: string;
  budget?: string;
  label?: string;
  positiveLabel?: string;
  seed: string;
  out?: string;
  json?: boolean;
  model?: string;
  push?: boolean;
  review?: string;
  url?: string;
  token?: string;
}

/** Adds the options of a model-running command. */
export function modelOptions(command: Command): Command {
  return command
    .requiredOption('--data <file>', 'rows to run the model on (CSV, Parquet, JSON lines)')
    .option(
      '--scorer <file|url>',
      'the model: an ONNX file, or an Open Inference Protocol v2 model URL (http://host/v2/models/NAME[/versions/V])',
    )
    .option(
      '--scorer-command <command>',
      'the model as a command: CSV rows on stdin (header of feature names), one score per line on stdout',
    )
    .option(
      '--features-spec <file>',
      'JSON list of the model features [{"name", "categories"?}] (default: the ONNX metadata assay.features)',
    )
    .option(
      '--features <cols>',
      'comma-separated model features, in the model input order (numeric; text columns become categories)',
    )
    .option('--budget <n>', 'the most model evaluations (rows scored) the run may use')
    .option('--label <column>', 'the true (binary) label column')
    .option('--positive-label <value>', 'the positive label value (default 1, or the greater value)')
    .option('--seed <n>', 'seed of every random choice (numpy-compatible)', '0')
    .option('--out <dir>', 'write evidence.json and report.html to this directory')
    .option('--json', 'print only the evidence document on standard output')
    .option('--model <key@version>', 'the model version the evidence is for (with --push)')
    .option('--push', 'attach evidence.json and report.html to --model on the server (as test results)')
    .option('--review <id>', 'with --push: the open review the run is produced for')
    .option('--url <url>', 'server URL for --push (default ASSAY_URL or http://localhost:7420)')
    .option('--token <token>', 'API token for --push (default ASSAY_TOKEN)');
}

/** The runner options from the command line. */
export function runnerOptions(opts: ModelCliOptions) {
  const features = list(opts.features);
  const budget = int(opts.budget, '--budget');
  return {
    ...(opts.scorer !== undefined ? { model: opts.scorer } : {}),
    ...(opts.scorerCommand !== undefined ? { command: opts.scorerCommand } : {}),
    ...(opts.featuresSpec !== undefined ? { featuresSpec: opts.featuresSpec } : {}),
    ...(features ? { features } : {}),
    ...(budget !== undefined ? { budget } : {}),
  };
}

/** Writes, pushes and prints a model evidence document (explain, stress). */
export async function finishModelRun<T extends ExplainEvidence | { schema: string }>(
  opts: ModelCliOptions,
  name: string,
  title: string,
  evidence: T,
  html: string,
  summary: string,
): Promise<void> {
  const document = `${JSON.stringify(evidence, null, 2)}\n`;
  if (opts.out) {
    const dir = path.resolve(opts.out);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'evidence.json'), document);
    await writeFile(path.join(dir, 'report.html'), html);
    process.stderr.write(`assay ${name}: wrote ${path.join(dir, 'evidence.json')} and report.html\n`);
  }
  if (opts.push && opts.model) {
    const { pushModelEvidence } = await import('./model-evidence-push.ts');
    const target = { ...parsePushTarget(opts.model), reviewId: opts.review };
    const attached = await pushModelEvidence(
      remoteOf(opts),
      target,
      evidence as never,
      title,
      `assay-${name}`,
      document,
      html,
    );
    for (const ev of attached) {
      process.stderr.write(
        `assay ${name}: attached ${ev.file?.filename ?? ''} to ${opts.model} as evidence ${ev.id}\n`,
      );
    }
  }
  process.stdout.write(opts.json ? document : summary);
}

export const remoteOf = (opts: ModelCliOptions) => ({
  ...(opts.url !== undefined ? { url: opts.url } : {}),
  ...(opts.token !== undefined ? { token: opts.token } : {}),
});

/** Refuses a --push run that could not be pushed, before the work; checks the artifact hash. */
export async function preparePush(opts: ModelCliOptions): Promise<void> {
  if (opts.push && opts.model === undefined) throw new CliError('--push needs --model KEY@VERSION');
  if (opts.review !== undefined && !opts.push) throw new CliError('--review needs --push');
  if (!opts.push || !opts.model) return;
  if (!(opts.token ?? process.env.ASSAY_TOKEN)) {
    throw new CliError('--push needs an API token: pass --token or set ASSAY_TOKEN', ExitCode.refused);
  }
  let sha: string | null = null;
  if (opts.scorer !== undefined && !/^https?:\/\//i.test(opts.scorer)) {
    const { sha256File } = await import('../engine/load/load-table.ts');
    try {
      sha = await sha256File(opts.scorer);
    } catch {
      throw new CliError(`--scorer ${opts.scorer}: no such model file`);
    }
  }
  const { checkPushTarget } = await import('./model-evidence-push.ts');
  await checkPushTarget(remoteOf(opts), parsePushTarget(opts.model), sha);
}

const SHAP_METHODS = ['auto', 'exact', 'kernel', 'tree', 'tree_path_dependent', 'none'] as const;

interface ExplainCliOptions extends ModelCliOptions {
  scoring: string;
  repeats: string;
  maxRows: string;
  pdFeatures?: string;
  grid: string;
  ice: string;
  background?: string;
  backgroundRows: string;
  explainRows?: string;
  shap: string;
  kernelSamples?: string;
  l1Reg: string;
}

function explainSummary(ev: ExplainEvidence): string {
  const lines = [
    `model: ${ev.model.kind} ${ev.model.source}${ev.model.artifact_sha256 ? ` (sha256 ${ev.model.artifact_sha256.slice(0, 12)}…)` : ''}, ${ev.model.evaluations} evaluations`,
  ];
  const pi = ev.permutation_importance;
  if (pi) {
    const top = [...pi.features].sort((a, b) => b.mean - a.mean).slice(0, 5);
    lines.push(
      `permutation importance (${pi.scoring}, baseline ${pi.baseline.toFixed(4)}): ${top.map((t) => `${t.feature} ${t.mean.toFixed(4)}±${t.std.toFixed(4)}`).join(', ')}`,
    );
  }
  if (ev.shap) {
    lines.push(
      `SHAP (${ev.shap.method}${ev.shap.l1_reg ? `, l1_reg ${ev.shap.l1_reg}` : ''}, ${ev.shap.rows.length} rows, additivity error ${ev.shap.additivity_max_error.toExponential(1)}): ${ev.shap.global
        .slice(0, 5)
        .map((g) => `${g.feature} ${g.mean_abs.toFixed(4)}`)
        .join(', ')}`,
    );
  }
  lines.push(`partial dependence: ${ev.partial_dependence.length} features`);
  for (const w of ev.warnings) lines.push(`note: ${w}`);
  return `${lines.join('\n')}\n`;
}

/** `assay explain`: evidence from the model itself (`assay stress` is in stress-command.ts). */
export function registerExplainCommands(program: Command): void {
  modelOptions(
    program
      .command('explain')
      .description(
        'Explain a model (assay.explain/v1): permutation importance, partial dependence and ICE, Shapley values',
      ),
  )
    .option(
      '--scoring <name>',
      'permutation importance score: accuracy, roc_auc, neg_log_loss, neg_brier_score',
      'accuracy',
    )
    .option('--repeats <n>', 'permutation importance repeats', '5')
    .option('--max-rows <n>', 'use at most this many rows (a seeded sample)', '10000')
    .option('--pd-features <cols>', 'features for partial dependence (default: all)')
    .option('--grid <n>', 'partial dependence grid resolution', '100')
    .option('--ice <n>', 'ICE curves of this many rows', '10')
    .option('--background <file>', 'background rows for Shapley values (default: a sample of --data)')
    .option('--background-rows <n>', 'background sample size', '100')
    .option(
      '--explain-rows <list>',
      'rows (0-based, of the data used) to explain with Shapley values (default: the first 20; 200 for TreeSHAP)',
    )
    .option(
      '--shap <method>',
      'auto, exact, kernel, tree (interventional), tree_path_dependent (from node covers) or none',
      'auto',
    )
    .option('--kernel-samples <n>', "KernelSHAP coalitions per row (default shap's 2M+2048)")
    .option(
      '--l1-reg <value>',
      "KernelSHAP feature selection, shap's l1_reg: num_features(k), aic, bic, auto, a Lasso alpha, or none",
      'num_features(10)',
    )
    .action(async (opts: ExplainCliOptions) => {
      await preparePush(opts);
      const { SCORINGS } = await import('../engine/explain/scoring.ts');
      const scoring = SCORINGS.find((s) => s === opts.scoring);
      if (!scoring)
        throw new CliError(`--scoring must be one of ${SCORINGS.join(', ')}, got '${opts.scoring}'`);
      const shap = SHAP_METHODS.find((s) => s === opts.shap);
      if (!shap) throw new CliError(`--shap must be one of ${SHAP_METHODS.join(', ')}, got '${opts.shap}'`);
      const explainRows = list(opts.explainRows)?.map((r) => int(r, '--explain-rows') as number);
      const kernelSamples = int(opts.kernelSamples, '--kernel-samples');
      const pdFeatures = list(opts.pdFeatures);
      const [{ explain }, { InputError }, { renderExplainReport }, { StageBar }, { parseL1Reg }] =
        await Promise.all([
          import('../engine/explain/explain.ts'),
          import('../engine/load/input-error.ts'),
          import('../engine/report/explain-report.ts'),
          import('./progress-bar.ts'),
          import('../engine/explain/kernel-shap-l1.ts'),
        ]);
      try {
        parseL1Reg(opts.l1Reg);
      } catch (err) {
        throw new CliError((err as Error).message);
      }
      const bar = new StageBar('assay explain');
      let evidence: ExplainEvidence;
      try {
        evidence = await explain({
          ...runnerOptions(opts),
          data: opts.data,
          ...(opts.background !== undefined ? { background: opts.background } : {}),
          ...(opts.label !== undefined ? { label: opts.label } : {}),
          ...(opts.positiveLabel !== undefined ? { positiveLabel: opts.positiveLabel } : {}),
          scoring,
          nRepeats: int(opts.repeats, '--repeats') as number,
          seed: int(opts.seed, '--seed') as number,
          maxRows: int(opts.maxRows, '--max-rows') as number,
          ...(pdFeatures ? { pdFeatures } : {}),
          gridResolution: int(opts.grid, '--grid') as number,
          iceRows: int(opts.ice, '--ice') as number,
          backgroundRows: int(opts.backgroundRows, '--background-rows') as number,
          ...(explainRows ? { explainRows } : {}),
          shapMethod: shap,
          ...(kernelSamples !== undefined ? { kernelSamples } : {}),
          kernelL1Reg: opts.l1Reg,
          now: new Date(),
          progress: (stage, fraction) => bar.update(stage, fraction),
        });
      } catch (err) {
        bar.abort();
        if (err instanceof InputError) throw new CliError(err.message);
        throw err;
      }
      bar.done('explanation computed');
      await finishModelRun(
        opts,
        'explain',
        'Model explanation',
        evidence,
        renderExplainReport(evidence),
        explainSummary(evidence),
      );
    });
}
