import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import type { RegistryEntriesTable, RegistrySyncRunsTable } from '../../platform/db/tables/registry-sync.ts';

/** SQL for registry entries and sync runs. */
export class RegistrySyncStore {
  constructor(private readonly db: Kysely<Database>) {}

  async entries(source: string, tx: Kysely<Database> = this.db): Promise<RegistryEntriesTable[]> {
    return tx
      .selectFrom('registry_entries')
      .selectAll()
      .where('source', '=', source)
      .orderBy('external_id')
      .orderBy('version')
      .execute();
  }

  async allEntries(): Promise<RegistryEntriesTable[]> {
    return this.db
      .selectFrom('registry_entries')
      .selectAll()
      .orderBy('source')
      .orderBy('external_id')
      .execute();
  }

  async find(source: string, externalId: string, version: string): Promise<RegistryEntriesTable | undefined> {
    return this.db
      .selectFrom('registry_entries')
      .selectAll()
      .where('source', '=', source)
      .where('external_id', '=', externalId)
      .where('version', '=', version)
      .executeTakeFirst();
  }

  async insert(tx: Kysely<Database>, row: RegistryEntriesTable): Promise<void> {
    await tx.insertInto('registry_entries').values(row).execute();
  }

  async update(
    tx: Kysely<Database>,
    key: { source: string; external_id: string; version: string },
    patch: Partial<RegistryEntriesTable>,
  ): Promise<void> {
    await tx
      .updateTable('registry_entries')
      .set(patch)
      .where('source', '=', key.source)
      .where('external_id', '=', key.external_id)
      .where('version', '=', key.version)
      .execute();
  }

  async insertRun(tx: Kysely<Database>, row: RegistrySyncRunsTable): Promise<void> {
    await tx.insertInto('registry_sync_runs').values(row).execute();
  }

  async lastRun(source: string): Promise<RegistrySyncRunsTable | undefined> {
    return this.db
      .selectFrom('registry_sync_runs')
      .selectAll()
      .where('source', '=', source)
      .orderBy('started_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }
}
