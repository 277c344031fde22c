import { sql } from 'kysely';
import type { StateMismatch, StateVerify } from '../../contracts/audit.ts';
import { canonicalJson } from '../canonical-json.ts';
import type { Db } from '../db/database.ts';
import { streamAuditEvents } from './audit-trail.ts';
import { STATE_SOURCES, type StateSource, type StoredViews } from './state-registry.ts';

/** Mismatches listed in full; the rest are counted. */
const MAX_LISTED = 200;

function camel(column: string): string {
  return column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** A row as its stored view: camelCase names; `x_json` columns parsed into `x`. */
export function storedView(row: Record<string, unknown>): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    if (column.endsWith('_json')) {
      let parsed: unknown = value;
      if (typeof value === 'string') {
        try {
          parsed = JSON.parse(value);
        } catch {
          parsed = value;
        }
      }
      view[camel(column.slice(0, -5))] = parsed;
    } else view[camel(column)] = value;
  }
  return view;
}

/**
 * The stored value in the audit value's terms: integer booleans as booleans, numeric text as
 * numbers (PostgreSQL bigint), JSON text as JSON, so that only a real difference differs.
 */
export function sameStoredValue(audit: unknown, stored: unknown): boolean {
  let s = stored;
  if (typeof audit === 'boolean' && (typeof s === 'number' || typeof s === 'string')) s = Number(s) === 1;
  else if (typeof audit === 'number' && typeof s === 'string' && s.trim() !== '') s = Number(s);
  else if (audit !== null && typeof audit === 'object' && typeof s === 'string') {
    try {
      s = JSON.parse(s);
    } catch {
      // keep the text: it differs
    }
  }
  if (s === undefined) s = null;
  return storedWithin(audit ?? null, s);
}

/**
 * Whether every value the table stores equals the snapshot's: objects may carry more keys in the
 * snapshot (derived sub-fields such as a sign-off's `signed` count), never fewer or different ones.
 */
function storedWithin(audit: unknown, stored: unknown): boolean {
  if (stored === null || typeof stored !== 'object')
    return canonicalJson(audit ?? null) === canonicalJson(stored);
  if (audit === null || typeof audit !== 'object') return false;
  if (Array.isArray(stored)) {
    if (!Array.isArray(audit) || audit.length !== stored.length) return false;
    return stored.every((v, i) => storedWithin(audit[i], v));
  }
  if (Array.isArray(audit)) return false;
  const a = audit as Record<string, unknown>;
  return Object.entries(stored as Record<string, unknown>).every(([k, v]) => k in a && storedWithin(a[k], v));
}

function defaultKeyOf(entityId: string, after: Record<string, unknown>): string | null {
  return after.id === entityId ? entityId : null;
}

async function readStoredViews(db: Db, source: StateSource): Promise<StoredViews> {
  const key = source.keyColumn ?? 'id';
  const rows = (await db.kysely.selectFrom(source.table).selectAll().execute()) as unknown as Record<
    string,
    unknown
  >[];
  const views: StoredViews = new Map();
  for (const r of rows) views.set(String(r[key]), storedView(r));
  await source.enrich?.(db.kysely, views);
  return views;
}

/** Whether a table exists (a registry line may name a table a later migration adds). */
async function tableExists(db: Db, table: string): Promise<boolean> {
  if (db.sqlite)
    return (
      db.sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !==
      undefined
    );
  const r = await sql<{
    n: number;
  }>`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = ${table}`.execute(db.kysely);
  return Number(r.rows[0]?.n ?? 0) > 0;
}

/**
 * Replays the latest snapshot of every entity from the audit trail and compares it with the state
 * tables: a field that differs, a row that is gone, a row the trail never recorded. Entity types
 * without a registry line are listed as not compared.
 */
export async function verifyState(
  db: Db,
  sources: Readonly<Record<string, StateSource>> = STATE_SOURCES,
): Promise<StateVerify> {
  // 1. The latest snapshot of every entity (memory grows with entities, not events).
  const latest = new Map<string, Map<string, Record<string, unknown> | null>>();
  const unregistered = new Map<string, Set<string>>();
  const aliasOf = new Map<string, string>();
  for (const [type, source] of Object.entries(sources))
    for (const alias of source.aliases ?? []) aliasOf.set(alias, type);
  for await (const e of streamAuditEvents(db)) {
    const entityType = aliasOf.get(e.entity_type) ?? e.entity_type;
    const source = sources[entityType];
    if (!source) {
      const ids = unregistered.get(e.entity_type) ?? new Set<string>();
      ids.add(e.entity_id);
      unregistered.set(e.entity_type, ids);
      continue;
    }
    const byKey = latest.get(entityType) ?? new Map<string, Record<string, unknown> | null>();
    latest.set(entityType, byKey);
    if (e.after_json === null) {
      if (e.before_json !== null) byKey.set(e.entity_id, null);
      continue;
    }
    const after = JSON.parse(e.after_json) as unknown;
    if (after === null || typeof after !== 'object' || Array.isArray(after)) continue;
    const key = (source.keyOf ?? defaultKeyOf)(e.entity_id, after as Record<string, unknown>);
    if (key !== null) byKey.set(key, after as Record<string, unknown>);
    for (const [field, type] of Object.entries(source.embeds ?? {})) {
      const list = (after as Record<string, unknown>)[field];
      if (!Array.isArray(list)) continue;
      const embedded = latest.get(type) ?? new Map<string, Record<string, unknown> | null>();
      latest.set(type, embedded);
      for (const item of list)
        if (item && typeof item === 'object' && typeof (item as { id?: unknown }).id === 'string')
          embedded.set((item as { id: string }).id, item as Record<string, unknown>);
    }
  }

  // 2. Compare each registered type with its table.
  const mismatches: StateMismatch[] = [];
  let total = 0;
  const add = (m: StateMismatch) => {
    total++;
    if (mismatches.length < MAX_LISTED) mismatches.push(m);
  };
  const types: StateVerify['types'] = [];
  for (const [entityType, source] of Object.entries(sources)) {
    if (!(await tableExists(db, source.table))) {
      types.push({
        entityType,
        compared: 0,
        table: source.table,
        note: `table ${source.table} does not exist in this store`,
      });
      continue;
    }
    const snapshots = latest.get(entityType) ?? new Map();
    const views = await readStoredViews(db, source);
    let compared = 0;
    for (const [key, snap] of snapshots) {
      if (snap === null) continue;
      compared++;
      const row = views.get(key);
      if (!row) {
        add({
          entityType,
          entityId: key,
          field: null,
          kind: 'row_missing',
          audit: null,
          table: null,
          message: `${entityType} ${key}: the audit trail records it, but ${source.table} has no such row (deleted directly)`,
        });
        continue;
      }
      for (const [field, value] of Object.entries(snap)) {
        if (source.skip?.includes(field)) continue;
        const column = source.rename?.[field] ?? field;
        if (!(column in row)) continue;
        if (!sameStoredValue(value, row[column]))
          add({
            entityType,
            entityId: key,
            field,
            kind: 'field_differs',
            audit: value,
            table: row[column],
            message: `${entityType} ${key}: ${field} is ${canonicalJson(row[column] ?? null)} in ${source.table}, but the audit trail's last snapshot says ${canonicalJson(value ?? null)} (changed outside Assay)`,
          });
      }
    }
    for (const key of views.keys())
      if (!snapshots.has(key))
        add({
          entityType,
          entityId: key,
          field: null,
          kind: 'row_not_audited',
          audit: null,
          table: null,
          message: `${entityType} ${key}: ${source.table} has a row the audit trail never recorded (inserted directly)`,
        });
    types.push({ entityType, compared, table: source.table, note: null });
  }
  for (const [entityType, ids] of [...unregistered].sort(([a], [b]) => a.localeCompare(b)))
    types.push({
      entityType,
      compared: 0,
      table: null,
      note: `not compared: no state source registered (${ids.size} entities in the trail)`,
    });
  return { ok: total === 0, types, mismatches, more: total - mismatches.length };
}
