import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** A stored view of rows, keyed by row key: column names in camelCase, `*_json` columns parsed. */
export type StoredViews = Map<string, Record<string, unknown>>;

/**
 * How to read the current stored view of one entity type, so that `audit verify --state` can
 * compare it with the audit trail's latest snapshot. Only snapshot fields that the stored view
 * has are compared: derived fields (`expired`, `modelKey`…) have no column and are skipped, so
 * they never raise a false alarm.
 */
export interface StateSource {
  /** The state table. */
  table: keyof Database & string;
  /** The table's key column (default `id`). */
  keyColumn?: string;
  /**
   * The row key an event's `after` is a snapshot of, or null when it is not a snapshot (scheduler
   * flags record `{ job, flaggedAt }` on the entity). Default: the event's entity id when `after.id`
   * equals it.
   */
  keyOf?: (entityId: string, after: Record<string, unknown>) => string | null;
  /** Snapshot field → stored view field, where the names differ. */
  rename?: Readonly<Record<string, string>>;
  /** Snapshot fields never compared though the stored view has a field of that name. */
  skip?: readonly string[];
  /** Adds fields kept in other tables (relations, join tables) to the stored views. */
  enrich?: (db: Kysely<Database>, views: StoredViews) => Promise<void>;
  /**
   * Snapshot fields that carry other entities' snapshots (a decision's `conditions`): field → entity
   * type. Each element with an `id` counts as that entity's snapshot at this event.
   */
  embeds?: Readonly<Record<string, string>>;
  /** Other entity types whose snapshots are snapshots of this type's rows (one table audited under two names). */
  aliases?: readonly string[];
}

async function usernames(db: Kysely<Database>): Promise<Map<string, string>> {
  const rows = await db.selectFrom('users').select(['id', 'username']).execute();
  return new Map(rows.map((r) => [r.id, r.username]));
}

/** Adds `owner` (username) and `developers`/`validators` (usernames, sorted) to model views. */
async function enrichModels(db: Kysely<Database>, views: StoredViews): Promise<void> {
  const names = await usernames(db);
  for (const v of views.values()) v.owner = names.get(String(v.ownerId)) ?? null;
  const relations = await db
    .selectFrom('model_relations')
    .select(['model_id', 'user_id', 'relation'])
    .execute();
  const lists = new Map<string, { developers: string[]; validators: string[] }>();
  for (const r of relations) {
    const l = lists.get(r.model_id) ?? { developers: [], validators: [] };
    const name = names.get(r.user_id) ?? r.user_id;
    if (r.relation === 'developer') l.developers.push(name);
    if (r.relation === 'validator') l.validators.push(name);
    lists.set(r.model_id, l);
  }
  for (const [id, v] of views) {
    const l = lists.get(id) ?? { developers: [], validators: [] };
    v.developers = l.developers.sort();
    v.validators = l.validators.sort();
  }
}

/**
 * Splits the stored rationale document into the view's `rationale`, `summary` and `maxScore`; puts
 * the class column into the classification (`eu.class`), so an edit of either is named; and leaves
 * out the EU answers of rows older than migration 0033 (the view derives them from the classification).
 */
async function enrichTierings(_db: Kysely<Database>, views: StoredViews): Promise<void> {
  for (const v of views.values()) {
    const r = v.rationale as { items?: unknown; summary?: unknown; maxScore?: unknown } | null;
    if (r !== null && typeof r === 'object' && !Array.isArray(r)) {
      v.rationale = r.items;
      v.summary = r.summary;
      v.maxScore = r.maxScore;
    }
    if (v.eu !== null && typeof v.eu === 'object' && !Array.isArray(v.eu))
      v.eu = { ...(v.eu as Record<string, unknown>), class: v.euClass };
    if (v.euAnswers === null || v.euAnswers === undefined) delete v.euAnswers;
  }
}

/** Adds each decision's `signatures` (as the decision view lists them: by time, then signer). */
async function enrichDecisions(db: Kysely<Database>, views: StoredViews): Promise<void> {
  const rows = await db
    .selectFrom('decision_signatures')
    .selectAll()
    .orderBy('signed_at')
    .orderBy('signer')
    .execute();
  for (const v of views.values()) v.signatures = [];
  for (const r of rows)
    (views.get(r.decision_id)?.signatures as unknown[] | undefined)?.push({
      signer: r.signer,
      role: r.role,
      signedAt: r.signed_at,
      note: r.note,
      bindingDigest: r.binding_digest,
    });
}

/** Adds `modelKey` and `versionLabel` (from the model and version ids) to views that name them so. */
async function enrichModelKeys(db: Kysely<Database>, views: StoredViews): Promise<void> {
  const models = await db.selectFrom('models').select(['id', 'key']).execute();
  const versions = await db.selectFrom('model_versions').select(['id', 'label']).execute();
  const keys = new Map(models.map((m) => [m.id, m.key]));
  const labels = new Map(versions.map((x) => [x.id, x.label]));
  for (const v of views.values()) {
    v.modelKey = keys.get(String(v.modelId)) ?? null;
    v.versionLabel = v.versionId === null ? null : (labels.get(String(v.versionId)) ?? null);
  }
}

/** Adds the carried evidence's `evidenceType` to review carry-forward views. */
async function enrichCarryForwards(db: Kysely<Database>, views: StoredViews): Promise<void> {
  const rows = await db.selectFrom('evidence').select(['id', 'type']).execute();
  const types = new Map(rows.map((r) => [r.id, r.type]));
  for (const v of views.values()) v.evidenceType = types.get(String(v.evidenceId)) ?? null;
}

/** Adds `findingIds` (sorted) to risk acceptance views. */
async function enrichAcceptances(db: Kysely<Database>, views: StoredViews): Promise<void> {
  const rows = await db.selectFrom('acceptance_findings').select(['acceptance_id', 'finding_id']).execute();
  for (const v of views.values()) v.findingIds = [];
  for (const r of rows) (views.get(r.acceptance_id)?.findingIds as string[] | undefined)?.push(r.finding_id);
  for (const v of views.values()) (v.findingIds as string[]).sort();
}

/** Adds `owner` (username) to dataset views. */
async function enrichDatasets(db: Kysely<Database>, views: StoredViews): Promise<void> {
  const names = await usernames(db);
  for (const v of views.values()) v.owner = names.get(String(v.ownerId)) ?? null;
}

/**
 * Entity type (as the audit trail names it) → where its state lives. Add a line when a feature adds
 * an entity type; a type without a line is reported as "not compared", never as a failure.
 */
export const STATE_SOURCES: Readonly<Record<string, StateSource>> = {
  user: { table: 'users' },
  // lastUsedAt moves on every request and is not audited; the scope, expiry and revocation are.
  token: { table: 'api_tokens', skip: ['lastUsedAt'] },
  model: { table: 'models', enrich: enrichModels },
  version: { table: 'model_versions' },
  dataset: { table: 'datasets', enrich: enrichDatasets },
  deployment: { table: 'deployments' },
  // status/decidedBy (pending re-tierings) and the EU answers are compared; `eu.class` is eu_class.
  tiering: {
    table: 'tierings',
    rename: { euAiAct: 'eu', euAiActAnswers: 'euAnswers' },
    enrich: enrichTierings,
  },
  tier_override: { table: 'tier_overrides' },
  evidence: { table: 'evidence' },
  // validator_id holds the validator's username.
  review: { table: 'reviews', rename: { validator: 'validatorId' } },
  finding: { table: 'findings' },
  // The void fields and the binding are columns; the signatures live in decision_signatures.
  decision: { table: 'decisions', embeds: { conditions: 'condition' }, enrich: enrichDecisions },
  condition: { table: 'decision_conditions' },
  acceptance: { table: 'risk_acceptances', enrich: enrichAcceptances },
  // One entity (`policy`) whose snapshots are the policy versions: each version is a row. A
  // proposal is audited as `policy_version` (`policy.proposed`), its decision as `policy`; `state`,
  // `decidedBy` and `baseVersion` are compared, `active` is derived.
  policy: {
    table: 'policy_versions',
    keyColumn: 'version',
    aliases: ['policy_version'],
    keyOf: (_id, after) =>
      typeof after.version === 'number' && typeof after.sha256 === 'string' ? String(after.version) : null,
  },
  webhook: { table: 'webhooks' },
  // Notification bookkeeping (when last sent, how often) is not a state change: not audited.
  alert: { table: 'alerts', skip: ['lastNotifiedAt', 'notifications'] },
  silence: { table: 'alert_silences' },
  incident: { table: 'incidents' },
  // Production monitoring: a plan version's `active` falls when a newer version is applied (that
  // apply is the audited act); a batch manifest's time range is from_ts/to_ts; a window's
  // results live in monitoring_results (not compared); a compaction (`monitoring_segment`) records
  // which batches' segment moved, no snapshot of a row (the manifests' views do not change).
  monitoring_plan: { table: 'monitoring_plans', skip: ['active'] },
  monitoring_batch: {
    table: 'monitoring_batches',
    rename: { from: 'fromTs', to: 'toTs' },
    aliases: ['monitoring_segment'],
  },
  monitoring_window: { table: 'monitoring_windows', rename: { start: 'windowStart', end: 'windowEnd' } },
  model_card: { table: 'model_cards' },
  datasheet: { table: 'datasheets' },
  // `state` is stored; `valid` and the `expired` state are read off `until` with the clock.
  exception: { table: 'lifecycle_exceptions', enrich: enrichModelKeys },
  review_carry_forward: { table: 'review_carry_forwards', enrich: enrichCarryForwards },
  // Keyed by version id; the card's fields are its parsed content_json (docs/genai.md).
  genai_system_card: {
    table: 'genai_system_cards',
    keyColumn: 'version_id',
    keyOf: (id) => id,
    enrich: async (_db, views) => {
      for (const v of views.values()) Object.assign(v, v.content as Record<string, unknown>);
    },
  },
};
