import type { Kysely } from 'kysely';
import type { ModelException } from '../../contracts/inventory.ts';
import type { Database } from '../../platform/db/schema.ts';
import type { ModelsTable, ModelVersionsTable } from '../../platform/db/tables/inventory.ts';

/**
 * What the inventory asks governance before a model becomes approved or goes to production, or a
 * version is recorded as running in production. The exceptions feature implements it (a final
 * approval and the production gate, or a valid recorded exception) and the composition root sets
 * it; without one, those moves are refused (fail closed). Each method runs inside the caller's
 * write transaction and throws a ConflictError with `details.rule` when it refuses.
 */
export interface LifecycleGuard {
  /** Allows `model` to move to `to` now, or throws; returns what allowed it (for the audit trail). */
  statusMove(
    tx: Kysely<Database>,
    model: ModelsTable,
    to: 'approved' | 'production',
    versionLabel: string | undefined,
  ): Promise<{ basis: string; exceptionId: string | null }>;
  /** Allows recording `version` as running in production now, or throws with the gate's reasons. */
  productionDeployment(
    tx: Kysely<Database>,
    model: ModelsTable,
    version: ModelVersionsTable,
  ): Promise<{ basis: string; exceptionId: string | null }>;
  /** The valid exception each of these models stands on (models without one are absent). */
  exceptionsOf(tx: Kysely<Database>, modelIds: readonly string[]): Promise<Map<string, ModelException>>;
}
