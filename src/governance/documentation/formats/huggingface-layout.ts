import type { ModelCardContent } from '../../../contracts/documentation.ts';

// The README layout shared by export and import: the metadata types, section and field markers, the fields of each section and the Markdown list shapes.

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

export const MARKER = /^<!-- assay:(section|field) ([A-Za-z_]+) -->$/;
export const marker = (kind: 'section' | 'field', name: string) => `<!-- assay:${kind} ${name} -->`;

export type FieldKind = 'list' | 'scalar' | 'hyperparameters' | 'datasets' | 'evidence' | 'risks' | 'results';
export interface FieldSpec {
  /** The key of the field inside the section. */
  key: string;
  kind: FieldKind;
  label: string;
}

/** The structured fields of each section, in the order they are written. */
export const FIELDS: Record<keyof ModelCardContent, FieldSpec[]> = {
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
export function escapeLines(text: string): string {
  return text
    .split('\n')
    .map((l) => (/^\\*<!-- assay:/.test(l) ? `\\${l}` : l))
    .join('\n');
}
export function unescapeLines(text: string): string {
  return text
    .split('\n')
    .map((l) => (/^\\+<!-- assay:/.test(l) ? l.slice(1) : l))
    .join('\n');
}

/** A Markdown list item whose text may span lines (continuation lines indented by two; those starting with `- ` escaped). */
export const item = (text: string) =>
  `- ${text
    .split('\n')
    .map((l, i) => (i > 0 && /^\\*- /.test(l) ? `\\${l}` : l))
    .join('\n  ')}`;
/** The item's own lines, with the backslash `item` put before continuation lines that start with `- ` removed. */
export const itemText = (lines: string[]) =>
  lines.map((l, i) => (i > 0 && /^\\+- /.test(l) ? l.slice(1) : l)).join('\n');
/** A `- label: value` sub-item of a list item (its value's continuation lines indented by four). */
export const subLine = (label: string, value: string) =>
  value === '' ? `  - ${label}:` : `  - ${label}: ${value.split('\n').join('\n    ')}`;
