import type { Command } from 'commander';
import type { RobustnessEvidence } from '../contracts/robustness.ts';
import { CliError } from './exit.ts';
import {
  finishModelRun,
  type ModelCliOptions,
  modelOptions,
  preparePush,
  remoteOf,
  runnerOptions,
} from './explain-commands.ts';
import { parsePushTarget } from './validate.ts';

interface StressCliOptions extends ModelCliOptions {
  spec?: string;
  threshold: string;
  maxRows: string;
  perturb?: string;
  policy?: string;
  tier?: string;
}

function summary(ev: RobustnessEvidence): string {
  const lines = [
    `model: ${ev.model.kind} ${ev.model.source}, ${ev.model.evaluations} evaluations; baseline accuracy ${ev.baseline.accuracy ?? 'n/a'}, positive rate ${ev.baseline.positive_rate}`,
  ];
  for (const p of ev.properties) {
    const c = p.counterexamples[0];
    lines.push(
      `property ${p.name}: ${p.passed ? 'holds' : `VIOLATED on ${p.violating_rows} rows`}${c ? ` (e.g. row ${c.row}: ${c.feature} ${c.labels?.[0] ?? c.from} → ${c.labels?.[1] ?? c.to}, score ${c.score_from.toFixed(4)} → ${c.score_to.toFixed(4)})` : ''}`,
    );
  }
  const w = ev.slices?.worst[0];
  if (w) {
    lines.push(
      `worst slice: ${w.conditions.map((c) => (typeof c.value === 'string' ? `${c.feature}=${c.value}` : `${c.feature} in [${c.value[0] ?? '-inf'}, ${c.value[1] ?? 'inf'})`)).join(' & ')}: accuracy ${w.accuracy.toFixed(4)} on ${w.rows} rows (${(w.relative_drop * 100).toFixed(1)}% below overall)`,
    );
  }
  const max = ev.summary.perturbations_max as Record<string, { flip_rate: number }>;
  lines.push(
    `perturbations, most decisions flipped: ${Object.entries(max)
      .map(([k, v]) => `${k} ${(v.flip_rate * 100).toFixed(1)}%`)
      .join(', ')}`,
  );
  for (const s of ev.scenarios) {
    lines.push(
      `scenario ${s.name}: positive rate ${s.positive_rate_before.toFixed(4)} → ${s.positive_rate_after.toFixed(4)}, ${(s.effect.flip_rate * 100).toFixed(1)}% decisions flipped`,
    );
  }
  for (const s of ev.suggested_findings ?? []) lines.push(`suggested finding [${s.severity}]: ${s.title}`);
  for (const n of ev.warnings) lines.push(`note: ${n}`);
  return `${lines.join('\n')}\n`;
}

/** `assay stress`: perturbations, declared properties, failure slices, scenarios. */
export function registerStressCommand(program: Command): void {
  modelOptions(
    program
      .command('stress')
      .description(
        'Stress a model (assay.robustness/v1): perturbations, declared properties, failure slices, scenarios',
      ),
  )
    .option('--spec <file>', 'YAML of declared properties (monotonic, invariant, bounds) and named scenarios')
    .option('--threshold <t>', 'decision = score >= threshold', '0.5')
    .option('--max-rows <n>', 'use at most this many rows (a seeded sample)', '5000')
    .option('--perturb <cols>', 'perturb only these features (default: all)')
    .option(
      '--policy <file>',
      'judge by the robustness thresholds of this policy YAML (with --push: the server policy)',
    )
    .option('--tier <n>', "the model's tier for --policy rules that apply to some tiers only")
    .action(async (opts: StressCliOptions) => {
      await preparePush(opts);
      const threshold = Number(opts.threshold);
      if (!Number.isFinite(threshold))
        throw new CliError(`--threshold must be a number, got '${opts.threshold}'`);
      let judge: Awaited<ReturnType<typeof import('./validate.ts')['localJudge']>> | undefined;
      if (opts.push && opts.model) {
        const { fetchJudge } = await import('./validate-push.ts');
        judge = await fetchJudge(remoteOf(opts), parsePushTarget(opts.model));
      } else if (opts.policy !== undefined) {
        judge = await (await import('./validate.ts')).localJudge(opts.policy, opts.tier);
      }
      const [{ stress }, { InputError }, { renderRobustnessReport }, { StageBar }] = await Promise.all([
        import('../engine/stress/stress.ts'),
        import('../engine/load/input-error.ts'),
        import('../engine/report/robustness-report.ts'),
        import('./progress-bar.ts'),
      ]);
      const maxRows = Number(opts.maxRows);
      if (!Number.isInteger(maxRows) || maxRows < 1)
        throw new CliError(`--max-rows must be a positive integer, got '${opts.maxRows}'`);
      const seed = Number(opts.seed);
      if (!Number.isInteger(seed) || seed < 0)
        throw new CliError(`--seed must be a non-negative integer, got '${opts.seed}'`);
      const perturb = opts.perturb
        ?.split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      const bar = new StageBar('assay stress');
      let evidence: RobustnessEvidence;
      try {
        evidence = await stress({
          ...runnerOptions(opts),
          data: opts.data,
          ...(opts.label !== undefined ? { label: opts.label } : {}),
          ...(opts.positiveLabel !== undefined ? { positiveLabel: opts.positiveLabel } : {}),
          ...(opts.spec !== undefined ? { spec: opts.spec } : {}),
          ...(perturb ? { perturbFeatures: perturb } : {}),
          ...(judge ? { judge } : {}),
          threshold,
          seed,
          maxRows,
          now: new Date(),
          progress: (stage, fraction) => bar.update(stage, fraction),
        });
      } catch (err) {
        bar.abort();
        if (err instanceof InputError) throw new CliError(err.message);
        throw err;
      }
      bar.done('stress tests done');
      await finishModelRun(
        opts,
        'stress',
        'Model robustness',
        evidence,
        renderRobustnessReport(evidence),
        summary(evidence),
      );
    });
}
