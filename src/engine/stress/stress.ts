import { readFile } from 'node:fs/promises';
import type { ValidationThreshold } from '../../contracts/policy.ts';
import type { RobustnessEvidence } from '../../contracts/robustness.ts';
import { ASSAY_VERSION } from '../../version.ts';
import { sampleRows } from '../explain/explain.ts';
import { rocAuc } from '../explain/scoring.ts';
import { suggestFindings } from '../findings/suggest-findings.ts';
import { InputError } from '../load/input-error.ts';
import { type Matrix, takeRows } from '../model/features.ts';
import { readModelData } from '../model/model-data.ts';
import { openRunner, type RunnerOptions } from '../model/open-runner.ts';
import { accuracyOf, applyScenario, effectOf, NOISE_SCALES, perturbations } from './perturb.ts';
import { checkProperty } from './properties.ts';
import { worstSlices } from './slices.ts';
import { parseStressSpec, type StressSpec } from './stress-spec.ts';

export interface StressOptions extends RunnerOptions {
  data: string;
  label?: string;
  positiveLabel?: string;
  /** A decision is score ≥ threshold (default 0.5). */
  threshold?: number;
  /** The spec file (properties, scenarios). */
  spec?: string;
  seed?: number;
  /** Rows used at most (a seeded sample beyond; default 5,000). */
  maxRows?: number;
  /** Perturb only these features (default: all). */
  perturbFeatures?: string[];
  judge?: {
    rules: readonly ValidationThreshold[];
    tier: number | null;
    policyVersion: number | null;
    policySha256: string | null;
    source: string;
  };
  now: Date;
  progress?: (stage: string, fraction: number) => void;
}

/** Runs the stress tests on a model and returns assay.robustness/v1 evidence. */
export async function stress(options: StressOptions): Promise<RobustnessEvidence> {
  const progress = options.progress ?? (() => {});
  const seed = options.seed ?? 0;
  const threshold = options.threshold ?? 0.5;
  const maxRows = options.maxRows ?? 5000;
  let spec: StressSpec = { properties: [], scenarios: [] };
  if (options.spec !== undefined) {
    let text: string;
    try {
      text = await readFile(options.spec, 'utf8');
    } catch {
      throw new InputError(`${options.spec}: no such spec file`);
    }
    spec = parseStressSpec(text, options.spec);
  }
  const warnings: string[] = [];
  const runner = await openRunner(options);
  try {
    progress('reading data', 0.02);
    const data = await readModelData(options.data, runner.features, {
      ...(options.label !== undefined ? { label: options.label } : {}),
      ...(options.positiveLabel !== undefined ? { positiveLabel: options.positiveLabel } : {}),
    });
    if (data.rows === 0) throw new InputError(`${options.data}: no rows`);
    const features = data.features;
    const used = sampleRows(data.rows, maxRows, seed);
    const x: Matrix = used.length === data.rows ? data.matrix : takeRows(data.matrix, used);
    const y = data.label ? Float64Array.from(used, (i) => (data.label as Float64Array)[i] as number) : null;
    if (used.length < data.rows)
      warnings.push(`a seeded sample of ${used.length} of ${data.rows} rows was used`);
    const predict = (m: Matrix) => runner.predict(m);
    const base = await predict(x);
    let positives = 0;
    let scoreSum = 0;
    for (const s of base) {
      if (s >= threshold) positives++;
      scoreSum += s;
    }
    let auc: number | null = null;
    if (y) {
      try {
        auc = rocAuc(y, base);
      } catch {
        auc = null;
      }
    }
    const baseline = {
      positive_rate: positives / x.rows,
      mean_score: scoreSum / x.rows,
      accuracy: y ? accuracyOf(y, base, threshold) : null,
      roc_auc: auc,
    };

    const perturbed: RobustnessEvidence['perturbations'] = {};
    const missing = runner.kind !== 'oip';
    if (!missing)
      warnings.push(
        'missing-value perturbations skipped: the Open Inference Protocol JSON cannot carry them',
      );
    const names = options.perturbFeatures ?? features.map((f) => f.name);
    for (const [k, name] of names.entries()) {
      progress(`perturbing ${name}`, 0.05 + (0.45 * k) / names.length);
      const j = features.findIndex((f) => f.name === name);
      if (j < 0) throw new InputError(`--perturb: ${name} is not one of the model's features`);
      const row: Record<string, ReturnType<typeof effectOf>> = {};
      for (const p of perturbations(x, j, features[j] as (typeof features)[number], seed, { missing })) {
        row[p.name] = effectOf(base, await predict(p.data), y, threshold);
      }
      perturbed[name] = row;
    }

    const properties: RobustnessEvidence['properties'] = [];
    for (const [k, property] of spec.properties.entries()) {
      progress('checking properties', 0.5 + (0.2 * k) / Math.max(1, spec.properties.length));
      properties.push(await checkProperty(property, predict, x, features, base));
    }

    let slices: RobustnessEvidence['slices'] = null;
    if (y) {
      progress('searching failure slices', 0.75);
      const found = worstSlices(x, features, y, base, { threshold });
      slices = { global_accuracy: found.global_accuracy, candidates: found.candidates, worst: found.slices };
    } else warnings.push('no --label: the failure-slice search needs one and was skipped');

    const scenarios: RobustnessEvidence['scenarios'] = [];
    for (const scenario of spec.scenarios) {
      progress(`scenario ${scenario.name}`, 0.9);
      const shifted = applyScenario(
        x,
        features,
        scenario.shift,
        `${options.spec}: scenario ${scenario.name}`,
      );
      const after = await predict(shifted);
      let positivesAfter = 0;
      for (const s of after) if (s >= threshold) positivesAfter++;
      scenarios.push({
        name: scenario.name,
        description: scenario.description ?? null,
        shift: scenario.shift,
        positive_rate_before: baseline.positive_rate,
        positive_rate_after: positivesAfter / x.rows,
        effect: effectOf(base, after, y, threshold),
      });
    }

    const summary = summarize(perturbed, properties, slices, scenarios);
    const judge = options.judge;
    progress('done', 1);
    return {
      schema: 'assay.robustness/v1',
      engine: { name: 'assay', version: ASSAY_VERSION },
      created_at: options.now.toISOString(),
      inputs: [{ role: 'data', path: data.path, sha256: data.sha256, rows: data.rows }],
      model: { ...runner.record(), features },
      config: {
        label: options.label ?? null,
        positive_label: data.positiveLabel,
        threshold,
        rows_used: x.rows,
        seed,
        noise_scales: NOISE_SCALES,
        spec: options.spec ?? null,
      },
      baseline,
      perturbations: perturbed,
      properties,
      slices,
      scenarios,
      summary,
      // the policy's thresholds address `robustness.<summary path>`, as validation's address the evidence
      suggested_findings: judge
        ? suggestFindings({ robustness: summary } as never, judge.rules, judge.tier)
        : null,
      judged_by: judge
        ? {
            policy_version: judge.policyVersion,
            policy_sha256: judge.policySha256,
            source: judge.source,
            tier: judge.tier,
          }
        : null,
      warnings,
    };
  } finally {
    await runner.close();
  }
}

/**
 * The numbers policy thresholds address (objects only, so dotted paths reach them):
 * perturbations.<feature>.<perturbation>.{flip_rate, mean_abs_score_change, accuracy_change, roc_auc_change},
 * perturbations_max.<perturbation>.flip_rate, properties.<name>.{violation_rate, violating_rows, worst},
 * slices.{worst_relative_drop, worst_accuracy}, scenarios.<name>.{flip_rate, mean_score_change, positive_rate_change}.
 */
function summarize(
  perturbed: RobustnessEvidence['perturbations'],
  properties: RobustnessEvidence['properties'],
  slices: RobustnessEvidence['slices'],
  scenarios: RobustnessEvidence['scenarios'],
): Record<string, unknown> {
  const max: Record<string, { flip_rate: number }> = {};
  for (const row of Object.values(perturbed)) {
    for (const [name, effect] of Object.entries(row)) {
      max[name] = { flip_rate: Math.max(max[name]?.flip_rate ?? 0, effect.flip_rate) };
    }
  }
  return {
    perturbations: perturbed,
    perturbations_max: max,
    properties: Object.fromEntries(
      properties.map((p) => [
        p.name,
        { violation_rate: p.violation_rate, violating_rows: p.violating_rows, worst: p.worst },
      ]),
    ),
    ...(slices?.worst[0]
      ? {
          slices: {
            worst_relative_drop: slices.worst[0].relative_drop,
            worst_accuracy: slices.worst[0].accuracy,
          },
        }
      : {}),
    scenarios: Object.fromEntries(
      scenarios.map((s) => [
        s.name,
        {
          flip_rate: s.effect.flip_rate,
          mean_score_change: s.effect.mean_score_change,
          positive_rate_change: s.positive_rate_after - s.positive_rate_before,
        },
      ]),
    ),
  };
}
