import { z } from 'zod';
import {
  type CardMetric,
  type DatasetRef,
  type ModelCardContent,
  modelCardContentSchema,
} from '../../../contracts/documentation.ts';
import { ValidationError } from '../../../platform/errors.ts';

/**
 * Import of a Google Model Card Toolkit JSON document (`model_card.json`, schema 0.0.1 and 0.0.2)
 * into card content. Mapping:
 *
 * - model_details.overview → overview; documentation → model details text; owners, licenses,
 *   references, citations, version and path → a "Source" paragraph of the overview;
 *   version.diff → change log.
 * - model_parameters.model_architecture → architecture; input/output formats → model details;
 *   data → training / evaluation datasets (by `train` / `eval` keys in 0.0.1, by the words
 *   train / eval / test / validation in the name or description in 0.0.2); sensitive data and
 *   links → the dataset's note.
 * - quantitative_analysis.performance_metrics → metrics (slice `attribute=value`, `attribute:value`
 *   or `attribute_value` → group; `overall` → none; confidence_interval → lower / upper).
 * - considerations.users → users; use_cases → intended use; limitations → limitations;
 *   tradeoffs → limitations text; ethical_considerations → risks (name, mitigation_strategy).
 */

export interface ModelCardToolkitImport {
  content: ModelCardContent;
  metadata: { modelName: string | null; version: string | null; schemaVersion: string | null };
  warnings: string[];
}

const text = z.string().optional().catch(undefined);
/** 0.0.1 used plain strings where 0.0.2 has `{description}` objects. */
const described = z
  .array(z.union([z.string(), z.object({ description: z.string().optional() }).loose()]))
  .optional()
  .catch(undefined);
const value = z.union([z.number(), z.string()]).optional();

const datasetSchema = z
  .object({
    name: z.string().optional(),
    link: z.string().optional(),
    description: z.string().optional(),
    sensitive: z
      .object({ sensitive_data: z.array(z.string()).optional() })
      .loose()
      .optional(),
  })
  .loose();

const mctSchema = z
  .object({
    schema_version: z.string().optional(),
    model_details: z
      .object({
        name: text,
        overview: text,
        documentation: text,
        owners: z
          .array(z.object({ name: z.string().optional(), contact: z.string().optional() }).loose())
          .optional(),
        version: z.object({ name: value, date: value, diff: z.string().optional() }).loose().optional(),
        // 0.0.2: [{identifier | custom_text}]; 0.0.1: a string.
        licenses: z
          .array(z.object({ identifier: z.string().optional(), custom_text: z.string().optional() }).loose())
          .optional(),
        license: z.string().optional(),
        references: z
          .array(z.union([z.string(), z.object({ reference: z.string().optional() }).loose()]))
          .optional(),
        citations: z
          .array(z.union([z.string(), z.object({ citation: z.string().optional() }).loose()]))
          .optional(),
        citation: z.string().optional(),
        path: z.string().optional(),
        regulatory_requirements: z.string().optional(),
      })
      .loose()
      .optional(),
    model_parameters: z
      .object({
        model_architecture: z.string().optional(),
        data: z.union([z.array(datasetSchema), z.record(z.string(), datasetSchema)]).optional(),
        input_format: z.string().optional(),
        output_format: z.string().optional(),
        input_format_map: z.array(z.object({ key: z.string(), value: z.string() }).loose()).optional(),
        output_format_map: z.array(z.object({ key: z.string(), value: z.string() }).loose()).optional(),
      })
      .loose()
      .optional(),
    quantitative_analysis: z
      .object({
        performance_metrics: z
          .array(
            z
              .object({
                type: z.string(),
                value: value,
                slice: z.string().optional(),
                threshold: value,
                confidence_interval: z.object({ lower_bound: value, upper_bound: value }).loose().optional(),
              })
              .loose(),
          )
          .optional(),
      })
      .loose()
      .optional(),
    considerations: z
      .object({
        users: described,
        use_cases: described,
        limitations: described,
        tradeoffs: described,
        ethical_considerations: z
          .array(
            z.object({ name: z.string().optional(), mitigation_strategy: z.string().optional() }).loose(),
          )
          .optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

const descriptions = (xs: z.infer<typeof described>): string[] =>
  (xs ?? [])
    .map((x) => (typeof x === 'string' ? x : (x.description ?? '')))
    .map((s) => s.trim())
    .filter(Boolean);

const num = (v: unknown): number | null => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
};

/** A TFMA / MCT slice name as a group: `sex=female`, `sex:female`, `sex_female`; overall → null. */
function groupOf(slice: string | undefined): CardMetric['group'] {
  if (!slice) return null;
  const s = slice.trim();
  if (!s || /^overall( slice)?$/i.test(s)) return null;
  const m = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(s) ?? /^([^_]+)_(.+)$/.exec(s);
  return m
    ? { attribute: m[1]!.slice(0, 200), value: m[2]!.slice(0, 200) }
    : { attribute: 'slice', value: s.slice(0, 200) };
}

const clip = (s: string, max: number, what: string, warnings: string[]) => {
  if (s.length <= max) return s;
  warnings.push(`${what} was longer than ${max} characters and was cut`);
  return s.slice(0, max);
};

const paragraph = (title: string, lines: string[]) =>
  lines.length ? `**${title}:**\n\n${lines.map((l) => `- ${l}`).join('\n')}` : '';

/** A Model Card Toolkit JSON document (parsed or as text) as card content. */
export function cardFromModelCardToolkit(input: unknown): ModelCardToolkitImport {
  let json = input;
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input);
    } catch (err) {
      throw new ValidationError(
        `the Model Card Toolkit document is not JSON: ${(err as Error).message}`,
        'document',
      );
    }
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new ValidationError('not a Model Card Toolkit document: expected a JSON object', 'document');
  const parsed = mctSchema.safeParse(json);
  if (!parsed.success)
    throw new ValidationError(
      `not a Model Card Toolkit document: ${parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
      'document',
    );
  const mc = parsed.data;
  const warnings: string[] = [];
  const known = [
    'schema_version',
    'model_details',
    'model_parameters',
    'quantitative_analysis',
    'considerations',
  ];
  for (const k of Object.keys(mc))
    if (!known.includes(k)) warnings.push(`'${k}' is not a Model Card Toolkit field; skipped`);
  const d = mc.model_details ?? {};
  const p = mc.model_parameters ?? {};
  const c = mc.considerations ?? {};

  // Overview, with what a card has no field for.
  const source = [
    paragraph(
      'Owners',
      (d.owners ?? [])
        .map((o) => [o.name, o.contact ? `(${o.contact})` : ''].filter(Boolean).join(' '))
        .filter(Boolean),
    ),
    paragraph('Licenses', [
      ...(d.licenses ?? []).map((l) => l.identifier ?? l.custom_text ?? '').filter(Boolean),
      ...(d.license ? [d.license] : []),
    ]),
    paragraph(
      'References',
      (d.references ?? []).map((r) => (typeof r === 'string' ? r : (r.reference ?? ''))).filter(Boolean),
    ),
    paragraph('Citations', [
      ...(d.citations ?? []).map((r) => (typeof r === 'string' ? r : (r.citation ?? ''))).filter(Boolean),
      ...(d.citation ? [d.citation] : []),
    ]),
    paragraph(
      'Version',
      [
        d.version?.name !== undefined ? `name: ${d.version.name}` : '',
        d.version?.date !== undefined ? `date: ${d.version.date}` : '',
      ].filter(Boolean),
    ),
    paragraph('Path', d.path ? [d.path] : []),
    paragraph('Regulatory requirements', d.regulatory_requirements ? [d.regulatory_requirements] : []),
  ].filter(Boolean);
  const overview = [d.overview?.trim() ?? '', ...source].filter(Boolean).join('\n\n');

  const formats = [
    p.input_format ? `Input format: ${p.input_format}` : '',
    p.output_format ? `Output format: ${p.output_format}` : '',
    ...(p.input_format_map ?? []).map((f) => `Input ${f.key}: ${f.value}`),
    ...(p.output_format_map ?? []).map((f) => `Output ${f.key}: ${f.value}`),
  ].filter(Boolean);
  const modelDetailsText = [d.documentation?.trim() ?? '', formats.join('\n\n')].filter(Boolean).join('\n\n');

  // Datasets.
  const training: DatasetRef[] = [];
  const evaluation: DatasetRef[] = [];
  const addDataset = (
    ds: z.infer<typeof datasetSchema>,
    bucket: 'training' | 'evaluation' | null,
    fallback: string,
  ) => {
    const name = (ds.name?.trim() || fallback).slice(0, 200);
    const noteParts = [
      ds.description?.trim() ?? '',
      ds.link ? `Link: ${ds.link}` : '',
      ds.sensitive?.sensitive_data?.length ? `Sensitive data: ${ds.sensitive.sensitive_data.join(', ')}` : '',
    ].filter(Boolean);
    const ref = {
      name,
      id: null,
      note: noteParts.length ? clip(noteParts.join('\n'), 2_000, `dataset ${name}`, warnings) : null,
    };
    const words = `${ds.name ?? ''} ${ds.description ?? ''}`;
    const where =
      bucket ??
      (/\b(eval\w*|test\w*|validation|holdout|hold-out)\b/i.test(words) ? 'evaluation' : 'training');
    (where === 'training' ? training : evaluation).push(ref);
  };
  if (Array.isArray(p.data)) for (const [i, ds] of p.data.entries()) addDataset(ds, null, `dataset ${i + 1}`);
  else if (p.data)
    for (const [key, ds] of Object.entries(p.data)) {
      const bucket = /^train/i.test(key) ? 'training' : /^(eval|test|valid)/i.test(key) ? 'evaluation' : null;
      addDataset(ds, bucket, key);
    }

  // Metrics.
  const metrics: CardMetric[] = [];
  for (const m of mc.quantitative_analysis?.performance_metrics ?? []) {
    const v = num(m.value);
    if (v === null && m.value !== undefined)
      warnings.push(`metric ${m.type}: value '${m.value}' is not a number; imported as empty`);
    const threshold = m.threshold !== undefined ? ` @ threshold ${m.threshold}` : '';
    metrics.push({
      name: `${m.type}${threshold}`.slice(0, 200),
      value: v,
      lower: num(m.confidence_interval?.lower_bound),
      upper: num(m.confidence_interval?.upper_bound),
      confidenceLevel: null,
      group: groupOf(m.slice),
      dataset: evaluation.length === 1 ? evaluation[0]!.name : null,
      evidenceId: null,
      sha256: null,
    });
  }

  const useCases = descriptions(c.use_cases);
  const tradeoffs = descriptions(c.tradeoffs);
  const limitations = descriptions(c.limitations);
  const items = (xs: string[], what: string) =>
    xs.map((x, i) => clip(x, 2_000, `${what} ${i + 1}`, warnings));

  const content = {
    overview: { text: overview },
    intendedUse: {
      text: useCases.length ? useCases.map((u) => `- ${u}`).join('\n') : '',
      users: items(descriptions(c.users), 'user'),
    },
    modelDetails: {
      text: modelDetailsText,
      architecture: p.model_architecture
        ? clip(p.model_architecture, 5_000, 'model_architecture', warnings)
        : null,
      trainingProcedure: null,
      hyperparameters: [],
    },
    data: { text: '', training, evaluation },
    evaluation: { text: '', evidence: [], metrics },
    limitations: {
      text: tradeoffs.length ? `**Trade-offs:**\n\n${tradeoffs.map((t) => `- ${t}`).join('\n')}` : '',
      items: items(limitations, 'limitation'),
    },
    risks: {
      text: '',
      items: (c.ethical_considerations ?? [])
        .filter((r) => r.name?.trim())
        .map((r) => ({
          risk: clip(r.name!.trim(), 2_000, 'ethical consideration', warnings),
          mitigation: clip(r.mitigation_strategy ?? '', 2_000, 'mitigation strategy', warnings),
        })),
    },
    changeLog: { text: d.version?.diff?.trim() ?? '', previousVersion: null, items: [] },
  };
  const result = modelCardContentSchema.safeParse(content);
  if (!result.success)
    throw new ValidationError(
      `the Model Card Toolkit document does not fit a model card: ${result.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
      'document',
    );
  return {
    content: result.data,
    metadata: {
      modelName: d.name ?? null,
      version: d.version?.name !== undefined ? String(d.version.name) : null,
      schemaVersion: mc.schema_version ?? null,
    },
    warnings,
  };
}
