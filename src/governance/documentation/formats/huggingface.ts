import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import {
  CARD_SECTIONS,
  type CardMetric,
  type CardSectionId,
  type DatasetRef,
  type EvidenceRef,
  type ModelCardContent,
  modelCardContentSchema,
} from '../../../contracts/documentation.ts';
import { ValidationError } from '../../../platform/errors.ts';

/**
 * Hugging Face model card (README.md): YAML front matter (license, language, tags, datasets,
 * metrics, `model-index` with the evaluation results) and a Markdown body with one `##` section
 * per card section.
 *
 * Export → import gives back the same card content: the body marks each section and each
 * structured field with an HTML comment (`<!-- assay:section limitations -->`,
 * `<!-- assay:field items -->`; invisible on the Hub), structured lists are written as Markdown
 * lists in a fixed shape, and the metrics travel in `model-index` (groups as the result's dataset
 * `config` `attribute=value`, confidence intervals and evidence in the metric's `args`).
 * A README without the markers (any card from the Hub) is read by its headings.
 */

/** What the front matter says that a card has no place for (returned by the import, set on export). */
export interface HuggingFaceMetadata {
  modelName?: string | null;
  license?: string | null;
  language?: string[];
  tags?: string[];
  /** The `task` of the model-index results (Hugging Face task ids, e.g. `tabular-classification`). */
  task?: { type: string; name?: string } | null;
  pipelineTag?: string | null;
  libraryName?: string | null;
  baseModel?: string[];
}

export interface HuggingFaceExportOptions extends HuggingFaceMetadata {
  modelName: string;
  versionLabel: string;
}

export interface HuggingFaceImport {
  content: ModelCardContent;
  metadata: HuggingFaceMetadata;
  /** Whether the README carried Assay's section markers (an exact round trip) or was read by headings. */
  shape: 'assay' | 'headings';
  warnings: string[];
}

// ---- the body layout ------------------------------------------------------------------------

const MARKER = /^<!-- assay:(section|field) ([A-Za-z_]+) -->$/;
const marker = (kind: 'section' | 'field', name: string) => `<!-- assay:${kind} ${name} -->`;

type FieldKind = 'list' | 'scalar' | 'hyperparameters' | 'datasets' | 'evidence' | 'risks' | 'results';
interface FieldSpec {
  /** The key of the field inside the section. */
  key: string;
  kind: FieldKind;
  label: string;
}

/** The structured fields of each section, in the order they are written. */
const FIELDS: Record<keyof ModelCardContent, FieldSpec[]> = {
  overview: [],
  intendedUse: [{ key: 'users', kind: 'list', label: 'Intended users' }],
  outOfScopeUses: [{ key: 'items', kind: 'list', label: 'Out-of-scope uses' }],
  modelDetails: [
    { key: 'architecture', kind: 'scalar', label: 'Model architecture' },
    { key: 'trainingProcedure', kind: 'scalar', label: 'Training procedure' },
    { key: 'hyperparameters', kind: 'hyperparameters', label: 'Training hyperparameters' },
  ],
  data: [
    { key: 'training', kind: 'datasets', label: 'Training data' },
    { key: 'evaluation', kind: 'datasets', label: 'Evaluation data' },
  ],
  evaluation: [
    { key: 'evidence', kind: 'evidence', label: 'Evidence' },
    { key: 'metrics', kind: 'results', label: 'Results' },
  ],
  fairness: [],
  explainability: [],
  humanOversight: [
    { key: 'reviewers', kind: 'scalar', label: 'Reviewers' },
    { key: 'reviewedDecisions', kind: 'scalar', label: 'Reviewed decisions' },
    { key: 'overrideProcess', kind: 'scalar', label: 'How to override' },
  ],
  assumptions: [{ key: 'items', kind: 'list', label: 'Assumptions' }],
  limitations: [{ key: 'items', kind: 'list', label: 'Limitations' }],
  risks: [{ key: 'items', kind: 'risks', label: 'Risks and mitigations' }],
  monitoring: [
    { key: 'metrics', kind: 'list', label: 'Monitored metrics' },
    { key: 'frequency', kind: 'scalar', label: 'Frequency' },
  ],
  changeLog: [
    { key: 'previousVersion', kind: 'scalar', label: 'Previous version' },
    { key: 'items', kind: 'list', label: 'Changes' },
  ],
};

/** Lines that would read as a marker get one more leading backslash (and lose it on import). */
function escapeLines(text: string): string {
  return text
    .split('\n')
    .map((l) => (/^\\*<!-- assay:/.test(l) ? `\\${l}` : l))
    .join('\n');
}
function unescapeLines(text: string): string {
  return text
    .split('\n')
    .map((l) => (/^\\+<!-- assay:/.test(l) ? l.slice(1) : l))
    .join('\n');
}

/** A Markdown list item whose text may span lines (continuation lines indented by two; those starting with `- ` escaped). */
const item = (text: string) =>
  `- ${text
    .split('\n')
    .map((l, i) => (i > 0 && /^\\*- /.test(l) ? `\\${l}` : l))
    .join('\n  ')}`;
/** The item's own lines, with the backslash `item` put before continuation lines that start with `- ` removed. */
const itemText = (lines: string[]) =>
  lines.map((l, i) => (i > 0 && /^\\+- /.test(l) ? l.slice(1) : l)).join('\n');
/** A `- label: value` sub-item of a list item (its value's continuation lines indented by four). */
const subLine = (label: string, value: string) =>
  value === '' ? `  - ${label}:` : `  - ${label}: ${value.split('\n').join('\n    ')}`;

function renderField(spec: FieldSpec, value: unknown): string | null {
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

const cell = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');
const num = (v: number | null) => (v === null ? '—' : String(v));

/** A readable table of the metrics (the values are read back from `model-index`, not from here). */
function metricsTable(metrics: CardMetric[]): string {
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

const UNSPECIFIED = 'unspecified';

interface HfMetric {
  type: string;
  value: number | null;
  name?: string;
  args?: Record<string, unknown>;
}
interface HfResult {
  task: { type: string; name?: string };
  dataset: { type: string; name: string; config?: string };
  metrics: HfMetric[];
}

function prettyMetric(name: string): string {
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
function modelIndexResults(metrics: CardMetric[], task: { type: string; name?: string }): HfResult[] {
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

const unique = (xs: string[]) => [...new Set(xs)];

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

// ---- import --------------------------------------------------------------------------------

/** Splits a README into its front matter (parsed) and body. */
function splitFrontMatter(readme: string): { front: Record<string, unknown>; body: string } {
  if (!readme.startsWith('---\n')) return { front: {}, body: readme };
  const close = /\n---[ \t]*(?:\n|$)/g;
  close.lastIndex = 3;
  const m = close.exec(readme);
  if (!m) throw new ValidationError('the front matter starts with --- but never ends', 'document');
  const end = m.index;
  const after = m.index + m[0].length;
  const yamlText = readme.slice(4, end + 1);
  let front: unknown;
  try {
    front = parseYaml(yamlText) ?? {};
  } catch (err) {
    throw new ValidationError(`the front matter is not valid YAML: ${(err as Error).message}`, 'document');
  }
  if (typeof front !== 'object' || Array.isArray(front))
    throw new ValidationError('the front matter must be a YAML mapping', 'document');
  return { front: front as Record<string, unknown>, body: readme.slice(after) };
}

const strings = (v: unknown): string[] =>
  v === undefined || v === null
    ? []
    : (Array.isArray(v) ? v : [v]).filter((x) => x !== null && x !== undefined).map(String);

function metadataOf(front: Record<string, unknown>): HuggingFaceMetadata {
  const index = Array.isArray(front['model-index']) ? front['model-index'] : [];
  const first = index[0] as
    | { name?: unknown; results?: { task?: { type?: unknown; name?: unknown } }[] }
    | undefined;
  const task = first?.results?.[0]?.task;
  return {
    modelName: typeof first?.name === 'string' ? first.name : null,
    license: front.license === undefined || front.license === null ? null : String(front.license),
    language: strings(front.language),
    tags: strings(front.tags).filter((t) => t !== 'assay'),
    task:
      task && typeof task.type === 'string'
        ? { type: task.type, ...(typeof task.name === 'string' ? { name: task.name } : {}) }
        : null,
    pipelineTag: typeof front.pipeline_tag === 'string' ? front.pipeline_tag : null,
    libraryName: typeof front.library_name === 'string' ? front.library_name : null,
    baseModel: strings(front.base_model),
  };
}

const finite = (v: unknown): number | null => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') {
    const m = /^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)/.exec(v);
    if (m) return Number(m[1]);
  }
  return null;
};

/** The metrics of `model-index`: every result of every entry, in order. */
function metricsFromModelIndex(front: Record<string, unknown>, warnings: string[]): CardMetric[] {
  const out: CardMetric[] = [];
  const index = front['model-index'];
  if (index === undefined) return out;
  if (!Array.isArray(index)) {
    warnings.push('model-index is not a list; no metrics were read');
    return out;
  }
  for (const entry of index) {
    const results = (entry as { results?: unknown })?.results;
    if (!Array.isArray(results)) continue;
    for (const r of results as Record<string, unknown>[]) {
      const ds = (r?.dataset ?? {}) as Record<string, unknown>;
      const dsName = typeof ds.name === 'string' ? ds.name : typeof ds.type === 'string' ? ds.type : null;
      const config = typeof ds.config === 'string' ? ds.config : null;
      const eq = config?.indexOf('=') ?? -1;
      const group = config && eq > 0 ? { attribute: config.slice(0, eq), value: config.slice(eq + 1) } : null;
      let dataset = dsName === UNSPECIFIED ? null : dsName;
      if (dataset && !group && (config || typeof ds.split === 'string')) {
        const qualifiers = [config, typeof ds.split === 'string' ? ds.split : null].filter(Boolean);
        dataset = `${dataset} (${qualifiers.join(', ')})`;
      }
      for (const m of Array.isArray(r?.metrics) ? (r.metrics as Record<string, unknown>[]) : []) {
        const name = typeof m?.type === 'string' ? m.type : typeof m?.name === 'string' ? m.name : null;
        if (!name) {
          warnings.push('a model-index metric without type or name was skipped');
          continue;
        }
        const value = m.value === null || m.value === undefined ? null : finite(m.value);
        if (value === null && m.value !== null && m.value !== undefined)
          warnings.push(
            `metric ${name}: value ${JSON.stringify(m.value)} is not a number; imported as empty`,
          );
        else if (typeof m.value === 'string')
          warnings.push(`metric ${name}: value '${m.value}' read as ${value}`);
        const args = (m.args && typeof m.args === 'object' ? m.args : {}) as Record<string, unknown>;
        const str = (v: unknown) => (typeof v === 'string' ? v : null);
        const sha = str(args.evidence_sha256);
        out.push({
          name: name.slice(0, 200),
          value,
          lower: finite(args.ci_lower),
          upper: finite(args.ci_upper),
          confidenceLevel: finite(args.confidence_level),
          group,
          dataset: dataset?.slice(0, 200) ?? null,
          evidenceId: str(args.evidence_id),
          sha256: sha && /^[0-9a-f]{64}$/.test(sha) ? sha : null,
        });
      }
    }
  }
  return out;
}

interface Block {
  kind: 'section' | 'field';
  name: string;
  content: string;
}

/** The marked blocks of an Assay-shaped body (content exactly as written, unescaped). */
function markedBlocks(body: string): Block[] {
  const lines = body.split('\n');
  const at: { i: number; kind: 'section' | 'field'; name: string }[] = [];
  lines.forEach((l, i) => {
    const m = MARKER.exec(l);
    if (m) at.push({ i, kind: m[1] as 'section' | 'field', name: m[2]! });
  });
  return at.map((m, n) => {
    const next = at[n + 1]?.i ?? lines.length;
    const exact = lines[m.i + 1]?.startsWith('#') && lines[m.i + 2] === '' && lines[next - 1] === '';
    let slice: string[];
    if (exact && next - 1 >= m.i + 3) slice = lines.slice(m.i + 3, next - 1);
    else {
      // Edited by hand: drop the heading and blank lines around the content.
      slice = lines.slice(lines[m.i + 1]?.startsWith('#') ? m.i + 2 : m.i + 1, next);
      while (slice.length && slice[0]!.trim() === '') slice.shift();
      while (slice.length && slice.at(-1)!.trim() === '') slice.pop();
    }
    return { kind: m.kind, name: m.name, content: unescapeLines(slice.join('\n')) };
  });
}

/** List items: `- ` starts one, other lines continue it (up to two spaces of indentation removed). */
function listItems(content: string): string[][] {
  const items: string[][] = [];
  for (const line of content.split('\n')) {
    if (line === '-' || line.startsWith('- ')) items.push([line.slice(2)]);
    else if (items.length) items.at(-1)!.push(line.replace(/^ {1,2}/, ''));
  }
  return items;
}

/** Splits item lines at the last top-level `- label:` sub-item; returns [before, value lines] or null. */
function subItem(lines: string[], label: string): [string[], string] | null {
  const prefix = `- ${label}:`;
  for (let i = lines.length - 1; i >= 1; i--) {
    if (lines[i]!.startsWith(prefix)) {
      const first = lines[i]!.slice(prefix.length).replace(/^ /, '');
      const rest = lines.slice(i + 1).map((l) => l.replace(/^ {1,2}/, ''));
      return [lines.slice(0, i), [first, ...rest].join('\n')];
    }
  }
  return null;
}

function parseField(kind: FieldKind, content: string): unknown {
  switch (kind) {
    case 'scalar':
      return content;
    case 'list':
      return listItems(content).map(itemText);
    case 'hyperparameters':
      return listItems(content).map((l) => {
        const text = itemText(l);
        const colon = text.indexOf(': ');
        if (colon > 0) return { key: text.slice(0, colon), value: text.slice(colon + 2) };
        const bare = text.indexOf(':');
        return bare > 0
          ? { key: text.slice(0, bare), value: text.slice(bare + 1).trim() }
          : { key: text, value: '' };
      });
    case 'datasets':
      return listItems(content).map((l) => {
        let lines = l;
        let note: string | null = null;
        let id: string | null = null;
        const n = subItem(lines, 'note');
        if (n) [lines, note] = n;
        const d = subItem(lines, 'id');
        if (d) [lines, id] = d;
        return { name: itemText(lines), id, note };
      });
    case 'evidence':
      return listItems(content).map((l) => {
        const s = subItem(l, 'sha256');
        return s
          ? { evidenceId: itemText(s[0]), sha256: s[1].trim() }
          : { evidenceId: itemText(l), sha256: null };
      });
    case 'risks':
      return listItems(content).map((l) => {
        const s = subItem(l, 'Mitigation');
        return s ? { risk: itemText(s[0]), mitigation: s[1] } : { risk: itemText(l), mitigation: '' };
      });
    case 'results':
      return undefined;
  }
}

function fromMarkedBody(body: string, warnings: string[]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  let current: (typeof CARD_SECTIONS)[number] | null = null;
  for (const b of markedBlocks(body)) {
    if (b.kind === 'section') {
      current = CARD_SECTIONS.find((s) => s.id === b.name) ?? null;
      if (!current) {
        warnings.push(`unknown section marker '${b.name}' skipped`);
        continue;
      }
      out[current.key] = { ...(out[current.key] ?? {}), text: b.content };
      continue;
    }
    if (!current) {
      warnings.push(`field '${b.name}' outside a section skipped`);
      continue;
    }
    const spec = FIELDS[current.key].find((f) => f.key === b.name);
    if (!spec) {
      warnings.push(`unknown field '${b.name}' in section ${current.id} skipped`);
      continue;
    }
    const value = parseField(spec.kind, b.content);
    if (value !== undefined) out[current.key]![spec.key] = value;
  }
  return out;
}

// ---- cards from the Hub, read by their headings --------------------------------------------

type Target = {
  section: keyof ModelCardContent;
  field?: 'architecture' | 'trainingProcedure' | 'hyperparameters';
};

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

/** Headings of the Hub's template, the Trainer's generated cards and Assay's own titles. */
const HEADINGS: [string[], Target][] = [
  [
    [
      'overview',
      'model summary',
      'model card contact',
      'model card authors',
      'citation',
      'glossary',
      'more information',
      'bibtex',
      'authors',
    ],
    { section: 'overview' },
  ],
  [
    [
      'model details',
      'model description',
      'model sources',
      'technical specifications',
      'compute infrastructure',
      'hardware',
      'software',
      'framework versions',
      'how to get started with the model',
      'environmental impact',
    ],
    { section: 'modelDetails' },
  ],
  [
    ['model architecture and objective', 'model architecture', 'architecture'],
    { section: 'modelDetails', field: 'architecture' },
  ],
  [['training procedure', 'training details'], { section: 'modelDetails', field: 'trainingProcedure' }],
  [['training hyperparameters', 'hyperparameters'], { section: 'modelDetails', field: 'hyperparameters' }],
  [
    [
      'uses',
      'direct use',
      'downstream use',
      'downstream use optional',
      'intended uses',
      'intended use',
      'intended uses and limitations',
      'intended use and users',
      'intended users',
    ],
    { section: 'intendedUse' },
  ],
  [
    ['out of scope use', 'out of scope uses', 'misuse and out of scope use', 'out of scope use cases'],
    { section: 'outOfScopeUses' },
  ],
  [
    [
      'training data',
      'training and evaluation data',
      'testing data',
      'data',
      'datasets',
      'evaluation data',
      'preprocessing',
      'training data and preprocessing',
    ],
    { section: 'data' },
  ],
  [
    [
      'evaluation',
      'evaluation results',
      'results',
      'training results',
      'metrics',
      'testing data factors and metrics',
      'factors',
      'quantitative analyses',
      'performance',
    ],
    { section: 'evaluation' },
  ],
  [['fairness', 'fairness considerations', 'bias', 'bias and fairness'], { section: 'fairness' }],
  [
    ['model examination', 'explainability', 'explainability considerations', 'interpretability'],
    { section: 'explainability' },
  ],
  [['human oversight', 'human in the loop'], { section: 'humanOversight' }],
  [['assumptions'], { section: 'assumptions' }],
  [
    [
      'limitations',
      'bias risks and limitations',
      'risks and limitations',
      'caveats and recommendations',
      'known limitations',
    ],
    { section: 'limitations' },
  ],
  [
    [
      'risks',
      'known risks and mitigations',
      'recommendations',
      'ethical considerations',
      'risks and mitigations',
    ],
    { section: 'risks' },
  ],
  [['monitoring', 'monitoring plan'], { section: 'monitoring' }],
  [['change log', 'changelog', 'changes', 'version history', 'release notes'], { section: 'changeLog' }],
];
const HEADING_TARGET = new Map<string, Target>(HEADINGS.flatMap(([names, t]) => names.map((n) => [n, t])));
for (const s of CARD_SECTIONS) HEADING_TARGET.set(norm(s.title), { section: s.key });

const PLACEHOLDER = /^\s*\[?more information needed\]?\s*$/i;

function fromHeadings(body: string, warnings: string[]): Record<string, Record<string, unknown>> {
  const chunks: { target: Target; heading: string | null; lines: string[] }[] = [];
  const stack: { level: number; target: Target }[] = [];
  let current: { target: Target; heading: string | null; lines: string[] } = {
    target: { section: 'overview' },
    heading: null,
    lines: [],
  };
  chunks.push(current);
  let fence = false;
  let sawTitle = false;
  for (const line of body.replace(/<!--[\s\S]*?-->/g, '').split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    const h = fence ? null : /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (!h) {
      if (!PLACEHOLDER.test(line)) current.lines.push(line);
      continue;
    }
    const level = h[1]!.length;
    const title = h[2]!;
    if (level === 1 && !sawTitle) {
      sawTitle = true; // the model's name
      continue;
    }
    while (stack.length && stack.at(-1)!.level >= level) stack.pop();
    const mapped = HEADING_TARGET.get(norm(title));
    const inherited = stack.at(-1)?.target;
    const target = mapped ?? (inherited ? { section: inherited.section } : { section: 'overview' as const });
    stack.push({ level, target });
    // A heading that names the section is dropped; an unknown one is kept inside its parent's text.
    current = { target, heading: mapped ? null : `${'#'.repeat(Math.max(level, 3))} ${title}`, lines: [] };
    chunks.push(current);
    if (!mapped && !inherited) warnings.push(`section '${title}' has no counterpart; kept in the overview`);
  }

  const out: Record<string, Record<string, unknown>> = {};
  const texts = new Map<keyof ModelCardContent, string[]>();
  const hyper: { key: string; value: string }[] = [];
  const addText = (section: keyof ModelCardContent, text: string) => {
    if (!texts.has(section)) texts.set(section, []);
    texts.get(section)!.push(text);
  };
  for (const c of chunks) {
    const text = c.lines.join('\n').trim();
    if (!text && !c.heading) continue;
    const section = c.target.section;
    out[section] ??= {};
    if (c.target.field === 'hyperparameters') {
      const rest: string[] = [];
      for (const l of c.lines) {
        const m = /^\s*[-*]\s+`?([^:`]+?)`?\s*:\s*(.*)$/.exec(l);
        if (m) hyper.push({ key: m[1]!.trim().slice(0, 200), value: m[2]!.trim().slice(0, 2000) });
        else if (l.trim()) rest.push(l);
      }
      if (rest.length) addText(section, rest.join('\n').trim());
      continue;
    }
    if ((c.target.field === 'architecture' || c.target.field === 'trainingProcedure') && !c.heading) {
      if (text && text.length <= 5_000 && out[section]![c.target.field] === undefined) {
        out[section]![c.target.field] = text;
        continue;
      }
    }
    const block = c.heading ? (text ? `${c.heading}\n\n${text}` : '') : text;
    if (block) addText(section, block);
  }
  const sectionOf = (key: keyof ModelCardContent) => {
    out[key] ??= {};
    return out[key];
  };
  if (hyper.length) sectionOf('modelDetails').hyperparameters = hyper;
  for (const [section, parts] of texts) sectionOf(section).text = parts.join('\n\n');
  return out;
}

/** A Hugging Face README.md as card content (and the metadata the card has no place for). */
export function cardFromHuggingFace(readme: string): HuggingFaceImport {
  if (typeof readme !== 'string') throw new ValidationError('the README must be text', 'document');
  // Windows line endings only when the whole file uses them (text may hold a lone \r).
  const text = /^[^\n]*\r\n/.test(readme) ? readme.replace(/\r\n/g, '\n') : readme;
  const warnings: string[] = [];
  const { front, body } = splitFrontMatter(text);
  const assayShaped = body.split('\n').some((l) => MARKER.test(l));
  const sections = assayShaped ? fromMarkedBody(body, warnings) : fromHeadings(body, warnings);
  const metrics = metricsFromModelIndex(front, warnings);
  if (metrics.length) sections.evaluation = { ...(sections.evaluation ?? {}), metrics };
  if (!assayShaped) {
    // The Hub's `datasets` are what the model was trained on; model-index datasets were evaluated.
    const training = strings(front.datasets).map((name) => ({
      name: name.slice(0, 200),
      id: null,
      note: null,
    }));
    const evaluated = unique(metrics.map((m) => m.dataset).filter((d): d is string => d !== null));
    if (training.length || evaluated.length)
      sections.data = {
        ...(sections.data ?? {}),
        training,
        evaluation: evaluated.map((name) => ({ name, id: null, note: null })),
      };
  }
  const parsed = modelCardContentSchema.safeParse(sections);
  if (!parsed.success)
    throw new ValidationError(
      `the README does not fit a model card: ${parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
      'document',
    );
  return {
    content: parsed.data,
    metadata: metadataOf(front),
    shape: assayShaped ? 'assay' : 'headings',
    warnings,
  };
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

export type { CardSectionId };
