import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';

/** An inventory model as reconciliation reads it. */
export interface InventoryModelRow {
  id: string;
  key: string;
  name: string;
  status: string;
  links: string;
}

/** The read model of reconciliation: inventory models, their versions' artifacts and open deployments. */
export class ReconciliationQueries {
  constructor(private readonly db: Kysely<Database>) {}

  async models(): Promise<InventoryModelRow[]> {
    return this.db
      .selectFrom('models')
      .select(['id', 'key', 'name', 'status', 'links'])
      .where('status', '!=', 'retired')
      .orderBy('key')
      .execute();
  }

  async versionArtifacts(): Promise<{ model_id: string; artifact_uri: string }[]> {
    const rows = await this.db
      .selectFrom('model_versions')
      .select(['model_id', 'artifact_uri'])
      .where('artifact_uri', 'is not', null)
      .execute();
    return rows.map((r) => ({ model_id: r.model_id, artifact_uri: r.artifact_uri! }));
  }

  async openDeployments(): Promise<
    { id: string; model_id: string; environment: string; endpoint: string | null; label: string }[]
  > {
    return this.db
      .selectFrom('deployments')
      .innerJoin('model_versions', 'model_versions.id', 'deployments.version_id')
      .select([
        'deployments.id',
        'deployments.model_id',
        'deployments.environment',
        'deployments.endpoint',
        'model_versions.label',
      ])
      .where('deployments.ended_at', 'is', null)
      .execute();
  }
}
