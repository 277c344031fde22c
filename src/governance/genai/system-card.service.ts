import {
  type GenAiSystemCard,
  type GenAiSystemCardInput,
  genaiSystemCardInputSchema,
} from '../../contracts/genai-system-card.ts';
import { appendAuditEvent } from '../../platform/audit/audit-trail.ts';
import type { Caller } from '../../platform/auth/caller.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { GenAiSystemCardsTable } from '../../platform/db/tables/genai.ts';
import { ConflictError, NotFoundError } from '../../platform/errors.ts';
import type { ModelsService } from '../inventory/models.service.ts';
import type { VersionsService } from '../inventory/versions.service.ts';
import { insertSystemCard, systemCardRow, updateSystemCard } from './genai.store.ts';

function view(key: string, label: string, row: GenAiSystemCardsTable): GenAiSystemCard {
  return {
    ...genaiSystemCardInputSchema.parse(JSON.parse(row.content_json)),
    model: key,
    version: label,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
    rowVersion: Number(row.row_version),
  };
}

/** GenAI system cards of model versions: read with the model, replaced whole by its makers, audited. */
export class SystemCardService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly models: ModelsService,
    private readonly versions: VersionsService,
  ) {}

  async get(caller: Caller, key: string, label: string): Promise<GenAiSystemCard> {
    const model = await this.models.authorize(caller.principal, key, 'model.read');
    const version = await this.versions.find(model, label);
    const row = await systemCardRow(this.db.kysely, version.id);
    if (!row) throw new NotFoundError('GenAI system card', `${key}@${label}`);
    return view(key, label, row);
  }

  /** Sets (or replaces) the version's card; `genai.system_card_set` in the audit trail with before and after. */
  async put(
    caller: Caller,
    key: string,
    label: string,
    input: GenAiSystemCardInput,
  ): Promise<GenAiSystemCard> {
    return this.db.write(async (tx) => {
      const model = await this.models.authorize(caller.principal, key, 'version.write', tx);
      const version = await this.versions.find(model, label, tx);
      const existing = await systemCardRow(tx, version.id);
      const row: GenAiSystemCardsTable = {
        version_id: version.id,
        model_id: model.id,
        content_json: JSON.stringify(genaiSystemCardInputSchema.parse(input)),
        updated_at: this.clock.now().toISOString(),
        updated_by: caller.principal.username,
        row_version: existing ? Number(existing.row_version) + 1 : 1,
      };
      if (!existing) await insertSystemCard(tx, row);
      else if (!(await updateSystemCard(tx, row, Number(existing.row_version))))
        throw new ConflictError(`the GenAI system card of ${key}@${label} changed concurrently`);
      const after = view(key, label, row);
      await appendAuditEvent(tx, this.clock, caller.audit, {
        action: 'genai.system_card_set',
        entityType: 'genai_system_card',
        entityId: version.id,
        modelId: model.id,
        before: existing ? view(key, label, existing) : null,
        after,
      });
      return after;
    });
  }
}
