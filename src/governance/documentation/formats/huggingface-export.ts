import { stringify as stringifyYaml } from 'yaml';
import {
  CARD_SECTIONS,
  type CardMetric,
  type DatasetRef,
  type EvidenceRef,
  type ModelCardContent,
  modelCardContentSchema,
} from '../../../contracts/documentation.ts';
import {
  escapeLines,
  FIELDS,
  type FieldSpec,
  type HuggingFaceExportOptions,
  item,
  marker,
  subLine,
} from './huggingface-layout.ts';

// Card → Hugging Face README.md: front matter with `model-index`, and the marked Markdown body.

export function renderField(spec: FieldSpec, value: unknown): string | null {
  switch (spec.kind) {
    case 'scalar':
      return value === null || value === undefined ? null : String(value);
    case 'list': {
      const items = value as string[];
      return items.length ? items.map((i) => item(i)).join('\n') : null;
    }
    case 'hyperparameters': {
      const hp = value as { key: string; value: string }[];
      return hp.length ? hp.map((h) => item(`${h.key}: ${h.value}`)).join('\n') : null;
    }
    case 'datasets': {
      const refs = value as DatasetRef[];
      if (!refs.length) return null;
      return refs
        .map((r) => {
          const lines = [item(r.name)];
          if (r.id !== null) lines.push(subLine('id', r.id));
          if (r.note !== null) lines.push(subLine('note', r.note));
          return lines.join('\n');
        })
        .join('\n');
    }
    case 'evidence': {
      const refs = value as EvidenceRef[];
      if (!refs.length) return null;
      return refs
        .map((r) =>
          [item(r.evidenceId), ...(r.sha256 !== null ? [subLine('sha256', r.sha256)] : [])].join('\n'),
        )
        .join('\n');
    }
    case 'risks': {
      const risks = value as { risk: string; mitigation: string }[];
      if (!risks.length) return null;
      return risks.map((r) => `${item(r.risk)}\n${subLine('Mitigation', r.mitigation)}`).join('\n');
    }
    case 'results': {
      const metrics = value as CardMetric[];
      return metrics.length ? metricsTable(metrics) : null;
    }
  }
}

export const cell = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');
export const num = (v: number | null) => (v === null ? '—' : String(v));

/** A readable table of the metrics (the values are read back from `model-index`, not from here). */
export function metricsTable(metrics: CardMetric[]): string {
  const rows = metrics.map((m) => {
    const ci =
      m.lower !== null || m.upper !== null
        ? `${num(m.lower)} – ${num(m.upper)}${m.confidenceLevel !== null ? ` (${m.confidenceLevel * 100}%)` : ''}`
        : '';
    const group = m.group ? `${m.group.attribute} = ${m.group.value}` : 'overall';
    return `| ${cell(m.name)} | ${cell(group)} | ${num(m.value)} | ${cell(ci)} | ${cell(m.dataset ?? '')} |`;
  });
  return [
    '(Read from `model-index` in the front matter; this table is for reading only.)',
    '',
    '| Metric | Group | Value | Confidence interval | Dataset |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

// ---- model-index ---------------------------------------------------------------------------

export const UNSPECIFIED = 'unspecified';

export interface HfMetric {
  type: string;
  value: number | null;
  name?: string;
  args?: Record<string, unknown>;
}
export interface HfResult {
  task: { type: string; name?: string };
  dataset: { type: string; name: string; config?: string };
  metrics: HfMetric[];
}

export function prettyMetric(name: string): string {
  const known: Record<string, string> = {
    roc_auc: 'ROC AUC',
    f1: 'F1',
    ece: 'ECE',
    accuracy: 'Accuracy',
    precision: 'Precision',
    recall: 'Recall',
  };
  return known[name] ?? name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

/**
 * One result per run of consecutive metrics on the same dataset and group, so that flattening the
 * results gives the metrics back in their order.
 */
export function modelIndexResults(metrics: CardMetric[], task: { type: string; name?: string }): HfResult[] {
  const results: HfResult[] = [];
  let key: string | null = null;
  for (const m of metrics) {
    const k = JSON.stringify([m.dataset, m.group?.attribute ?? null, m.group?.value ?? null]);
    if (k !== key || !results.length) {
      const ds = m.dataset ?? UNSPECIFIED;
      results.push({
        task: { ...task },
        dataset: {
          type: ds,
          name: ds,
          ...(m.group ? { config: `${m.group.attribute}=${m.group.value}` } : {}),
        },
        metrics: [],
      });
      key = k;
    }
    const args: Record<string, unknown> = {};
    if (m.lower !== null) args.ci_lower = m.lower;
    if (m.upper !== null) args.ci_upper = m.upper;
    if (m.confidenceLevel !== null) args.confidence_level = m.confidenceLevel;
    if (m.evidenceId !== null) args.evidence_id = m.evidenceId;
    if (m.sha256 !== null) args.evidence_sha256 = m.sha256;
    results.at(-1)!.metrics.push({
      type: m.name,
      value: m.value,
      name: prettyMetric(m.name),
      ...(Object.keys(args).length ? { args } : {}),
    });
  }
  return results;
}

// ---- export --------------------------------------------------------------------------------

export const unique = (xs: string[]) => [...new Set(xs)];

/** The card as a Hugging Face README.md. */
export function cardToHuggingFace(input: ModelCardContent, meta: HuggingFaceExportOptions): string {
  const content = modelCardContentSchema.parse(input);
  const task = meta.task ?? { type: 'other', name: 'Other' };
  const front: Record<string, unknown> = {};
  if (meta.license) front.license = meta.license;
  if (meta.language?.length) front.language = meta.language;
  if (meta.libraryName) front.library_name = meta.libraryName;
  if (meta.pipelineTag) front.pipeline_tag = meta.pipelineTag;
  if (meta.baseModel?.length) front.base_model = meta.baseModel;
  front.tags = unique(['assay', ...(meta.tags ?? [])]);
  const datasets = unique(
    [...content.data.training, ...content.data.evaluation].map((d) => d.name).filter(Boolean),
  );
  if (datasets.length) front.datasets = datasets;
  const metricNames = unique(content.evaluation.metrics.map((m) => m.name));
  if (metricNames.length) front.metrics = metricNames;
  front['model-index'] = [
    {
      name: meta.modelName,
      results: modelIndexResults(content.evaluation.metrics, task),
    },
  ];
  const yaml = stringifyYaml(front, { lineWidth: 0 });

  const blocks: string[] = [];
  for (const s of CARD_SECTIONS) {
    const section = content[s.key] as Record<string, unknown> & { text: string };
    blocks.push(`${marker('section', s.id)}\n## ${s.title}\n\n${escapeLines(section.text)}`);
    for (const f of FIELDS[s.key]) {
      const body = renderField(f, section[f.key]);
      if (body !== null) blocks.push(`${marker('field', f.key)}\n### ${f.label}\n\n${escapeLines(body)}`);
    }
  }
  const title = `# ${meta.modelName} ${meta.versionLabel}`.replace(/\n/g, ' ');
  const note =
    '<!-- Exported by Assay. Sections and fields are marked so that `assay card import --format huggingface` reads this file back exactly; keep the markers when editing. -->';
  return `---\n${yaml}---\n\n${title}\n\n${note}\n\n${blocks.join('\n\n')}\n`;
}

/** The Hugging Face task id for an inventory model type. */
export function huggingFaceTask(type: string): { type: string; name: string } {
  const map: Record<string, { type: string; name: string }> = {
    classification: { type: 'tabular-classification', name: 'Tabular Classification' },
    regression: { type: 'tabular-regression', name: 'Tabular Regression' },
    forecasting: { type: 'time-series-forecasting', name: 'Time Series Forecasting' },
    llm_application: { type: 'text-generation', name: 'Text Generation' },
    agent: { type: 'text-generation', name: 'Text Generation' },
  };
  return map[type] ?? { type: 'other', name: 'Other' };
}
