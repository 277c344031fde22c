import type { Kysely } from 'kysely';
import { appendAuditEvent } from '../../platform/audit/audit-trail.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { ModelsTable } from '../../platform/db/tables/inventory.ts';
import type { TieringsTable, TierOverridesTable } from '../../platform/db/tables/workflow-reviews.ts';
import { ConflictError } from '../../platform/errors.ts';
import type { ModelsService } from '../inventory/models.service.ts';
import type { RetieringPlan } from './retiering-rules.ts';
import { overrideInForce } from './tiering.queries.ts';
import { overrideView, tieringView } from './tiering.store.ts';

/** What the write side of tiering needs besides the transaction. */
export interface TieringEffectsDeps {
  clock: Clock;
  models: ModelsService;
}

/**
 * Makes an effective tiering count, in `tx`: the approved override is carried across it (it
 * computed the tier the override argued against) or superseded (`tier_override.superseded`),
 * pending overrides are voided, and the model's tier and EU AI Act class follow (each audited).
 */
export async function takeEffect(
  deps: TieringEffectsDeps,
  tx: Kysely<Database>,
  caller: Caller,
  model: ModelsTable,
  tiering: TieringsTable,
  plan: RetieringPlan,
): Promise<void> {
  const override = await overrideInForce(tx, model.id);
  if (override && plan.overrideFate !== 'none') {
    const carried = plan.overrideFate === 'carried';
    // Superseding ends every approved override of the model, so that an older one never comes back in force.
    const ended = carried
      ? [override]
      : await tx
          .selectFrom('tier_overrides')
          .selectAll()
          .where('model_id', '=', model.id)
          .where('status', '=', 'approved')
          .execute();
    for (const row of ended) {
      const next: TierOverridesTable = {
        ...row,
        status: carried ? 'approved' : 'superseded',
        carried_to_tiering_id: carried ? tiering.id : row.carried_to_tiering_id,
        superseded_by_tiering_id: carried ? null : tiering.id,
        superseded_at: carried ? null : deps.clock.now().toISOString(),
        row_version: Number(row.row_version) + 1,
      };
      await tx
        .updateTable('tier_overrides')
        .set({
          status: next.status,
          carried_to_tiering_id: next.carried_to_tiering_id,
          superseded_by_tiering_id: next.superseded_by_tiering_id,
          superseded_at: next.superseded_at,
          row_version: next.row_version,
        })
        .where('id', '=', row.id)
        .execute();
      await appendAuditEvent(tx, deps.clock, caller.audit, {
        action: carried ? 'tier_override.carried_forward' : 'tier_override.superseded',
        entityType: 'tier_override',
        entityId: row.id,
        modelId: model.id,
        before: overrideView(row, model.key),
        after: overrideView(next, model.key),
      });
    }
  }
  // A pending override was argued against the previous score; a new assessment voids it.
  await voidPendingOverrides(deps, tx, caller, model);
  const cls = tiering.eu_class;
  if (model.tier === null || Number(model.tier) !== plan.resultingTier || model.eu_ai_act_class !== cls)
    await deps.models.setTier(tx, caller.audit, model.id, plan.resultingTier, cls);
}

/** Writes a tiering's decision fields if it is still at `expected` (409 otherwise). */
export async function updateTiering(
  tx: Kysely<Database>,
  next: TieringsTable,
  expected: number,
): Promise<void> {
  const res = await tx
    .updateTable('tierings')
    .set({
      status: next.status,
      decided_by: next.decided_by,
      decided_at: next.decided_at,
      decision_note: next.decision_note,
      row_version: next.row_version,
    })
    .where('id', '=', next.id)
    .where('row_version', '=', expected)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) throw new ConflictError(`tiering '${next.id}' changed concurrently`);
}

/** Voids the model's pending re-tierings (`tiering.voided`): they were argued against a state a newer assessment replaces. */
export async function voidPendingTierings(
  deps: TieringEffectsDeps,
  tx: Kysely<Database>,
  caller: Caller,
  model: ModelsTable,
): Promise<void> {
  const pending = await tx
    .selectFrom('tierings')
    .innerJoin('model_versions', 'model_versions.id', 'tierings.version_id')
    .selectAll('tierings')
    .select('model_versions.label')
    .where('tierings.model_id', '=', model.id)
    .where('tierings.status', '=', 'pending')
    .execute();
  for (const { label, ...row } of pending) {
    const next: TieringsTable = {
      ...row,
      status: 'rejected',
      decided_by: 'system',
      decided_at: deps.clock.now().toISOString(),
      decision_note: 'voided by a newer tiering assessment',
      row_version: Number(row.row_version) + 1,
    };
    await updateTiering(tx, next, Number(row.row_version));
    await appendAuditEvent(tx, deps.clock, caller.audit, {
      action: 'tiering.voided',
      entityType: 'tiering',
      entityId: row.id,
      modelId: model.id,
      before: tieringView(row, model.key, label),
      after: tieringView(next, model.key, label),
    });
  }
}

/** Voids the model's pending tier overrides (`tier_override.voided`). */
export async function voidPendingOverrides(
  deps: TieringEffectsDeps,
  tx: Kysely<Database>,
  caller: Caller,
  model: ModelsTable,
): Promise<void> {
  const pending = await tx
    .selectFrom('tier_overrides')
    .selectAll()
    .where('model_id', '=', model.id)
    .where('status', '=', 'pending')
    .execute();
  for (const row of pending) {
    const next = {
      ...row,
      status: 'rejected',
      decided_by: 'system',
      decided_at: deps.clock.now().toISOString(),
      decision_note: 'voided by a new tiering assessment',
      row_version: Number(row.row_version) + 1,
    };
    await tx
      .updateTable('tier_overrides')
      .set({
        status: next.status,
        decided_by: next.decided_by,
        decided_at: next.decided_at,
        decision_note: next.decision_note,
        row_version: next.row_version,
      })
      .where('id', '=', row.id)
      .execute();
    await appendAuditEvent(tx, deps.clock, caller.audit, {
      action: 'tier_override.voided',
      entityType: 'tier_override',
      entityId: row.id,
      modelId: model.id,
      before: overrideView(row, model.key),
      after: overrideView(next, model.key),
    });
  }
}
