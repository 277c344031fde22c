import type { Model, ModelStatus } from '../../contracts/inventory.ts';
import { ValidationError } from '../../platform/errors.ts';

/** Where each lifecycle status may go next. Retired is final. */
const NEXT: Record<ModelStatus, readonly ModelStatus[]> = {
  proposed: ['development', 'retired'],
  development: ['proposed', 'validation', 'retired'],
  validation: ['development', 'approved', 'retired'],
  approved: ['validation', 'production', 'retired'],
  production: ['validation', 'retired'],
  retired: [],
};

/** Targets that only governance (later: a signed decision) may set. */
export const GATED_STATUSES: ReadonlySet<ModelStatus> = new Set(['approved', 'production']);

/** The statuses a model in `from` may move to. */
export function allowedTransitions(from: ModelStatus): readonly ModelStatus[] {
  return NEXT[from];
}

/** Whether the lifecycle allows `from` → `to`. */
export function canTransition(from: ModelStatus, to: ModelStatus): boolean {
  return NEXT[from].includes(to);
}

/** The inventory fields a model must have filled by default; configurable (ASSAY_COMPLETENESS_FIELDS). */
export const DEFAULT_REQUIRED_FIELDS = [
  'description',
  'purpose',
  'intendedUse',
  'intendedUsers',
  'outOfScopeUses',
  'businessUnit',
  'owner',
  'decisionImpact',
  'links.repository',
] as const;

/** Fields completeness can require. */
export const COMPLETENESS_FIELDS = [
  ...DEFAULT_REQUIRED_FIELDS,
  'developers',
  'tags',
  'vendorName',
  'links.registry',
  'links.dashboard',
  'tier',
] as const;

/** Parses a comma-separated list of required fields, refusing names completeness does not know. */
export function parseRequiredFields(raw: string | undefined): readonly string[] {
  if (!raw) return DEFAULT_REQUIRED_FIELDS;
  const fields = raw
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  for (const f of fields) {
    if (!(COMPLETENESS_FIELDS as readonly string[]).includes(f)) {
      throw new ValidationError(
        `unknown completeness field '${f}'; known: ${COMPLETENESS_FIELDS.join(', ')}`,
        'ASSAY_COMPLETENESS_FIELDS',
      );
    }
  }
  return fields;
}

function filled(model: Model, field: string): boolean {
  if (field === 'vendorName') return !model.vendor || Boolean(model.vendorName?.trim());
  const value = field.startsWith('links.')
    ? model.links[field.slice(6) as keyof Model['links']]
    : (model as unknown as Record<string, unknown>)[field];
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') return value.trim().length > 0;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/** Completeness: the share of required fields filled (1 when none are required) and the missing ones. */
export function computeCompleteness(
  model: Model,
  required: readonly string[],
): { score: number; missing: string[] } {
  const missing = required.filter((f) => !filled(model, f));
  const score = required.length === 0 ? 1 : (required.length - missing.length) / required.length;
  return { score: Math.round(score * 1000) / 1000, missing };
}

/**
 * A `LIKE … ESCAPE '\\'` pattern matching `text` anywhere: the wildcards `%` and `_` (and the escape
 * character itself) in the user's text are escaped so they match literally.
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[%_\\]/g, '\\$&')}%`;
}
