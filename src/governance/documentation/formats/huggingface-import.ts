import { parse as parseYaml } from 'yaml';
import { CARD_SECTIONS, type CardMetric, modelCardContentSchema } from '../../../contracts/documentation.ts';
import { ValidationError } from '../../../platform/errors.ts';
import { UNSPECIFIED, unique } from './huggingface-export.ts';
import { fromHeadings } from './huggingface-headings.ts';
import {
  FIELDS,
  type FieldKind,
  type HuggingFaceImport,
  type HuggingFaceMetadata,
  itemText,
  MARKER,
  unescapeLines,
} from './huggingface-layout.ts';

// Hugging Face README.md → card content: front matter, model-index metrics, and the body by its markers (or by its headings).

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
