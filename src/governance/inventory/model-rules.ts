import type { Model, ModelCreate, ModelStatus } from '../../contracts/inventory.ts';
import type { ModelsTable } from '../../platform/db/tables/inventory.ts';
import { ConflictError, ValidationError } from '../../platform/errors.ts';

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

/** The lifecycle rule: a 409 naming both states when a model in `from` cannot move to `to`. */
export function assertTransition(from: ModelStatus, to: ModelStatus): void {
  if (!canTransition(from, to)) {
    throw new ConflictError(`a model in status '${from}' cannot move to '${to}'`, {
      from,
      to,
      field: 'to',
    });
  }
}

/** The row of a newly registered model (status `proposed` unless given; no tier until tiered). */
export function newModelRow(input: ModelCreate, id: string, ownerId: string, now: string): ModelsTable {
  return {
    id,
    key: input.key,
    name: input.name,
    description: input.description ?? null,
    purpose: input.purpose ?? null,
    intended_use: input.intendedUse ?? null,
    intended_users: input.intendedUsers ?? null,
    out_of_scope_uses: input.outOfScopeUses ?? null,
    type: input.type,
    business_unit: input.businessUnit ?? null,
    owner_id: ownerId,
    vendor: input.vendor ? 1 : 0,
    vendor_name: input.vendorName ?? null,
    genai: input.genai ? 1 : 0,
    decision_impact: input.decisionImpact ?? null,
    status: input.status ?? 'proposed',
    tier: null,
    eu_ai_act_class: null,
    tags: JSON.stringify([...new Set(input.tags ?? [])]),
    links: JSON.stringify(input.links ?? {}),
    created_at: now,
    updated_at: now,
    retired_at: null,
    row_version: 1,
  };
}
